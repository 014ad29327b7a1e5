"""How we contact you: the client's own page after the intake is sent, and a staff edit at the client's request."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Client, ContactChange
from intake.models import Intake
from tests.intake.conftest import VALID

URL = reverse("contact_choices")


def staff_url(case, client):
    return reverse("client_contact_edit", kwargs={"case_code": case.code, "client_code": client.code})


def version_of(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def submit_intake(c):
    for step, data in enumerate(VALID, start=1):
        assert c.post(reverse("intake_section", kwargs={"step": step}), data).status_code == 302
    c.post(reverse("intake_section", kwargs={"step": 7}), {"agree": "on", "signature": "Jordan Avery"})


def test_after_sending_the_forms_the_client_changes_contact_choices_at_once(as_user, client_user, person):
    c = as_user(client_user)
    submit_intake(c)
    assert Intake.objects.get(client=person).is_submitted
    person.refresh_from_db()
    assert person.may_email and person.email == "jo@example.org"
    # The intake itself stays read-only...
    assert c.get(reverse("intake_section", kwargs={"step": 2})).url == reverse("intake_copy")
    assert 'href="/my/contact/"' in c.get(reverse("intake_copy")).content.decode()
    # ...and the account page is where the choices change.
    page = c.get(URL)
    assert page.status_code == 200
    response = c.post(
        URL, {"version": version_of(page), "may_text": "on", "phone": "(213) 555-0155", "safe_times": "After 6pm"}
    )
    assert response.url == URL
    person.refresh_from_db()
    assert (person.may_email, person.may_text, person.phone, person.safe_times) == (
        False,
        True,
        "(213) 555-0155",
        "After 6pm",
    )
    # An address left empty is no longer kept.
    assert person.email == ""
    change = ContactChange.objects.filter(client=person).first()
    assert (change.source, change.by, change.reason) == ("client", client_user, "")
    event = AuditEvent.objects.filter(action=Action.SAFE_CONTACT_CHANGED, client=person).first()
    assert event.actor == client_user
    assert event.detail == {"may_email": False, "may_call": False, "may_text": True, "may_leave_voicemail": False}


def test_the_account_page_and_the_intake_link_to_the_contact_page(as_user, client_user, person):
    c = as_user(client_user)
    assert f'href="{URL}"' in c.get(reverse("account")).content.decode()
    assert f'href="{URL}"' in c.get(reverse("intake_section", kwargs={"step": 2})).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"may_email": "on"}, "email", "Add an email address, or untick"),
        ({"may_call": "on"}, "phone", "Add a phone number, or untick calls"),
        ({"may_leave_voicemail": "on", "phone": "call me"}, "phone", "Enter a phone number like (213) 555-0123"),
        ({"may_email": "on", "email": "not-an-address"}, "email", "Enter an email address like"),
        ({"safe_times": "x" * 201}, "safe_times", "Please keep this under 200 characters"),
    ],
)
def test_bad_choices_are_explained_and_nothing_changes(as_user, client_user, person, data, field, message):
    c = as_user(client_user)
    version = version_of(c.get(URL))
    response = c.post(URL, {"version": version, "safe_times": "Mornings", **data})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    error = soup.find(id=f"id_{field}_error")
    assert error is not None and message in error.get_text()
    assert soup.find(id="id_safe_times")["value"] == data.get("safe_times", "Mornings")
    person.refresh_from_db()
    assert person.contact_version == 0 and not ContactChange.objects.exists()


def test_every_field_and_the_form_tell_the_browser_not_to_keep_them(as_user, client_user, person):
    soup = BeautifulSoup(as_user(client_user).get(URL).content, "html.parser")
    form = soup.find(id="id_phone").find_parent("form")
    assert form["autocomplete"] == "off"
    inputs = form.find_all(["input", "textarea"], attrs={"type": lambda t: t not in ("hidden",)})
    assert inputs and all(i.get("autocomplete") == "off" for i in inputs)


def test_a_second_tab_cannot_silently_undo_a_change(as_user, client_user, person):
    c = as_user(client_user)
    first_tab = version_of(c.get(URL))
    second_tab = first_tab
    assert c.post(URL, {"version": first_tab, "may_call": "on", "phone": "(213) 555-0155"}).status_code == 302
    stale = c.post(URL, {"version": second_tab, "may_text": "on", "phone": "(213) 555-0166"})
    assert stale.status_code == 200
    body = stale.content.decode()
    assert "changed somewhere else" in body and "Nothing was saved" in body
    soup = BeautifulSoup(stale.content, "html.parser")
    assert "Phone calls" in soup.find(id="saved-now").get_text()
    assert soup.find(id="id_phone")["value"] == "(213) 555-0166"  # what they typed is kept
    person.refresh_from_db()
    assert (person.may_call, person.may_text, person.phone) == (True, False, "(213) 555-0155")
    # Pressing Save again on the refreshed form applies it.
    again = c.post(URL, {"version": version_of(stale), "may_text": "on", "phone": "(213) 555-0166"})
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.may_call, person.may_text, person.phone) == (False, True, "(213) 555-0166")


def test_a_forged_version_is_refused_in_plain_words(as_user, client_user, person):
    response = as_user(client_user).post(URL, {"version": "³", "may_call": "on", "phone": "(213) 555-0155"})
    assert response.status_code == 200
    assert "This page is out of date" in response.content.decode()
    person.refresh_from_db()
    assert not person.may_call


def test_a_change_on_the_account_page_shows_in_a_draft_intake(as_user, client_user, person):
    c = as_user(client_user)
    c.post(reverse("intake_section", kwargs={"step": 1}), VALID[0])
    c.post(URL, {"version": version_of(c.get(URL)), "may_call": "on", "phone": "(213) 555-0155"})
    contact = Intake.objects.get(client=person).answers["contact"]
    assert contact["may_call"] is True and contact["safe_phone"] == "(213) 555-0155"


def test_only_clients_have_the_page_and_only_their_own(as_user, therapist, admin_user, outsider, person):
    for user in (therapist, admin_user):
        assert as_user(user).get(URL).status_code == 404
    c = as_user(outsider)
    theirs = Client.objects.get(user=outsider)
    c.post(URL, {"version": str(theirs.contact_version), "may_call": "on", "phone": "(213) 555-0155"})
    person.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.may_call and not person.may_call


def test_the_contact_page_refuses_other_methods(as_user, client_user, person):
    assert as_user(client_user).put(URL).status_code == 405


# Staff


def test_the_therapist_changes_choices_with_a_reason_kept_out_of_the_audit(as_user, therapist, couple_case, person):
    c = as_user(therapist)
    url = staff_url(couple_case, person)
    page = c.get(url)
    assert page.status_code == 200
    missing = c.post(url, {"version": version_of(page), "may_call": "on", "phone": "(213) 555-0155"})
    assert "Say why" in missing.content.decode()
    reason = "Asked in session after a hard week at home"
    done = c.post(url, {"version": version_of(page), "may_call": "on", "phone": "(213) 555-0155", "reason": reason})
    assert done.url == reverse("case_detail", kwargs={"code": couple_case.code})
    person.refresh_from_db()
    assert person.may_call and person.phone == "(213) 555-0155"
    change = ContactChange.objects.get(client=person)
    assert (change.source, change.by, change.reason) == ("staff", therapist, reason)
    event = AuditEvent.objects.get(action=Action.SAFE_CONTACT_CHANGED_BY_STAFF)
    assert (event.actor, event.client) == (therapist, person)
    assert "hard week" not in str(event.detail)
    # The case page says that the choices changed, when and by whom; not what they were.
    case_page = BeautifulSoup(c.get(done.url).content, "html.parser")
    line = case_page.find(class_="contact-changed").get_text(" ", strip=True)
    assert "by " in line and "at the client's request" in line
    assert "hard week" not in case_page.get_text()


def test_the_case_page_says_when_the_client_changed_their_choices(as_user, client_user, therapist, couple_case, person):
    c = as_user(client_user)
    c.post(URL, {"version": version_of(c.get(URL)), "may_call": "on", "phone": "(213) 555-0155"})
    page = BeautifulSoup(
        as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code})).content, "html.parser"
    )
    lines = [d.get_text(" ", strip=True) for d in page.find_all(class_="contact-changed")]
    assert len(lines) == 1 and lines[0].endswith("by the client")


def test_a_staff_edit_on_an_old_page_does_not_undo_the_clients_change(
    as_user, client, therapist, client_user, couple_case, person
):
    staff = as_user(therapist)
    opened = version_of(staff.get(staff_url(couple_case, person)))
    from django.test import Client as HttpClient

    from tests.conftest import sign_in

    own = sign_in(HttpClient(), client_user)
    own.post(URL, {"version": version_of(own.get(URL)), "may_text": "on", "phone": "(213) 555-0177"})
    stale = staff.post(staff_url(couple_case, person), {"version": opened, "may_email": "", "reason": "Asked"})
    assert "changed somewhere else" in stale.content.decode()
    person.refresh_from_db()
    assert person.may_text
    assert not AuditEvent.objects.filter(action=Action.SAFE_CONTACT_CHANGED_BY_STAFF).exists()


def test_admins_may_change_choices_but_do_not_read_the_reasons(as_user, therapist, admin_user, couple_case, person):
    as_user(therapist).post(
        staff_url(couple_case, person),
        {"version": "0", "may_call": "on", "phone": "(213) 555-0155", "reason": "Private"},
    )
    admin = as_user(admin_user)
    page = admin.get(staff_url(couple_case, person)).content.decode()
    assert "at the client's request" in page and "Private" not in page
    admin.post(
        staff_url(couple_case, person), {"version": "1", "may_text": "on", "phone": "(213) 555-0155", "reason": "Rang"}
    )
    person.refresh_from_db()
    assert person.may_text and not person.may_call


def test_other_therapists_clients_and_outsiders_get_404(as_user, colleague, client_user, outsider, couple_case, person):
    data = {"version": "0", "may_call": "on", "phone": "(213) 555-0155", "reason": "x"}
    for user in (colleague, client_user, outsider):
        c = as_user(user)
        assert c.get(staff_url(couple_case, person)).status_code == 404
        assert c.post(staff_url(couple_case, person), data).status_code == 404
    person.refresh_from_db()
    assert not person.may_call and not ContactChange.objects.exists()


def test_the_staff_edit_refuses_other_methods(as_user, therapist, couple_case, person):
    assert as_user(therapist).delete(staff_url(couple_case, person)).status_code == 405


def test_a_number_that_cannot_be_read_gets_one_message_not_also_missing(as_user, client_user, person):
    c = as_user(client_user)
    response = c.post(URL, {"version": version_of(c.get(URL)), "may_call": "on", "phone": "call me"})
    error = BeautifulSoup(response.content, "html.parser").find(id="id_phone_error")
    assert [p.get_text() for p in error.find_all("p")] == [
        "Enter a phone number like (213) 555-0123, with its area code. "
        "For a number abroad, start with + and the country code."
    ]
