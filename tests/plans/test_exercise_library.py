"""The practice library: therapists and admins list, add and edit exercises under the four practices."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.lib.neutral import unneutral_words
from clinic.notes.models import Practice
from clinic.plans.models import Exercise
from tests.plans.practice_helpers import an_exercise

pytestmark = pytest.mark.django_db


def test_the_first_library_has_two_exercises_under_each_practice():
    from clinic.plans.library import LIBRARY as library

    assert sorted(practice for practice, *_ in library) == sorted(Practice.values * 2)
    assert not [title for _, title, *_ in library if unneutral_words(title)], "titles a partner may glance at"


def test_it_lists_every_exercise_under_its_practice(as_user, therapist):
    for practice in Practice.values:
        an_exercise(practice=practice, title=f"Try {practice}")
    an_exercise(practice=Practice.REPAIR, title="Old one", is_active=False)
    page = as_user(therapist).get(reverse("exercise_library"))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    groups = soup.select(".exercise-group")
    assert [g.select_one("h2").get_text(strip=True) for g in groups] == [
        "Naming power",
        "Tolerating disagreement",
        "Restoring agency",
        "Repair",
    ]
    for group, practice in zip(groups, Practice.values, strict=True):
        assert f"Try {practice}" in [a.get_text(strip=True) for a in group.select(".exercise a")]
    assert len(soup.select(".exercise a")) == Exercise.objects.count()
    assert "Inactive" in groups[3].get_text()


def test_an_admin_adds_an_exercise_and_it_is_audited(as_user, admin_user):
    http = as_user(admin_user)
    data = {
        "title": "  Ask   before you decide ",
        "practice": "restoring_agency",
        "instructions": "Once a day, ask what the other would like before a small decision.",
        "suggested_length": "Once a day, for a week",
        "is_active": "on",
    }
    response = http.post(reverse("exercise_new"), data)
    assert response.status_code == 302 and response.url == reverse("exercise_library")
    made = Exercise.objects.get(title="Ask before you decide")
    assert made.practice == "restoring_agency" and made.is_active
    event = AuditEvent.objects.get(action=Action.EXERCISE_SAVED)
    assert event.target_id == str(made.code) and event.detail["new"] is True
    assert "Once a day" not in str(event.detail)


def test_a_therapist_edits_and_deactivates_one(as_user, therapist):
    exercise = an_exercise(title="A pause before you reply")
    data = {
        "title": exercise.title,
        "practice": exercise.practice,
        "instructions": "New words.",
        "suggested_length": exercise.suggested_length,
    }
    response = as_user(therapist).post(reverse("exercise_edit", kwargs={"code": exercise.code}), data)
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.instructions == "New words." and not exercise.is_active
    page = as_user(therapist).get(reverse("exercise_library"))
    assert "Inactive" in page.content.decode()


def test_it_says_what_is_missing(as_user, therapist):
    before = Exercise.objects.count()
    response = as_user(therapist).post(reverse("exercise_new"), {"title": "   ", "practice": "nonsense"})
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").select_one("#error-summary").get_text(" ", strip=True)
    assert "Give the exercise a short title." in text
    assert "Write the instructions the client will read." in text
    assert "Select a valid choice" in text or "Choose" in text
    assert Exercise.objects.count() == before


def test_clients_and_outsiders_get_404_and_a_wrong_method_405(as_user, client_user, outsider, therapist):
    exercise = an_exercise()
    for user in (client_user, outsider):
        http = as_user(user)
        assert http.get(reverse("exercise_library")).status_code == 404
        assert http.get(reverse("exercise_edit", kwargs={"code": exercise.code})).status_code == 404
        assert http.post(reverse("exercise_new"), {"title": "x"}).status_code == 404
    assert as_user(therapist).post(reverse("exercise_library")).status_code == 405
    assert (
        as_user(therapist)
        .get(reverse("exercise_edit", kwargs={"code": "00000000-0000-0000-0000-000000000000"}))
        .status_code
        == 404
    )
