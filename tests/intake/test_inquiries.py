"""The "Get started" form and inquiry triage: what tests/intake/test_get_started.py leaves open.

That file covers the main paths (sending, bots, the per-address limit,
converting, closing, who may triage). These tests pin the rest: the
form's markup and kept input, the list's order and filter, the prefill
of each contact method, the couple conversion in full, and the methods
each URL refuses.
"""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Client
from intake import inquiries
from intake.models import Inquiry, Invitation

TYPED = {
    "name": "Sam",
    "contact_method": "phone",
    "contact_value": "+44 (0)20 7946-0958",
    "may_leave_message": "on",
    "message": "We would like help talking about chores and money.",
    "preferred_times": "Tuesday after 6pm",
    "consent_to_contact": "on",
}

# "2135550123" in full-width digits, which the phone library would otherwise read.
WIDE_DIGITS = "".join(chr(0xFF10 + int(d)) for d in "2135550123")


@pytest.fixture(autouse=True)
def _no_minimum_time(monkeypatch):
    # The time trap has its own tests; here every post comes from a patient person.
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def send(client, changes: dict | None = None, ip: str = "192.0.2.10"):
    form = page(client.get(reverse("inquiry_start")))
    started = form.find("input", attrs={"name": "started"})["value"]
    return client.post(reverse("inquiry_start"), {**TYPED, "started": started, **(changes or {})}, REMOTE_ADDR=ip)


def make_inquiry(**kw) -> Inquiry:
    fields = {**TYPED, "may_leave_message": True, "consent_to_contact": True, **kw}
    return Inquiry.objects.create(**fields)


# The public form


def test_the_form_page_keeps_a_neutral_title_and_hides_the_honeypot_from_people(client, db):
    html = page(client.get(reverse("inquiry_start")))
    assert html.title.string.strip() == "Fulcrum"
    trap = html.find("input", attrs={"name": "website"})
    wrapper = trap.parent
    assert wrapper["aria-hidden"] == "true" and "hp-field" in wrapper["class"]
    assert (trap["tabindex"], trap["autocomplete"]) == ("-1", "off")
    # The started stamp is signed, so a script cannot simply back-date it.
    assert ":" in html.find("input", attrs={"name": "started"})["value"]


def test_an_error_is_summarised_with_a_link_to_its_field_and_everything_typed_is_kept(client, db):
    response = send(client, {"contact_value": "call me"})
    assert response.status_code == 200
    html = page(response)
    summary = html.find(id="error-summary")
    link = summary.find("a", href="#id_contact_value")
    assert link is not None
    assert "Enter a phone number" in summary.get_text()
    assert html.find("input", attrs={"name": "name"})["value"] == "Sam"
    assert html.find("input", attrs={"name": "contact_value"})["value"] == "call me"
    assert html.find("textarea", attrs={"name": "message"}).get_text().strip() == TYPED["message"]
    assert html.find("input", attrs={"name": "may_leave_message"}).has_attr("checked")
    assert html.find("input", attrs={"name": "contact_method", "value": "phone"}).has_attr("checked")
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize(
    "number",
    [
        "123456",
        "1234567890123456",
        "213 555 O123",
        "(213) 555-0123 ext 4",
        "555-0123",
        "(123) 555-0123",
        WIDE_DIGITS,
    ],
    ids=["six-digits", "sixteen-digits", "a-letter", "words", "no-area-code", "no-such-area-code", "wide-digits"],
)
def test_a_phone_number_must_be_a_whole_number_of_the_practice_s_country(client, db, number):
    response = send(client, {"contact_method": "text", "contact_value": number})
    assert "Enter a phone number like (213) 555-0123" in response.content.decode()
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize(
    ("number", "stored"),
    [
        ("2135550123", "(213) 555-0123"),
        ("+1 (213) 555-0123", "(213) 555-0123"),
        ("213.555.0123", "(213) 555-0123"),
        ("1-800-799-7233", "(800) 799-7233"),
        ("+44 20 7946 0123", "+44 20 7946 0123"),
    ],
)
def test_a_phone_number_may_use_spaces_dots_dashes_and_brackets_and_is_kept_the_practice_s_way(
    client, db, number, stored
):
    assert send(client, {"contact_value": number}).url == reverse("inquiry_thanks")
    assert Inquiry.objects.get().contact_value == stored


def test_a_message_of_exactly_2000_characters_is_accepted(client, db):
    assert send(client, {"message": "m" * 2000}).url == reverse("inquiry_thanks")
    assert len(Inquiry.objects.get().message) == 2000


def test_what_was_typed_is_not_put_in_the_audit_event(client, db):
    send(client)
    inquiry = Inquiry.objects.get()
    event = AuditEvent.objects.get(action=Action.INQUIRY_RECEIVED)
    assert (event.target_id, event.detail, event.actor) == (str(inquiry.code), {}, None)
    assert "Sam" not in event.actor_label and "7946" not in str(event.detail)


def test_the_limit_counts_only_the_last_hour(client, db, settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 2
    for _ in range(2):
        send(client)
    Inquiry.objects.update(received_at=timezone.now() - timedelta(minutes=61))
    assert send(client).url == reverse("inquiry_thanks")
    assert Inquiry.objects.count() == 3
    assert not Inquiry.objects.filter(status="held").exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [("inquiry_start", "put"), ("inquiry_thanks", "post")],
)
def test_public_pages_refuse_other_methods(client, db, name, method):
    assert getattr(client, method)(reverse(name)).status_code == 405
    assert Inquiry.objects.count() == 0


# Triage


def test_the_list_shows_open_inquiries_oldest_first_with_their_age(as_user, admin_user):
    now = timezone.now()
    make_inquiry(name="Newer", received_at=now - timedelta(hours=2))
    make_inquiry(name="Older", received_at=now - timedelta(days=3))
    make_inquiry(name="Handled", status=Inquiry.Status.CLOSED, close_reason=Inquiry.CloseReason.SPAM)
    c = as_user(admin_user)
    with CaptureQueriesContext(connection) as two_rows:
        c.get(reverse("inquiry_list"))
    make_inquiry(name="Third", received_at=now - timedelta(hours=1))
    with CaptureQueriesContext(connection) as three_rows:
        response = c.get(reverse("inquiry_list"))
    # No query per row.
    assert len(three_rows) == len(two_rows)
    rows = page(response).select("tbody tr")
    assert [row.a.get_text() for row in rows] == ["Older", "Newer", "Third"]
    assert "3\xa0days" in rows[0].get_text()


@pytest.mark.parametrize("status", ["converted", "closed"])
def test_the_list_filters_by_status(as_user, admin_user, therapist, status):
    make_inquiry(name="Still open")
    case = Case.objects.create(kind=Case.Kind.INDIVIDUAL, primary_therapist=therapist, created_by=admin_user)
    make_inquiry(name="Became a case", status=Inquiry.Status.CONVERTED, case=case)
    make_inquiry(name="Was closed", status=Inquiry.Status.CLOSED, close_reason=Inquiry.CloseReason.REFERRED)
    response = as_user(admin_user).get(reverse("inquiry_list"), {"status": status})
    names = [a.get_text() for a in page(response).select("tbody a")]
    assert names == {"converted": ["Became a case"], "closed": ["Was closed"]}[status]


@pytest.mark.parametrize(
    ("method", "value", "ticked"),
    [
        ("email", "sam@example.org", {"may_email"}),
        ("text", "(213) 555-0155", {"may_text"}),
        ("phone", "(213) 555-0155", {"may_call", "may_leave_voicemail"}),
    ],
)
def test_the_first_person_is_prefilled_from_the_inquiry(as_user, admin_user, method, value, ticked):
    inquiry = make_inquiry(contact_method=method, contact_value=value, may_leave_message=True)
    html = page(as_user(admin_user).get(reverse("inquiry_detail", kwargs={"code": inquiry.code})))
    assert html.find("input", attrs={"name": "first-full_name"})["value"] == "Sam"
    field = "first-email" if method == "email" else "first-phone"
    assert html.find("input", attrs={"name": field})["value"] == value
    boxes = ["may_email", "may_call", "may_text", "may_leave_voicemail"]
    checked = {b for b in boxes if html.find("input", attrs={"name": f"first-{b}"}).has_attr("checked")}
    assert checked == ticked


def test_voicemail_is_not_prefilled_when_they_said_no_messages(as_user, admin_user):
    inquiry = make_inquiry(may_leave_message=False)
    html = page(as_user(admin_user).get(reverse("inquiry_detail", kwargs={"code": inquiry.code})))
    assert not html.find("input", attrs={"name": "first-may_leave_voicemail"}).has_attr("checked")
    assert html.find("input", attrs={"name": "first-may_call"}).has_attr("checked")


def test_converting_to_a_couple_case_saves_both_people_and_invites_only_the_inquirer(
    as_user, admin_user, therapist, django_capture_on_commit_callbacks
):
    inquiry = make_inquiry(contact_method="text", contact_value="(213) 555-0155", may_leave_message=False)
    data = {
        "kind": "couple",
        "primary_therapist": therapist.pk,
        "first-full_name": "Sam Lee",
        "first-phone": "(213) 555-0155",
        "first-may_text": "on",
        "second-full_name": "Robin Lee",
        "second-email": "robin@example.org",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(admin_user).post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data)
    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.kind, case.primary_therapist, case.created_by) == ("couple", therapist, admin_user)
    first, second = case.clients.order_by("memberships__id")
    assert (first.full_name, first.phone, first.may_text, first.may_email) == ("Sam Lee", "(213) 555-0155", True, False)
    assert (second.full_name, second.email, second.may_email) == ("Robin Lee", "robin@example.org", False)
    invitation = Invitation.objects.get()
    assert (invitation.client, invitation.delivery, invitation.created_by) == (first, "in_person", admin_user)
    # Texting is the safe way, so nothing is emailed; the link is on the page, once.
    assert mail.outbox == []
    body = response.content.decode()
    links = re.findall(r"http://testserver/welcome/[A-Za-z0-9_-]{43}/", body)
    assert len(links) == 1
    assert Invitation.hash_token(links[0].rstrip("/").rsplit("/", 1)[1]) == invitation.token_hash
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.case, inquiry.closed_by) == ("converted", case, admin_user)
    assert inquiry.closed_at is not None
    event = AuditEvent.objects.get(action=Action.INQUIRY_CONVERTED)
    assert (event.actor, event.target_id) == (admin_user, str(inquiry.code))
    assert "Sam" not in str(event.detail)


def test_a_bad_conversion_form_creates_nothing(as_user, admin_user):
    inquiry = make_inquiry()
    data = {"kind": "individual", "primary_therapist": "", "first-full_name": "Sam"}
    response = as_user(admin_user).post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data)
    assert "Choose the therapist who will lead this case" in response.content.decode()
    assert (Case.objects.count(), Client.objects.count(), Invitation.objects.count()) == (0, 0, 0)
    inquiry.refresh_from_db()
    assert inquiry.status == "open"


def test_a_closed_inquiry_cannot_be_closed_again_or_converted(as_user, admin_user, therapist):
    inquiry = make_inquiry(status=Inquiry.Status.CLOSED, close_reason=Inquiry.CloseReason.DUPLICATE)
    c = as_user(admin_user)
    again = c.post(reverse("inquiry_close", kwargs={"code": inquiry.code}), {"reason": "spam"}, follow=True)
    assert "already been dealt with" in again.content.decode()
    data = {"kind": "individual", "primary_therapist": therapist.pk, "first-full_name": "Sam"}
    c.post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason) == ("closed", "duplicate")
    assert Case.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=[Action.INQUIRY_CLOSED, Action.INQUIRY_CONVERTED]).exists()


def test_closing_with_an_unknown_reason_changes_nothing(as_user, admin_user):
    inquiry = make_inquiry()
    response = as_user(admin_user).post(
        reverse("inquiry_close", kwargs={"code": inquiry.code}), {"reason": "bored"}, follow=True
    )
    assert "Nothing was changed. Select a valid choice" in response.content.decode()
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason) == ("open", "")


def test_an_unknown_inquiry_is_404_for_an_admin(as_user, admin_user):
    c = as_user(admin_user)
    missing = "0f0e0d0c-0b0a-4908-8706-050403020100"
    assert c.get(reverse("inquiry_detail", kwargs={"code": missing})).status_code == 404
    assert c.post(reverse("inquiry_close", kwargs={"code": missing}), {"reason": "spam"}).status_code == 404


@pytest.mark.parametrize("who", ["therapist", "client_user", "supervisor"])
def test_a_non_admin_gets_404_even_for_an_unknown_inquiry(request, as_user, who):
    c = as_user(request.getfixturevalue(who))
    missing = "0f0e0d0c-0b0a-4908-8706-050403020100"
    assert c.get(reverse("inquiry_detail", kwargs={"code": missing})).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.INQUIRY_VIEWED).exists()


@pytest.mark.parametrize("name", ["inquiry_list", "inquiry_detail"])
def test_read_only_triage_pages_refuse_post(as_user, admin_user, name):
    inquiry = make_inquiry()
    kwargs = {"code": inquiry.code} if name == "inquiry_detail" else {}
    assert as_user(admin_user).post(reverse(name, kwargs=kwargs)).status_code == 405
