"""Assigning an exercise: the note says who reads it, a preview shows each client's page, and a note that names
the other partner beside a score is assigned only once the therapist confirms it, with every word kept."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.plans.models import Assignment, ExerciseText
from tests.plans.practice_helpers import an_exercise
from tests.plans.practice_helpers import assignment_form as data

pytestmark = pytest.mark.django_db

NAMING = "Sam's questionnaire showed money is hard to talk about: notice who decides this week."


@pytest.fixture
def named(couple_case, person, partner):
    person.full_name, person.preferred_name = "Jordan Avery", "Jo"
    person.save()
    partner.full_name, partner.preferred_name = "Sam Avery", "Sam"
    partner.save()
    return couple_case


@pytest.fixture
def exercise(db):
    return an_exercise()


@pytest.fixture
def http(as_user, therapist):
    return as_user(therapist)


def url(case) -> str:
    return reverse("assignment_new", kwargs={"code": case.code})


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_the_note_says_who_reads_it(http, named, exercise):
    html = page(http.get(url(named)))
    assert html.find(id="id_personal_note_helptext").get_text(strip=True) == (
        "Only the client it is assigned to reads this (each alone, when it is for both partners), word for word."
    )


def test_preview_shows_each_clients_page_in_their_language_and_assigns_nothing(http, named, exercise, partner):
    partner.language = "es"
    partner.save()
    ExerciseText.objects.create(
        exercise=exercise,
        language="es",
        title="Contar hasta cinco",
        instructions="Respire.",
        suggested_length="Una semana",
    )
    response = http.post(url(named), data(exercise, "both", personal_note="Try it after dinner.", go="preview"))
    assert response.status_code == 200
    assert not Assignment.objects.exists()
    section = page(response).find(id="assignment-preview")
    views = [div.get_text(" ", strip=True) for div in section.select("div.client-preview")]
    assert views[0].startswith("Count to five first") and "A few words for you Try it after dinner." in views[0]
    assert views[1].startswith("Contar hasta cinco") and "Unas palabras para usted Try it after dinner." in views[1]
    # The form comes back as it was filled in.
    assert page(response).find("textarea", attrs={"name": "personal_note"}).get_text().strip() == "Try it after dinner."


def test_a_note_naming_the_other_partner_beside_a_score_waits_for_a_confirmation(http, named, exercise, person):
    response = http.post(url(named), data(exercise, str(person.code), personal_note=NAMING))
    assert response.status_code == 200
    assert not Assignment.objects.exists()
    html = page(response)
    box = html.find(id="word-warnings").get_text(" ", strip=True)
    assert "It names Sam beside “questionnaire”, and Jo reads it, word for word." in box
    assert html.find("textarea", attrs={"name": "personal_note"}).get_text().strip() == NAMING
    assert html.find(id="assignment-preview") is not None

    http.post(url(named), data(exercise, str(person.code), personal_note=NAMING, words_confirmed="yes"))
    (made,) = Assignment.objects.all()
    assert made.client == person and made.personal_note == NAMING


def test_a_note_naming_the_partner_who_reads_it_goes_at_once(http, named, exercise, person):
    note = "Jo, your questionnaire this month: we can talk about it."
    http.post(url(named), data(exercise, str(person.code), personal_note=note))
    assert Assignment.objects.get().personal_note == note


def test_for_both_partners_a_note_naming_either_beside_a_score_is_warned_about(http, named, exercise):
    response = http.post(url(named), data(exercise, "both", personal_note="Jo's score and the pause"))
    assert not Assignment.objects.exists()
    assert "It names Jo beside “score”, and Sam reads it" in page(response).find(id="word-warnings").get_text(" ")
