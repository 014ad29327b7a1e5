"""A conjoint session while an urgent flag on either partner is unresolved needs an explicit override and a reason.

Without it the form comes back with everything typed and says what to do; with
it the session records the reason and the audit log records that it happened
(not why). Individual sessions are never blocked.
"""

# ruff: noqa: RUF001 (digits that are not ASCII are the point)

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.flags import raise_flag
from assessments.models import RiskFlag, WarningSign
from clinic.audit.models import Action, AuditEvent
from clinic.notes.models import TherapySession

REASON = "Both asked for a joint session to agree the children's handover; the plan was checked with Jo alone first."


@pytest.fixture
def flagged(therapist, partner):
    """An urgent flag on the partner, acknowledged but not resolved."""
    sign = WarningSign.objects.create(
        client=partner,
        recorded_by=therapist,
        type="threats",
        observed_on="2026-11-01",
        severity="severe",
        source="client_report",
        description="Threatened in the car park.",
        action_taken="safety_plan",
    )
    flag = raise_flag(
        client=partner, severity=RiskFlag.Severity.URGENT, reasons=["warning_sign:threats"], warning_sign=sign
    )
    flag.acknowledge(by=therapist, note="Seen and talked through.")
    return flag


def new_session(c, case, **data):
    base = {
        "starts_at": "2026-11-20T14:00",
        "duration_minutes": "50",
        "format": "conjoint",
        "individual_client": "",
        "modality": "in_person",
        "attendance": "attended",
    }
    return c.post(reverse("session_new", kwargs={"case_code": case.code}), {**base, **data})


def test_the_session_form_warns_while_an_urgent_flag_is_unresolved(as_user, therapist, couple_case, flagged):
    body = as_user(therapist).get(reverse("session_new", kwargs={"case_code": couple_case.code})).content.decode()
    assert "Conjoint sessions not advised until reviewed" in body
    assert 'name="override"' in body and 'name="override_reason"' in body


def test_without_a_flag_there_is_no_warning_and_no_override(as_user, therapist, couple_case):
    body = as_user(therapist).get(reverse("session_new", kwargs={"case_code": couple_case.code})).content.decode()
    assert "not advised" not in body and 'name="override"' not in body
    assert new_session(as_user(therapist), couple_case).status_code == 302
    assert TherapySession.objects.get().conjoint_override_reason == ""


@pytest.mark.parametrize(
    ("extra", "errors"),
    [
        ({}, ["tick this box and give your reason", "Say why a conjoint session is right now"]),
        ({"override": "on"}, ["Say why a conjoint session is right now"]),
        ({"override": "on", "override_reason": "   "}, ["Say why a conjoint session is right now"]),
        ({"override_reason": REASON}, ["tick this box and give your reason"]),
    ],
)
def test_a_conjoint_session_without_override_and_reason_is_refused_with_what_was_typed_kept(
    as_user, therapist, couple_case, flagged, extra, errors
):
    response = new_session(as_user(therapist), couple_case, duration_minutes="75", **extra)
    assert response.status_code == 200
    body = response.content.decode()
    for error in errors:
        assert error in body
    page = BeautifulSoup(body, "html.parser")
    assert page.select_one("input[name=starts_at]")["value"] == "2026-11-20T14:00"
    assert page.select_one("input[name=duration_minutes]")["value"] == "75"
    assert page.select_one("select[name=format] option[selected]")["value"] == "conjoint"
    if "override_reason" in extra:
        assert page.select_one("textarea[name=override_reason]").get_text().strip() == extra["override_reason"].strip()
    assert not TherapySession.objects.exists()
    assert not AuditEvent.objects.filter(action__in=[Action.SESSION_CREATED, Action.CONJOINT_OVERRIDE]).exists()


def test_an_override_with_a_reason_is_recorded_on_the_session_and_audited_without_the_reason(
    as_user, therapist, couple_case, flagged
):
    response = new_session(as_user(therapist), couple_case, override="on", override_reason=f"  {REASON}  ")
    assert response.status_code == 302
    session = TherapySession.objects.get()
    assert (session.format, session.conjoint_override_reason, session.created_by) == ("conjoint", REASON, therapist)
    event = AuditEvent.objects.get(action=Action.CONJOINT_OVERRIDE)
    assert (event.actor, event.target_id) == (therapist, str(session.code))
    assert "handover" not in str(event.detail) and "Jo" not in str(event.detail)


def test_an_individual_session_is_never_blocked_and_keeps_no_override(as_user, therapist, couple_case, person, flagged):
    response = new_session(
        as_user(therapist), couple_case, format="individual", individual_client=str(person.pk), override_reason=REASON
    )
    assert response.status_code == 302
    session = TherapySession.objects.get()
    assert (session.format, session.individual_client, session.conjoint_override_reason) == ("individual", person, "")
    assert not AuditEvent.objects.filter(action=Action.CONJOINT_OVERRIDE).exists()


def test_a_resolved_flag_needs_no_override(as_user, therapist, couple_case, flagged):
    flagged.resolve(by=therapist, note="Reviewed in supervision; safe to meet jointly.")
    assert new_session(as_user(therapist), couple_case).status_code == 302
    assert not AuditEvent.objects.filter(action=Action.CONJOINT_OVERRIDE).exists()


@pytest.mark.parametrize("who", ["colleague", "admin_user", "client_user", "partner_user"])
def test_nobody_else_may_add_a_session_or_override(request, as_user, couple_case, flagged, who):
    c = as_user(request.getfixturevalue(who))
    assert c.get(reverse("session_new", kwargs={"case_code": couple_case.code})).status_code == 404
    assert new_session(c, couple_case, override="on", override_reason=REASON).status_code == 404
    assert not TherapySession.objects.exists()


@pytest.mark.parametrize("value", ["٥٠", "５０", "⁵⁰", "50\u200f"])
def test_the_duration_takes_ascii_digits_only(as_user, therapist, couple_case, value):
    response = new_session(as_user(therapist), couple_case, duration_minutes=value)
    assert response.status_code == 200 and "Enter a whole number using the digits 0 to 9" in response.content.decode()
    assert not TherapySession.objects.exists()


@pytest.mark.parametrize(
    ("value", "error"), [("0001-01-01T00:00", "long before"), ("9999-12-31T23:59", "more than a year ahead")]
)
def test_a_session_date_far_out_of_range_is_refused(as_user, therapist, couple_case, value, error):
    response = new_session(as_user(therapist), couple_case, starts_at=value)
    assert response.status_code == 200 and error in response.content.decode()
    assert not TherapySession.objects.exists()
