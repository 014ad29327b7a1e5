"""A couple's plan with marker strings: signed, reviewed once, individual goals and private practice for each partner."""

from datetime import timedelta

from django.utils import timezone

from clinic.plans.exercises import assign, draft_of, save_checkin, send_checkin
from clinic.plans.models import Goal, Progress
from clinic.plans.planning import sign_version, start_plan, start_review
from tests.plans.practice_helpers import library_exercise

SHARED = ("SHARED-GOAL-4s4s", "SHARED-EVIDENCE-5e5e")
OWN = ("OWN-GOAL-1o1o", "OWN-EVIDENCE-2v2v", "OWN-ASSIGN-NOTE-3n3n", "OWN-CHECKIN-6c6c")
# The other partner's: never in anything made for `person`.
PARTNERS = ("PARTNER-GOAL-7p7p", "PARTNER-EVIDENCE-8d8d", "PARTNER-ASSIGN-NOTE-9a9a", "PARTNER-CHECKIN-0k0k")
SUMMARY = "REVIEW-SUMMARY-2r2r"


def goal(version, statement: str, *, practice=Goal.Practice.NAMING_POWER, client=None, position=0) -> Goal:
    return Goal.objects.create(
        version=version,
        practice=practice,
        client=client,
        statement=statement,
        progress_shows="Shows in how decisions are described",
        position=position,
    )


def make_plan(*, case, therapist, person, partner):
    """Version 1 signed, version 2 (a review with progress and evidence) signed; one exercise for each partner."""
    first = start_plan(case=case, by=therapist)
    goal(first, f"Name who decides about money {SHARED[0]}")
    goal(first, "Repair within a day after an argument", practice=Goal.Practice.REPAIR)
    goal(first, "Stay in the room through a disagreement", practice=Goal.Practice.TOLERATING_DISAGREEMENT)
    goal(first, "Each chooses one weekend plan", practice=Goal.Practice.RESTORING_AGENCY)
    goal(first, f"Say a preference first {OWN[0]}", practice=Goal.Practice.RESTORING_AGENCY, client=person)
    goal(first, f"Ask before deciding {PARTNERS[0]}", practice=Goal.Practice.NAMING_POWER, client=partner)
    sign_version(version=first, by=therapist, at=timezone.now() - timedelta(days=40))
    review = start_review(plan=first.plan, by=therapist)
    for g in review.goals.select_related("client"):
        evidence = (
            OWN[1] if g.client_id == person.pk else PARTNERS[1] if g.client_id else SHARED[1]
        ) + " seen in session"
        Goal.objects.filter(pk=g.pk).update(progress=Progress.SOME, progress_evidence=evidence)
    type(review).objects.filter(pk=review.pk).update(review_summary=f"Steady work {SUMMARY}", ask_acknowledgement=True)
    review.refresh_from_db()
    sign_version(version=review, by=therapist)
    exercise = library_exercise()
    today = timezone.localdate()
    for client, note, text in ((person, OWN[2], OWN[3]), (partner, PARTNERS[2], PARTNERS[3])):
        (assignment,) = assign(
            case=case,
            clients=[client],
            exercise=exercise,
            starts_on=today - timedelta(days=3),
            ends_on=today + timedelta(days=4),
            by=therapist,
            personal_note=note,
        )
        checkin = save_checkin(checkin=draft_of(assignment), tried="partly", text=text, made_things_worse=False)
        send_checkin(checkin=checkin)
    return first, review
