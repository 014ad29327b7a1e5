"""Exercises in the client's language: the library holds words per language, an assignment keeps those it was given."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.lib.neutral import unneutral_words
from clinic.plans.library import LIBRARY, TEXTS
from clinic.plans.models import Assignment, Exercise, ExerciseText
from tests.plans.practice_helpers import an_exercise, assign_to

pytestmark = pytest.mark.django_db


def spanish(client):
    client.language = "es"
    client.save(update_fields=["language"])
    return client


@pytest.fixture
def exercise():
    made = an_exercise()
    ExerciseText.objects.create(
        exercise=made,
        language="es",
        title="Cuente hasta cinco",
        instructions="Antes de responder en un momento tenso, suelte el aire y cuente hasta cinco.",
        suggested_length="Cada vez que surja, durante una semana",
    )
    return made


def test_every_library_exercise_has_whole_spanish_words_that_a_partner_may_glance_at():
    titles = {title for _, title, *_ in LIBRARY}
    assert set(TEXTS["es"]) == titles
    for title, (es_title, instructions, length) in TEXTS["es"].items():
        assert es_title.strip() and instructions.strip() and length.strip(), title
        assert not unneutral_words(es_title), es_title


def test_a_new_install_has_the_library_in_spanish():
    # What migrations 0003 and 0006 do on a new install, run on empty tables (the rows they left in the test
    # database are gone after any test that empties the database, such as a browser test).
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    ExerciseText.objects.all().delete()
    Assignment.objects.all().delete()
    Exercise.objects.all().delete()
    state = MigrationLoader(connection).project_state(("plans", "0006_library_in_spanish"))
    import_module("clinic.plans.migrations.0003_practice_library").add_library(state.apps, None)
    import_module("clinic.plans.migrations.0006_library_in_spanish").add_texts(state.apps, None)
    library = Exercise.objects.filter(title__in=TEXTS["es"])
    assert library.count() == len(LIBRARY)
    assert ExerciseText.objects.filter(exercise__in=library, language="es").count() == len(LIBRARY)


def test_a_spanish_client_is_given_the_spanish_words_and_the_other_partner_the_english(
    therapist, couple_case, person, partner, exercise
):
    spanish(person)
    mine = assign_to(couple_case, person, by=therapist, exercise=exercise)
    theirs = assign_to(couple_case, partner, by=therapist, exercise=exercise)
    assert (mine.title, mine.language) == ("Cuente hasta cinco", "es")
    assert mine.suggested_length == "Cada vez que surja, durante una semana"
    assert (theirs.title, theirs.language) == ("Count to five first", "en")
    event = AuditEvent.objects.filter(action=Action.EXERCISE_ASSIGNED, client=person).get()
    assert event.detail["language"] == "es"


def test_a_later_edit_of_the_spanish_words_leaves_the_assignment_as_given(therapist, couple_case, person, exercise):
    spanish(person)
    given = assign_to(couple_case, person, by=therapist, exercise=exercise)
    ExerciseText.objects.filter(exercise=exercise).update(instructions="Otras palabras.")
    given.refresh_from_db()
    assert given.instructions.startswith("Antes de responder")


def test_the_client_reads_it_in_spanish_with_the_words_marked_as_spanish(
    as_user, client_user, therapist, couple_case, person, exercise
):
    spanish(person)
    given = assign_to(couple_case, person, by=therapist, exercise=exercise)
    page = as_user(client_user).get(reverse("my_practice", kwargs={"code": given.code})).content.decode()
    assert '<html lang="es"' in page
    assert '<h1 class="h3" lang="es">Cuente hasta cinco</h1>' in page
    assert "Count to five" not in page


def test_without_spanish_words_the_therapist_is_told_and_the_words_are_marked_english(
    as_user, client_user, therapist, couple_case, person
):
    spanish(person)
    plain = an_exercise(title="Only in English")
    today = timezone.localdate()
    response = as_user(therapist).post(
        reverse("assignment_new", kwargs={"code": couple_case.code}),
        {
            "exercise": str(plain.code),
            "who": str(person.code),
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=7)).isoformat(),
            "personal_note": "",
            "goal": "",
        },
        follow=True,
    )
    assert "reads it in English: the library has no Español words for this exercise yet" in response.content.decode()
    given = Assignment.objects.get(client=person)
    assert given.language == "en"
    page = as_user(client_user).get(reverse("my_practice", kwargs={"code": given.code})).content.decode()
    assert '<h1 class="h3" lang="en">Only in English</h1>' in page


def test_staff_write_edit_and_remove_the_spanish_words_in_the_library(as_user, therapist, exercise):
    http = as_user(therapist)
    url = reverse("exercise_edit", kwargs={"code": exercise.code})
    page = http.get(url).content.decode()
    assert "In Español" in page and "Cuente hasta cinco" in page
    base = {
        "title": exercise.title,
        "practice": exercise.practice,
        "instructions": exercise.instructions,
        "suggested_length": exercise.suggested_length,
        "is_active": "on",
    }
    # Half-filled: refused, nothing typed lost.
    half = {**base, "text-es-title": "Nuevo título", "text-es-instructions": "", "text-es-suggested_length": ""}
    refused = http.post(url, half)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Fill in all three, or leave all three empty" in body and "Nuevo título" in body
    assert ExerciseText.objects.get(exercise=exercise).title == "Cuente hasta cinco"
    whole = {
        **base,
        "text-es-title": "  Nuevo   título ",
        "text-es-instructions": "Nuevas palabras.",
        "text-es-suggested_length": "Una semana",
    }
    assert http.post(url, whole).status_code == 302
    assert ExerciseText.objects.get(exercise=exercise).title == "Nuevo título"
    event = AuditEvent.objects.filter(action=Action.EXERCISE_SAVED).latest("pk")
    assert event.detail["languages"] == ["es"]
    empty = {**base, "text-es-title": "", "text-es-instructions": "", "text-es-suggested_length": ""}
    assert http.post(url, empty).status_code == 302
    assert not ExerciseText.objects.filter(exercise=exercise).exists()


def test_the_library_says_which_exercises_are_also_in_spanish(as_user, therapist, exercise):
    page = as_user(therapist).get(reverse("exercise_library")).content.decode()
    assert "Also in Español" in page
