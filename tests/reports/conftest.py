import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from assessments.flags import record_warning_sign
from assessments.screenings import assign, submit
from clinic.notes.models import PracticeTag, PsychotherapyNote, SessionNote, TherapySession
from tests.factories import checkins_sent

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def first_page_png():
    """first_page_png(name, pdf_bytes): keep the PDF and a PNG of its first page under test-artifacts/ to look at."""

    def _save(name: str, pdf: bytes) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        pdf_path = ARTIFACTS / f"{name}.pdf"
        pdf_path.write_bytes(pdf)
        png = ARTIFACTS / name
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(png)],
                check=True,
            )
        return png.with_suffix(".png")

    return _save


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


# Markers of every kind of material, for the release paths (tests/releases and the tests here).
OWN = ("OWN-SIGN-1a2b", "OWN-INDIVIDUAL-2m2m", "OWN-INTAKE-0p0p", "OWN-ADDENDUM-3w3w")
CONJOINT = ("CONJOINT-NOTE-5c5c", "CONJOINT-NOTE-2-8r8r", "CONJOINT-ADDENDUM-1j1j")
NEVER = (
    "PARTNER-SIGN-9z9z",
    "PARTNER-INDIVIDUAL-7x7x",
    "PARTNER-ADDENDUM-6h6h",
    "PARTNER-INTAKE-4k4k",
    "DRAFT-NOTE-3d3d",
    "PRIVATE-PROCESS-8q8q",
    # The partner's session check-in (their line in their own words) and the alert it raised.
    "PARTNER-CHECKIN-5t5t",
    "Balance alert",
    "balance alert",
)
# The day of the second conjoint session: a withheld notice must not give it away.
CONJOINT_DAYS_AGO = 40


@pytest.fixture
def couple_record(record, person, partner, therapist, couple_case):
    """`record`, plus both intakes, an own individual session, a second conjoint session and addenda on each kind."""
    from clinic.notes.models import Addendum
    from intake.models import ConsentDocument, Intake

    consent = ConsentDocument.objects.current(ConsentDocument.Kind.INFORMED_CONSENT)
    privacy = ConsentDocument.objects.current(ConsentDocument.Kind.PRIVACY_NOTICE)
    for client, marker in ((person, "OWN-INTAKE-0p0p"), (partner, "PARTNER-INTAKE-4k4k")):
        intake = Intake.objects.create(client=client, answers={"reasons": {"reasons": marker, "goals": "Goals text"}})
        intake.submit(consent=consent, privacy=privacy, signature=client.full_name)
    first = TherapySession.objects.get(note__content__assessment="CONJOINT-NOTE-5c5c")
    Addendum.add(note=first.note, by=therapist, text="CONJOINT-ADDENDUM-1j1j")
    second = signed_note(couple_case, therapist, text="CONJOINT-NOTE-2-8r8r")
    TherapySession.objects.filter(pk=second.pk).update(starts_at=timezone.now() - timedelta(days=CONJOINT_DAYS_AGO))
    own = signed_note(couple_case, therapist, text="OWN-INDIVIDUAL-2m2m", individual=person)
    Addendum.add(note=own.note, by=therapist, text="OWN-ADDENDUM-3w3w")
    theirs = TherapySession.objects.get(note__content__assessment="PARTNER-INDIVIDUAL-7x7x")
    Addendum.add(note=theirs.note, by=therapist, text="PARTNER-ADDENDUM-6h6h")
    checkins_sent(couple_case, therapist, {partner: ("PARTNER-CHECKIN-5t5t", 9), person: ("", 4)}, sessions=2)
    assert couple_case.balance_alerts.filter(client=person).exists()  # what NEVER's "Balance alert" is about
