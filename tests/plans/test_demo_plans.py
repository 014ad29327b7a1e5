"""The demo's plans: Jo & Sam's signed and reviewed plan with goals under all four practices and individual goals,
private practice with sent check-ins, notes linked to goals; Casey's individual plan, due for review."""

import pytest
from django.core.management import call_command

from clinic.clients import words
from clinic.clients.models import Case, Client
from clinic.notes.models import Practice
from clinic.plans.models import Assignment, CheckIn, Goal, NoteGoal, PlanVersion, TreatmentPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def test_the_couple_has_a_signed_reviewed_plan_on_the_four_practices(demo):
    jo, sam = Client.objects.get(user__username="client1"), Client.objects.get(user__username="client2")
    plan = TreatmentPlan.objects.get(case__clients=jo)
    first, review = plan.versions.order_by("number")
    assert first.is_signed and review.is_signed and review.reviews == first
    assert first.verify() and review.verify() and plan.in_force() == review
    assert first.signed_at < review.signed_at
    shared = review.goals.shared()
    assert {g.practice for g in shared} == set(Practice.values)
    assert review.goals.filter(client=jo).exists() and review.goals.filter(client=sam).exists()
    assert all(g.progress and g.progress_evidence for g in review.goals.all())
    assert review.review_summary and review.safety_included and review.safety_planning
    assert review.acknowledgements.filter(client=jo).exists() and not review.acknowledgements.filter(client=sam)
    assert review.review_due() == []


def test_each_partner_has_their_own_exercise_with_a_sent_checkin(demo):
    for username in ("client1", "client2"):
        client = Client.objects.get(user__username=username)
        (assignment,) = Assignment.objects.filter(client=client)
        assert assignment.exercise is not None and assignment.title == assignment.exercise.title
        assert (
            CheckIn.objects.filter(assignment=assignment, sent_at__isnull=False, made_things_worse=False).count() == 1
        )


def test_signed_notes_link_to_the_goals_in_force_when_they_were_written(demo):
    links = NoteGoal.objects.select_related("note__session", "goal__version")
    signed = [link for link in links if link.note.is_signed]
    assert len(signed) > 10
    assert {link.goal.version.number for link in signed} == {1, 2}
    for link in signed:
        assert link.goal.version.signed_at <= link.note.session.starts_at
        assert link.goal.practice in {t.practice for t in link.note.tags.all()}
        assert link.note.verify()


def test_the_individual_plan_is_due_for_review(demo):
    casey = Case.objects.get(clients__user__username="client5")
    version = PlanVersion.objects.get(plan__case=casey)
    assert version.is_signed and Goal.objects.filter(version=version).count() == 3
    assert version.review_due() and "days since this plan was signed" in version.review_due()[0]


def test_seeding_again_changes_nothing(demo):
    counts = [m.objects.count() for m in (TreatmentPlan, PlanVersion, Goal, NoteGoal, Assignment, CheckIn)]
    call_command("seed_demo")
    assert [m.objects.count() for m in (TreatmentPlan, PlanVersion, Goal, NoteGoal, Assignment, CheckIn)] == counts


def test_the_demo_words_clients_read_name_no_partner_beside_a_score(demo):
    # The demo models the safe use: what both partners read says what each can notice, never a partner's answers.
    for version in PlanVersion.objects.all():
        assert version.word_warnings() == [], version
    for assignment in Assignment.objects.exclude(personal_note=""):
        assert words.warnings(assignment, "personal_note") == [], assignment
    # Nor does the review's evidence (staff's, but released to a client with their summary) name one of them.
    for goal in Goal.objects.filter(client__isnull=True).select_related("version__plan__case"):
        assert words.warnings(goal, "statement", goal.progress_evidence) == [], goal.progress_evidence
