import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.flags import record_warning_sign
from assessments.screenings import assign, submit
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Client
from clinic.notes.models import PracticeTag, PsychotherapyNote, SessionNote, TherapySession


@pytest.fixture
def person(couple_case, client_user):
    return Client.objects.get(user=client_user)


@pytest.fixture
def partner(couple_case, partner_user):
    return Client.objects.get(user=partner_user)


def signed_note(case, therapist, *, text, individual=None, sign=True):
    session = TherapySession.objects.create(
        case=case,
        starts_at=timezone.now() - timedelta(days=3),
        created_by=therapist,
        format="individual" if individual else "conjoint",
        individual_client=individual,
    )
    note = SessionNote.objects.create(
        session=session, author=therapist, content={"assessment": text, "plan": "Plan text"}
    )
    PracticeTag.objects.create(note=note, practice="repair", focus=2, evidence="e")
    if sign:
        note.sign(by=therapist)
    return session


@pytest.fixture
def record(person, partner, therapist, couple_case):
    """This client's material, and marker strings that must never appear in their summary."""
    record_warning_sign(
        client=person,
        fields={
            "type": "fear",
            "observed_on": timezone.localdate(),
            "severity": "moderate",
            "source": "observed",
            "description": "OWN-SIGN-1a2b",
            "action_taken": "individual_sessions",
        },
        by=therapist,
        request=None,
    )
    record_warning_sign(
        client=partner,
        fields={
            "type": "threats",
            "observed_on": timezone.localdate(),
            "severity": "severe",
            "source": "observed",
            "description": "PARTNER-SIGN-9z9z",
            "action_taken": "safety_plan",
        },
        by=therapist,
        request=None,
    )
    partner_screening = assign(client=partner, key="safety")
    partner_screening.save_answers(
        {i: "0" for i in ("ws_recurring", "ws_denial", "ws_self", "ws_fear", "ws_conflict")}
        | {
            i: "0"
            for i in (
                "dg_physical",
                "dg_threats",
                "dg_sexual",
                "dg_monitoring",
                "dg_afraid",
                "dg_weapons",
                "dg_strangling",
                "dg_selfharm",
            )
        }
        | {"dg_physical": "1"}
    )
    submit(screening=partner_screening)
    session = signed_note(couple_case, therapist, text="CONJOINT-NOTE-5c5c")
    signed_note(couple_case, therapist, text="PARTNER-INDIVIDUAL-7x7x", individual=partner)
    signed_note(couple_case, therapist, text="DRAFT-NOTE-3d3d", sign=False)
    PsychotherapyNote.objects.create(session=session, author=therapist, text="PRIVATE-PROCESS-8q8q")


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def summary_url(case, person):
    return reverse("client_summary", kwargs={"case_code": case.code, "client_code": person.code})


def test_the_summary_holds_only_the_clients_own_material(
    as_user, therapist, couple_case, person, record, first_page_png
):
    c = as_user(therapist)
    queued = c.post(summary_url(couple_case, person), {"purpose": "continuity", "notes": "full"}, follow=True)
    assert "Download the PDF" in queued.content.decode()
    job_code = queued.redirect_chain[-1][0].split("/")[2]
    response = c.get(reverse("report_download", kwargs={"code": job_code}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="summary-')
    assert person.full_name not in response["Content-Disposition"]
    assert first_page_png("client-summary", response.content).stat().st_size > 1000
    text = pdf_text(response)
    assert "OWN-SIGN-1a2b" in text and "CONJOINT-NOTE-5c5c" in text
    assert "Confidential" in text and "Page 1 of" in text
    for marker in ("PARTNER-SIGN-9z9z", "PARTNER-INDIVIDUAL-7x7x", "DRAFT-NOTE-3d3d", "PRIVATE-PROCESS-8q8q"):
        assert marker not in text
    assert "Urgent flag" not in text  # the partner's urgent flag


def test_every_summary_is_a_recorded_disclosure_with_its_purpose(as_user, therapist, couple_case, person, record):
    c = as_user(therapist)
    missing = c.post(summary_url(couple_case, person), {"notes": "full"})
    assert "every PDF is a disclosure" in missing.content.decode()
    other = c.post(summary_url(couple_case, person), {"purpose": "other", "notes": "full"})
    assert "Say what the purpose is" in other.content.decode()
    assert not AuditEvent.objects.filter(action=Action.PDF_GENERATED).exists()
    c.post(
        summary_url(couple_case, person),
        {"purpose": "other", "purpose_other": "Court request ref 12", "notes": "summaries"},
    )
    event = AuditEvent.objects.get(action=Action.PDF_GENERATED)
    assert (event.client, event.detail["purpose"], event.detail["notes"]) == (
        person,
        "Court request ref 12",
        "summaries",
    )
    page = c.get(reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}))
    assert "Court request ref 12" in page.content.decode()


def test_summaries_only_leave_out_full_note_text(as_user, therapist, couple_case, person, record):
    response = as_user(therapist).post(
        summary_url(couple_case, person), {"purpose": "supervision", "notes": "summaries"}
    )
    text = pdf_text(response)
    assert "CONJOINT-NOTE-5c5c" in text  # the assessment is part of a summary


@pytest.mark.parametrize("who", ["colleague", "client_user", "partner_user"])
def test_only_the_treating_therapist_and_admins_make_summaries(request, as_user, couple_case, person, who):
    c = as_user(request.getfixturevalue(who))
    assert c.post(summary_url(couple_case, person), {"purpose": "continuity", "notes": "full"}).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.PDF_GENERATED).exists()


def test_an_admin_may_make_one_with_a_purpose(as_user, admin_user, couple_case, person):
    """Summaries only: small enough to stream straight back."""
    response = as_user(admin_user).post(
        summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"}
    )
    assert response["Content-Type"] == "application/pdf"
