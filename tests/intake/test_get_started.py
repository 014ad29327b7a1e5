import re

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Client
from intake import inquiries
from intake.models import Inquiry, Invitation

GOOD = {
    "name": "Ash",
    "contact_method": "text",
    "contact_value": "(213) 555-0123",
    "may_leave_message": "",
    "message": "We keep going round in circles about money.",
    "preferred_times": "Weekday evenings",
    "consent_to_contact": "on",
}


@pytest.fixture(autouse=True)
def _no_minimum_time(monkeypatch):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)


def send(client, data=None, ip="203.0.113.7"):
    page = client.get(reverse("inquiry_start"))
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(reverse("inquiry_start"), {**GOOD, "started": started, **(data or {})}, REMOTE_ADDR=ip)


def test_a_visitor_sends_an_inquiry_and_sees_a_neutral_thank_you(client, db):
    response = send(client)
    assert response.url == reverse("inquiry_thanks")
    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.contact_method, inquiry.contact_value) == ("Ash", "text", "(213) 555-0123")
    assert inquiry.status == "open" and inquiry.consent_to_contact
    thanks = client.get(response.url).content.decode()
    assert "Ash" not in thanks and "money" not in thanks
    assert mail.outbox == []
    event = AuditEvent.objects.get(action=Action.INQUIRY_RECEIVED)
    assert event.detail == {} and event.actor is None


def test_the_address_is_kept_only_as_a_keyed_hash(client, db):
    send(client, ip="203.0.113.99")
    row = Inquiry.objects.values().get()
    assert "203.0.113.99" not in str(row)
    assert len(row["ip_hash"]) == 64


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contact_method": "email", "contact_value": "not-an-email"}, "Enter an email address like"),
        ({"contact_value": "ring me"}, "Enter a phone number like (213) 555-0123"),
        ({"consent_to_contact": ""}, "Tick the box so we may contact you"),
        ({"message": "m" * 2001}, "Please keep this under 2000 characters"),
        ({"name": ""}, "Tell us a name we can use"),
        ({"contact_method": "pigeon"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(client, db, change, message):
    response = send(client, change)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Weekday evenings" in body
    assert Inquiry.objects.count() == 0


def test_a_filled_honeypot_stores_nothing_but_looks_the_same(client, db):
    response = send(client, {"website": "http://spam.example"})
    assert response.url == reverse("inquiry_thanks")
    assert Inquiry.objects.count() == 0


def test_a_form_sent_too_fast_or_with_a_forged_start_stores_nothing(client, db, monkeypatch):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 60)
    assert send(client).url == reverse("inquiry_thanks")
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    forged = client.post(reverse("inquiry_start"), {**GOOD, "started": "12345"})
    assert forged.url == reverse("inquiry_thanks")
    assert Inquiry.objects.count() == 0


def test_one_address_over_its_limit_is_kept_and_held_not_refused(client, db, settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 5
    settings.INQUIRY_SESSION_LIMIT_PER_HOUR = 100
    for _ in range(5):
        send(HttpClient())
    held = send(client)
    assert held.status_code == 302 and held.url == reverse("inquiry_thanks")
    assert Inquiry.objects.filter(status="open").count() == 5
    assert Inquiry.objects.get(status="held").held_reason == "address"
    assert send(HttpClient(), ip="198.51.100.1").status_code == 302
    assert Inquiry.objects.filter(status="open").count() == 6


def open_inquiry(**kw) -> Inquiry:
    fields = {**GOOD, "may_leave_message": True, "consent_to_contact": True, **kw}
    return Inquiry.objects.create(**fields)


def test_admins_triage_open_inquiries_and_reads_are_audited(as_user, admin_user):
    inquiry = open_inquiry()
    c = as_user(admin_user)
    assert "Ash" in c.get(reverse("inquiry_list")).content.decode()
    detail = c.get(reverse("inquiry_detail", kwargs={"code": inquiry.code})).content.decode()
    assert "going round in circles" in detail
    assert 'value="(213) 555-0123"' in detail
    assert AuditEvent.objects.filter(action=Action.INQUIRY_VIEWED, target_id=str(inquiry.code)).count() == 1


def test_converting_opens_a_case_and_invites_by_the_safe_way(
    as_user, admin_user, therapist, django_capture_on_commit_callbacks
):
    inquiry = open_inquiry(contact_method="email", contact_value="ash@example.org")
    c = as_user(admin_user)
    data = {
        "kind": "individual",
        "primary_therapist": therapist.pk,
        "first-full_name": "Ash Green",
        "first-email": "ash@example.org",
        "first-may_email": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data)
    assert response.status_code == 200
    assert "was emailed" in response.content.decode()
    case = Case.objects.get()
    person = case.clients.get()
    assert (case.kind, case.primary_therapist, person.full_name, person.may_email) == (
        "individual",
        therapist,
        "Ash Green",
        True,
    )
    assert Invitation.objects.get().client == person
    assert [m.to for m in mail.outbox] == [["ash@example.org"]]
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.case, inquiry.closed_by) == ("converted", case, admin_user)
    assert AuditEvent.objects.filter(action=Action.INQUIRY_CONVERTED).exists()
    again = c.post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data, follow=True)
    assert "already been dealt with" in again.content.decode()
    assert Case.objects.count() == 1


def test_converting_to_a_couple_needs_the_partner_and_hands_over_the_link(as_user, admin_user, therapist):
    inquiry = open_inquiry()
    c = as_user(admin_user)
    data = {
        "kind": "couple",
        "primary_therapist": therapist.pk,
        "first-full_name": "Ash",
        "first-phone": "(213) 555-0123",
        "first-may_text": "on",
    }
    missing = c.post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data)
    assert "This field is required" in missing.content.decode() or "Enter the person" in missing.content.decode()
    assert Case.objects.count() == 0
    response = c.post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), {**data, "second-full_name": "Robin"})
    body = response.content.decode()
    assert "nothing was sent" in body
    assert re.search(r'value="http://testserver/welcome/[A-Za-z0-9_-]{43}/"', body)
    assert Client.objects.count() == 2
    assert mail.outbox == []


def test_closing_needs_a_reason(as_user, admin_user):
    inquiry = open_inquiry()
    c = as_user(admin_user)
    c.post(reverse("inquiry_close", kwargs={"code": inquiry.code}), {"reason": ""})
    inquiry.refresh_from_db()
    assert inquiry.status == "open"
    c.post(
        reverse("inquiry_close", kwargs={"code": inquiry.code}), {"reason": "referred", "note": "Gave local service"}
    )
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason, inquiry.close_note) == ("closed", "referred", "Gave local service")
    assert AuditEvent.objects.get(action=Action.INQUIRY_CLOSED).detail == {"reason": "referred"}


@pytest.mark.parametrize("who", ["therapist", "client_user"])
def test_only_admins_triage(request, as_user, who, therapist):
    inquiry = open_inquiry()
    c = as_user(request.getfixturevalue(who))
    assert c.get(reverse("inquiry_list")).status_code == 404
    assert c.get(reverse("inquiry_detail", kwargs={"code": inquiry.code})).status_code == 404
    data = {"kind": "individual", "primary_therapist": therapist.pk, "first-full_name": "X"}
    assert c.post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data).status_code == 404
    assert c.post(reverse("inquiry_close", kwargs={"code": inquiry.code}), {"reason": "spam"}).status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.status == "open"
    assert Case.objects.count() == 0


def test_convert_and_close_need_post(as_user, admin_user):
    inquiry = open_inquiry()
    c = as_user(admin_user)
    assert c.get(reverse("inquiry_convert", kwargs={"code": inquiry.code})).status_code == 405
    assert c.get(reverse("inquiry_close", kwargs={"code": inquiry.code})).status_code == 405


def test_the_audit_row_of_an_inquiry_keeps_no_address(client, db):
    send(client, ip="203.0.113.42")
    event = AuditEvent.objects.get(action=Action.INQUIRY_RECEIVED)
    assert event.ip is None and event.user_agent == ""


def test_a_form_left_open_for_days_is_shown_again_not_dropped(client, db, monkeypatch):
    monkeypatch.setattr(inquiries, "STALE_AFTER", -1)
    response = send(client)
    body = response.content.decode()
    assert response.status_code == 200
    assert "press Send again" in body and "Weekday evenings" in body
    assert Inquiry.objects.count() == 0
    started = re.search(r'name="started" value="([^"]+)"', body).group(1)
    monkeypatch.setattr(inquiries, "STALE_AFTER", 24 * 3600)
    again = client.post(reverse("inquiry_start"), {**GOOD, "started": started}, REMOTE_ADDR="203.0.113.7")
    assert again.url == reverse("inquiry_thanks")
    assert Inquiry.objects.count() == 1


def test_closing_with_an_over_long_note_says_so(as_user, admin_user):
    inquiry = open_inquiry()
    response = as_user(admin_user).post(
        reverse("inquiry_close", kwargs={"code": inquiry.code}), {"reason": "other", "note": "n" * 501}, follow=True
    )
    assert "Keep the note under 500 characters" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "open"


def test_an_individual_conversion_with_a_partner_typed_in_is_refused(as_user, admin_user, therapist):
    inquiry = open_inquiry()
    data = {
        "kind": "individual",
        "primary_therapist": therapist.pk,
        "first-full_name": "Ash",
        "second-full_name": "Typed",
    }
    response = as_user(admin_user).post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data)
    assert "filled in details for a second person" in response.content.decode()
    assert Case.objects.count() == 0
