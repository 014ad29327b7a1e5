"""Every field of the registry of words clients read says, in the page where staff type it, who reads it.

One row per registered field: the editor's address, who opens it, the form field's id, and the notice the
registry gives for what that editor edits. A field added to the registry without a row here fails.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from assessments.models import SafetyInfo
from clinic.appointments.models import Appointment
from clinic.clients import words
from clinic.plans.models import Assignment, Exercise, ExerciseText, Goal
from clinic.plans.planning import start_plan
from intake.models import ConsentDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(couple_case, therapist, person):
    version = start_plan(case=couple_case, by=therapist)
    goal = Goal.objects.create(version=version, practice="repair", client=person, statement="Say no once")
    starts = timezone.now() + timedelta(days=3)
    appointment = Appointment.objects.create(
        case=couple_case,
        therapist=therapist,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=50),
        created_by=therapist,
    )
    return {"case": couple_case, "goal": goal, "appointment": appointment}


def editors(rows) -> dict[tuple[str, str], tuple[str, str, str, str]]:
    """(model, field) -> (editor address, who opens it, form field id, the notice it must show)."""
    case, goal, appointment = rows["case"], rows["goal"], rows["appointment"]
    plan = reverse("plan_edit", kwargs={"code": case.code})
    assign = reverse("assignment_new", kwargs={"code": case.code})
    library = reverse("exercise_new")
    book = reverse("appointment_book", kwargs={"case_code": case.code})
    moved = reverse("appointment_detail", kwargs={"code": appointment.code})
    rows = {
        ("plans.Goal", name): (plan, "therapist", f"id_goal-{goal.code}-{name}", words.notice(goal, name))
        for name in ("statement", "progress_shows")
    }
    rows[("plans.Assignment", "personal_note")] = (
        assign,
        "therapist",
        "id_personal_note",
        words.notice(Assignment, "personal_note"),
    )
    for name in ("title", "instructions", "suggested_length"):
        # An assignment's words are the library's, copied when assigned: typed in the library.
        rows[("plans.Exercise", name)] = (library, "therapist", f"id_{name}", words.notice(Exercise, name))
        rows[("plans.Assignment", name)] = rows[("plans.Exercise", name)]
        rows[("plans.ExerciseText", name)] = (
            library,
            "therapist",
            f"id_text-es-{name}",
            words.notice(ExerciseText, name),
        )
    rows[("appointments.Appointment", "video_link")] = (
        book,
        "therapist",
        "id_video_link",
        words.notice(Appointment, "video_link"),
    )
    rows[("appointments.Appointment", "video_link", "moved")] = (
        moved,
        "therapist",
        "id_video_link",
        words.notice(appointment, "video_link"),
    )
    for name in ("title", "body"):
        rows[("intake.ConsentDocument", name)] = (
            reverse("consent_texts"),
            "admin",
            f"id_{name}",
            words.notice(ConsentDocument, name),
        )
    for name in ("intro", "hotlines"):
        rows[("assessments.SafetyInfo", name)] = (
            reverse("safety_edit"),
            "admin",
            f"id_{name}",
            words.notice(SafetyInfo, name),
        )
    return rows


def test_every_registered_field_has_an_editor_here(rows):
    registered = {(entry.model, name) for entry in words.REGISTRY for name in entry.fields}
    assert {key[:2] for key in editors(rows)} == registered


def test_every_editor_says_who_reads_the_field_first_in_its_help(rows, as_user, therapist, admin_user):
    users = {"therapist": therapist, "admin": admin_user}
    wrong = []
    for key, (address, who, field_id, says) in editors(rows).items():
        response = as_user(users[who]).get(address)
        help_text = BeautifulSoup(response.content, "html.parser").find(id=f"{field_id}_helptext")
        if response.status_code != 200 or help_text is None or not help_text.get_text(strip=True).startswith(says):
            wrong.append(f"{key} at {address}: {help_text.get_text(strip=True) if help_text else 'no help text'}")
    assert not wrong, "\n".join(wrong)


def test_the_notices_name_the_partners_when_the_editor_has_a_row(rows, person, partner):
    assert words.notice(rows["goal"], "statement").startswith(f"Only {person.display_name} reads this")
    assert words.notice(rows["appointment"], "video_link").startswith(
        f"Both partners read this ({person.display_name} and {partner.display_name})"
    )
