from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from intake.models import Intake
from intake.sections import SECTIONS
from tests.intake.conftest import ABOUT, VALID


def section_url(step: int) -> str:
    return reverse("intake_section", kwargs={"step": step})


def post(c, step, data, go="next"):
    return c.post(section_url(step), {**data, "go": go})


def test_starting_resumes_in_the_section_last_worked_in(as_user, client_user, person):
    c = as_user(client_user)
    assert c.get(reverse("intake_start")).url == section_url(1)
    post(c, 1, ABOUT)
    c.post(reverse("intake_autosave", kwargs={"step": 3}), {"name": "Pri"}, HTTP_ACCEPT="application/json")
    assert c.get(reverse("intake_start")).url == section_url(3)
    assert AuditEvent.objects.filter(action=Action.INTAKE_STARTED, client=person).count() == 1


def test_each_section_shows_progress_and_a_neutral_title(as_user, client_user, person):
    response = as_user(client_user).get(section_url(2))
    body = response.content.decode()
    assert "Step 2 of 7" in body
    assert "<title>Fulcrum</title>" in body
    assert "no-store" in response.headers["Cache-Control"]


def test_a_valid_section_is_saved_and_moves_on(as_user, client_user, person):
    response = post(as_user(client_user), 1, ABOUT)
    assert response.url == section_url(2)
    intake = Intake.objects.get(client=person)
    assert intake.answers["about"]["legal_name"] == "Jordan Avery"
    assert intake.completed == ["about"]


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        (
            1,
            {**ABOUT, "date_of_birth": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "cannot be in the future",
        ),
        (1, {**ABOUT, "date_of_birth": "14th of June"}, "Enter your date of birth as year-month-day"),
        (1, {**ABOUT, "date_of_birth": "1850-01-01"}, "Check the year"),
        (1, {**ABOUT, "legal_name": ""}, "Enter your full name"),
        (1, {**ABOUT, "email": "jo@"}, "Enter an email address like name@example.com"),
        (1, {**ABOUT, "phone": "call me"}, "Enter a phone number like (213) 555-0123"),
        (1, {**ABOUT, "legal_name": "x" * 201}, "Please keep this under 200 characters"),
        (2, {"may_text": "on"}, "Add a phone number that is safe to use"),
        (3, {"name": "Priya", "relationship": "", "phone": "123"}, "Say how you know them"),
        (4, {"reasons": ""}, "Please write a few words here"),
        (4, {"reasons": "y" * 5001}, "Please keep this under 5000 characters"),
    ],
)
def test_bad_answers_get_clear_messages_and_are_kept_as_typed(as_user, client_user, person, step, data, message):
    c = as_user(client_user)
    if step == 2:
        Intake.objects.filter(client=person).delete()
        person.phone = ""
        person.save()
    response = post(c, step, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'id="error-summary"' in body
    stored = Intake.objects.get(client=person).answers[SECTIONS[step - 1].slug]
    for name, value in data.items():
        assert stored[name] == (True if value == "on" else value)
    assert SECTIONS[step - 1].slug not in Intake.objects.get(client=person).completed


def test_going_back_saves_without_complaining(as_user, client_user, person):
    response = post(as_user(client_user), 2, {"safe_times": "half-typed"}, go="back")
    assert response.url == section_url(1)
    assert Intake.objects.get(client=person).answers["contact"]["safe_times"] == "half-typed"


def test_reminders_can_be_chosen_in_the_forms_only_by_a_way_ticked_as_safe(as_user, client_user, person):
    c = as_user(client_user)
    post(c, 1, ABOUT)
    refused = post(c, 2, {"may_call": "on", "safe_phone": "(213) 555-0122", "reminder_channel": "text"})
    assert "Reminders by text message need Text messages to be ticked above" in refused.content.decode()
    person.refresh_from_db()
    assert person.reminder_channel == ""
    # What was typed is kept with the draft.
    assert Intake.objects.get(client=person).answers["contact"]["reminder_channel"] == "text"
    post(c, 2, {"may_text": "on", "safe_phone": "(213) 555-0122", "reminder_channel": "text"})
    person.refresh_from_db()
    assert (person.may_text, person.reminder_channel) == (True, "text")


def test_safe_contact_choices_govern_messages_as_soon_as_saved(as_user, client_user, person):
    person.may_email = True
    person.email = "old@example.org"
    person.save()
    c = as_user(client_user)
    post(c, 1, ABOUT)
    post(c, 2, {"may_call": "on", "safe_phone": "(213) 555-0122", "safe_times": "After 6pm"})
    person.refresh_from_db()
    assert (person.may_email, person.may_call, person.phone) == (False, True, "(213) 555-0122")
    assert person.safe_times == "After 6pm"
    event = AuditEvent.objects.get(action=Action.SAFE_CONTACT_CHANGED)
    assert event.detail == {"may_email": False, "may_call": True, "may_text": False, "may_leave_voicemail": False}


def test_the_agreement_lists_missing_sections_before_sending(as_user, client_user, person):
    c = as_user(client_user)
    post(c, 1, ABOUT)
    response = post(c, 7, {"agree": "on", "signature": "Jordan Avery"})
    body = response.content.decode()
    assert "A few earlier answers are still needed" in body
    assert f'href="{section_url(3)}"' in body
    assert not Intake.objects.get(client=person).is_submitted


def fill_all(c):
    for step, data in enumerate(VALID, start=1):
        assert post(c, step, data).status_code == 302


def test_the_signature_must_match_the_name_given(as_user, client_user, person):
    c = as_user(client_user)
    fill_all(c)
    response = post(c, 7, {"agree": "on", "signature": "Someone Else"})
    assert "Type your full name exactly as in" in response.content.decode()
    response = post(c, 7, {"signature": "Jordan Avery"})
    assert "Tick the box" in response.content.decode()
    assert not Intake.objects.get(client=person).is_submitted


def test_submitting_once_stores_the_signed_versions(as_user, client_user, person):
    c = as_user(client_user)
    fill_all(c)
    response = post(c, 7, {"agree": "on", "signature": "  jordan   avery "})
    assert response.url == reverse("intake_copy")
    intake = Intake.objects.get(client=person)
    assert intake.is_submitted
    assert intake.signature_name == "jordan avery"
    assert intake.signed_on == timezone.localdate()
    assert (intake.consent_document.version, intake.privacy_document.version) == (1, 1)
    copy = c.get(reverse("intake_copy")).content.decode()
    assert "We argue about money." in copy
    assert "cannot be changed here" in copy


def test_a_repeat_submission_changes_nothing(as_user, client_user, person):
    c = as_user(client_user)
    fill_all(c)
    post(c, 7, {"agree": "on", "signature": "Jordan Avery"})
    first = Intake.objects.get(client=person)
    again = post(c, 7, {"agree": "on", "signature": "Jordan Avery"})
    assert again.url == reverse("intake_copy")
    late_edit = post(c, 1, {**ABOUT, "legal_name": "Changed Later"})
    assert late_edit.url == reverse("intake_copy")
    second = Intake.objects.get(client=person)
    assert (second.submitted_at, second.answers) == (first.submitted_at, first.answers)
    assert Intake.objects.filter(client=person).count() == 1
    assert AuditEvent.objects.filter(action=Action.INTAKE_SUBMITTED).count() == 1


def test_a_submitted_intake_refuses_autosave(as_user, client_user, person):
    c = as_user(client_user)
    fill_all(c)
    post(c, 7, {"agree": "on", "signature": "Jordan Avery"})
    response = c.post(
        reverse("intake_autosave", kwargs={"step": 1}), {"legal_name": "x"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409


def test_the_consent_step_shows_the_current_texts(as_user, client_user, person):
    body = as_user(client_user).get(section_url(7)).content.decode()
    assert "Agreement to take part" in body
    assert "How we look after your information" in body


@pytest.mark.parametrize("step", [0, 8, 99])
def test_unknown_steps_are_404(as_user, client_user, person, step):
    assert as_user(client_user).get(section_url(step)).status_code == 404


def test_staff_cannot_open_client_forms(as_user, therapist):
    assert as_user(therapist).get(section_url(1)).status_code == 404
