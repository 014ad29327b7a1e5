"""The registry of words clients read word for word: who reads each, what an editor says, and the naming check."""

import pytest

from clinic.appointments.models import Appointment
from clinic.clients import words
from clinic.clients.models import Case
from clinic.plans.models import Assignment, Exercise, Goal
from clinic.plans.planning import start_plan
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(couple_case, person, partner):
    """The couple as Jordan "Jo" Avery and José Avery (a family name both share)."""
    person.full_name, person.preferred_name = "Jordan Avery", "Jo"
    person.save()
    partner.full_name, partner.preferred_name = "José Avery", ""
    partner.save()
    return couple_case


@pytest.fixture
def version(named, therapist):
    return start_plan(case=named, by=therapist)


def goal(version, client=None, **kw) -> Goal:
    values = {"practice": Goal.Practice.NAMING_POWER, "statement": "Name who decides", "progress_shows": ""}
    return Goal.objects.create(version=version, client=client, **{**values, **kw})


def test_a_shared_goal_is_read_by_both_partners_and_an_own_goal_by_its_partner_alone(version, person, partner):
    assert words.readers(goal(version), "statement") == [person, partner]
    assert words.readers(goal(version, person), "progress_shows") == [person]


def test_the_editor_notice_names_who_reads(version, person, partner, therapist):
    assert (
        words.notice(goal(version), "progress_shows")
        == "Both partners read this (Jo and José Avery), word for word, once the plan is signed."
    )
    assert words.notice(goal(version, partner), "statement") == (
        "Only José Avery reads this, word for word, once the plan is signed."
    )
    solo = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL)
    alone = solo.clients.get()
    note = Assignment(case=solo, client=alone)
    assert words.notice(note, "personal_note") == f"Only {alone.display_name} reads this, word for word."
    # Without a row (a form for a new one), and for words of the whole practice: who, in general.
    assert words.notice(Assignment, "personal_note").startswith("Only the client it is assigned to reads this")
    assert (
        words.notice(Exercise(), "instructions")
        == "Every client it is assigned to from now on reads this, word for word."
    )


def test_a_conjoint_appointments_link_is_read_by_both_and_an_individual_ones_by_one(named, person, partner):
    assert words.readers(Appointment(case=named, format="conjoint"), "video_link") == [person, partner]
    assert words.readers(Appointment(case=named, individual_client=partner), "video_link") == [partner]


def test_a_text_both_read_that_names_a_partner_beside_a_score_is_warned_about(version):
    shared = goal(version, progress_shows="Both can name the last money decision; Jo's money score falls")
    (warning,) = words.warnings(shared, "progress_shows")
    assert warning.startswith("It names Jo beside “score”, and both partners read it, word for word.")
    # Any case, accents or not, a typographic apostrophe: still one of them.
    for text in ("JOSE's questionnaire", "jos\u00e9\u2019s flag was raised", "The screening of Jordan"):
        assert words.warnings(goal(version, statement=text), "statement"), text


def test_no_warning_without_a_partners_name_or_without_a_clinical_word(version):
    for text in (
        "Both partners' questionnaire scores fall",  # a score, no name
        "Jo says what she wants first",  # a name, no score
        "A joke about the score",  # "Jo" inside another word
        "The Averys' questionnaire",  # a family name both share names neither one
        "Jojo's score",
    ):
        assert words.warnings(goal(version, statement=text), "statement") == [], text


def test_a_text_one_partner_reads_may_name_them_but_not_the_other(version, person, partner):
    own = goal(version, person, statement="Jo's own score on decisions eases")
    assert words.warnings(own, "statement") == []
    about_the_other = goal(version, person, statement="Notice when José's questionnaire comes up")
    (warning,) = words.warnings(about_the_other, "statement")
    assert "It names José Avery beside “questionnaire”, and Jo reads it, word for word." in warning


def test_a_text_is_checked_as_typed_before_it_is_saved(version):
    shared = goal(version)
    assert words.warnings(shared, "progress_shows", "Jo's rating of the sessions rises")
    assert words.warnings(shared, "progress_shows") == []


def test_a_field_outside_the_registry_has_no_notice(version):
    with pytest.raises(LookupError):
        words.notice(goal(version), "progress_evidence")
    assert not words.declared("plans.Goal", "progress_evidence")
    assert words.declared("plans.Goal", "progress_shows") and words.declared("plans.CheckIn", "text")


def test_every_registered_field_exists():
    assert words.check() == []
