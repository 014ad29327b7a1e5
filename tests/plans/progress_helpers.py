"""Plain factories for the notes-follow-the-plan tests: a signed plan with shared and individual goals."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from clinic.notes.models import SessionNote, TherapySession
from clinic.plans.models import Goal, PlanVersion, Progress
from clinic.plans.planning import sign_version, start_plan, start_review

# Marker words: each partner's individual goal carries one, so a page can be searched for it.
MARK_A = "Quillfeather"
MARK_B = "Marrowgate"


def add_goal(version: PlanVersion, **kw) -> Goal:
    values = {
        "practice": Goal.Practice.NAMING_POWER,
        "statement": "Name who decides about money, without blame",
        "progress_shows": "Both can describe one money decision and who made it",
    }
    return Goal.objects.create(version=version, **{**values, **kw})


def signed_plan(case, therapist, *, person=None, partner=None, ask: bool = False) -> PlanVersion:
    """Version 1, signed: a shared goal under naming power and one under repair, and each partner's own goal."""
    version = start_plan(case=case, by=therapist)
    add_goal(version, position=1)
    add_goal(version, practice=Goal.Practice.REPAIR, statement="Repair after arguments within a day", position=2)
    if person is not None:
        add_goal(
            version,
            client=person,
            practice=Goal.Practice.RESTORING_AGENCY,
            statement=f"Say no once a week ({MARK_A})",
            progress_shows=f"Tells of a boundary kept ({MARK_A})",
        )
    if partner is not None:
        add_goal(
            version,
            client=partner,
            practice=Goal.Practice.TOLERATING_DISAGREEMENT,
            statement=f"Pause before replying ({MARK_B})",
            progress_shows=f"Notices the pause ({MARK_B})",
        )
    if ask:
        PlanVersion.objects.filter(pk=version.pk).update(ask_acknowledgement=True)
        version.refresh_from_db()
    sign_version(version=version, by=therapist)
    return version


def signed_review(version: PlanVersion, therapist, *, progress: str = Progress.SOME) -> PlanVersion:
    review = start_review(plan=version.plan, by=therapist)
    review.goals.update(progress=progress, progress_evidence="One calm talk")
    review.refresh_from_db()
    sign_version(version=review, by=therapist)
    return review


def make_session(case, therapist, *, with_client=None, hours_ago: int = 3) -> TherapySession:
    return TherapySession.objects.create(
        case=case,
        starts_at=timezone.now() - timedelta(hours=hours_ago),
        created_by=therapist,
        format=TherapySession.Format.INDIVIDUAL if with_client else TherapySession.Format.CONJOINT,
        individual_client=with_client,
    )


def url(name: str, session: TherapySession) -> str:
    return reverse(name, kwargs={"code": session.code})


def editor_data(version: int, links: dict | None = None, **extra) -> dict:
    """The editor's POST: a SOAP draft tagged naming power, and `links` {goal: movement} ticked."""
    data = {
        "format": "soap",
        "version": version,
        "c_subjective": "Sam said decisions about money feel one-sided.",
        "c_plan": "Name the pattern again next week.",
        "next_steps": "Practise a pause before replying.",
        "focus_naming_power": "2",
        "evidence_naming_power": "Named who decides spending without blame.",
    }
    for goal, movement in (links or {}).items():
        data[f"goal_{goal.code}"] = "on"
        data[f"movement_{goal.code}"] = movement
    data.update(extra)
    return data


def open_note(c, session: TherapySession) -> SessionNote:
    assert c.get(url("note_page", session)).status_code == 200
    return SessionNote.objects.get(session=session)


def sign(c, session: TherapySession, note: SessionNote, links: dict | None = None) -> None:
    """Save with `links`, then confirm signing on the page that asks."""
    c.post(url("note_save", session), editor_data(note.version, links, go="sign"))
    note.refresh_from_db()
    c.post(url("note_sign", session), {"version": note.version})
    note.refresh_from_db()


def signed_note(session: TherapySession, therapist, links: dict) -> SessionNote:
    """A note signed through the models: tagged naming power, linked to `links` {goal: movement}."""
    from clinic.notes.models import PracticeTag
    from clinic.notes.writing import note_for
    from clinic.plans.models import NoteGoal

    note = note_for(session, author=therapist)
    PracticeTag.objects.create(note=note, practice="naming_power", focus=2, evidence="Named it")
    NoteGoal.objects.bulk_create(NoteGoal(note=note, goal=g, movement=m) for g, m in links.items())
    note.sign(by=therapist)
    return note


def grow_plan(case, therapist, *, times: int) -> PlanVersion:
    """A signed plan with twice `times` goals, `times` signed sessions linked to every goal, and a signed review."""
    version = start_plan(case=case, by=therapist)
    for i in range(2 * times):
        add_goal(version, statement=f"Goal number {i}", position=i)
    sign_version(version=version, by=therapist)
    movements = ["some", "no_change", "clear", "setback"]
    for n in range(times):
        session = make_session(case, therapist, hours_ago=24 * (times - n) + 48)
        signed_note(session, therapist, {g: movements[(n + i) % 4] for i, g in enumerate(version.goals.all())})
    return signed_review(version, therapist)
