"""What a partner glancing at the client's phone can read says nothing about the care.

The client home in every state, every client page's tab title, every email a client can
receive and the name of every file a client takes away use neutral words: no "safety",
"danger", "abuse", "risk", "power" (clinic.lib.neutral). The inside of a questionnaire may say
what it asks; its name on the home page and in titles does not.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.catalogue import client_title
from assessments.framework import registry
from assessments.models import RiskFlag
from assessments.screenings import assign, submit
from clinic.clients.models import Client
from clinic.lib.neutral import unneutral_words
from clinic.plans.exercises import assign as assign_exercise
from intake.filling import submit_intake
from intake.invitations import send_invitation
from intake.models import Intake
from intake.sections import SECTIONS
from tests.factories import attended_session
from tests.intake.conftest import VALID
from tests.plans.practice_helpers import library_exercise
from tests.releases.flow import authorize

# Forbidden words the issue names, checked on their own too (the helper also knows their forms).
NAMED = ["safety", "safe", "danger", "abuse", "violence", "risk", "harm", "fear", "power"]


def visible_text_and_title(response) -> tuple[str, str]:
    html = BeautifulSoup(response.content, "html.parser")
    title = html.title.get_text(strip=True) if html.title else ""
    for hidden in html(["script", "style", "title"]):
        hidden.decompose()
    return " ".join(html.get_text(" ").split()), title


def assert_neutral(text: str) -> None:
    assert unneutral_words(text) == [], text
    for word in NAMED:
        assert not re.search(rf"\b{word}\b", text, re.IGNORECASE), (word, text)


def test_the_word_check_catches_what_it_must_and_passes_neutral_words():
    for text in ["Questions: Feeling safe", "Safety plan", "Your RISK", "Abuse", "power and control", "harmful"]:
        assert unneutral_words(text)
    assert unneutral_words("A short check-in. Saved. Help. Your forms. Safely saved") == ["Safely"]
    assert unneutral_words("Fill in your forms. Questions about your relationship. Exit this site") == []


# The client home, state by state


def start_intake(person, sections: int) -> Intake:
    intake = Intake.objects.create(client=person)
    for section, values in list(zip(SECTIONS[:-1], VALID, strict=True))[:sections]:
        intake.save_section(section.slug, values, complete=True)
    return intake


def submitted_intake(person) -> Intake:
    intake = start_intake(person, len(SECTIONS) - 1)
    submit_intake(intake=intake, signature="Jordan Avery", request=None)
    return intake


def answer_everything(person, key: str, **overrides) -> None:
    screening = assign(client=person, key=key)
    instrument = registry.latest(key)
    answers = {i.id: str(instrument.scale(i.scale).minimum) for i in instrument.items}
    screening.save_answers({**answers, **overrides})
    submit(screening=screening)


def before_intake(person):
    pass


def intake_half_done(person):
    start_intake(person, 3)


def questionnaires_due(person):
    submitted_intake(person)


def some_questions_half_answered(person):
    submitted_intake(person)
    safety = assign(client=person, key="safety")
    safety.save_answers({"ws_recurring": "1"})


def all_done(person):
    submitted_intake(person)
    answer_everything(person, "power")
    answer_everything(person, "safety")


def a_flag_raised(person):
    submitted_intake(person)
    answer_everything(person, "power")
    answer_everything(person, "safety", dg_physical="1", dg_afraid="1")
    assert RiskFlag.objects.filter(client=person).exists()


STATES = [before_intake, intake_half_done, questionnaires_due, some_questions_half_answered, all_done, a_flag_raised]


@pytest.mark.parametrize("state", STATES, ids=lambda f: f.__name__)
def test_the_client_home_uses_only_neutral_words(as_user, client_user, person, state):
    state(person)
    response = as_user(client_user).get(reverse("client_home"))
    assert response.status_code == 200
    text, title = visible_text_and_title(response)
    assert "Your tasks" in text
    assert_neutral(text)
    assert_neutral(title)


def test_the_home_names_questionnaires_by_their_neutral_titles(as_user, client_user, person):
    questionnaires_due(person)
    html = BeautifulSoup(as_user(client_user).get(reverse("client_home")).content, "html.parser")
    tasks = [a.get_text(strip=True) for a in html.select("main a.fw-semibold")]
    assert tasks == ["Questions about your relationship", "A short check-in"]
    assert "Feeling safe" not in html.get_text()


def test_a_practice_can_name_its_questionnaires(as_user, client_user, person, settings):
    settings.QUESTIONNAIRE_TITLES = {"power": "About the two of you", "safety": "Five minutes for you"}
    questionnaires_due(person)
    text, _ = visible_text_and_title(as_user(client_user).get(reverse("client_home")))
    assert "About the two of you" in text and "Five minutes for you" in text
    assert client_title("some-licensed-instrument") == "A few questions"


def test_inside_the_check_in_the_heading_is_neutral_and_the_instructions_say_what_it_asks(as_user, client_user, person):
    screening = assign(client=person, key="safety")
    html = BeautifulSoup(
        as_user(client_user).get(reverse("questions", kwargs={"code": screening.code})).content, "html.parser"
    )
    assert html.h1.get_text(strip=True) == "A short check-in"
    assert_neutral(html.title.get_text())
    assert "make sure sessions are safe for you" in html.get_text()


# Every client page's title


def client_pages(person) -> list[str]:
    submitted_intake(person)
    screening = person.screenings.open().first()
    partner = person.cases.get().clients.exclude(pk=person.pk).get()
    mine = authorize(case=person.cases.get(), by_client=person, to_client=partner, recorder=person.created_by)
    practice = assign_exercise(
        case=person.cases.get(),
        clients=[person],
        exercise=library_exercise(),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        by=person.cases.get().primary_therapist,
    )[0]
    return [
        reverse("client_home"),
        reverse("intake_copy"),
        reverse("questions", kwargs={"code": screening.code}),
        reverse("account"),
        reverse("password_change"),
        reverse("safety_page"),
        reverse("contact_choices"),
        reverse("sharing_home"),
        reverse("sharing_new"),
        reverse("sharing_revoke", kwargs={"code": mine.code}),
        reverse("my_goals"),
        reverse("my_practice", kwargs={"code": practice.code}),
        progress_page(person),
        checkin_page(person),
        appointments_page(person),
    ]


def appointments_page(person) -> str:
    """The client's appointments, with one booked by video."""
    from datetime import timedelta

    from clinic.appointments.booking import Booking, book

    case = person.cases.get()
    first = timezone.now() + timedelta(days=8)
    booking = Booking(
        first=first,
        minutes=50,
        format="conjoint",
        individual_client=None,
        modality="telehealth",
        video_link="https://video.example.org/room",
        outside_hours=True,
    )
    book(case=case, booking=booking, by=case.primary_therapist)
    return reverse("my_appointments")


def checkin_page(person) -> str:
    """The check-in after a session the client was in."""
    case = person.cases.get()
    attended_session(case, by=case.primary_therapist)
    return reverse("session_checkin", kwargs={"code": person.session_checkins.get().code})


def progress_page(person) -> str:
    """The client's own progress page, turned on by their therapist, with two sets of answers to show."""
    from assessments.own_progress import turn_progress
    from tests.assessments.rescreen_helpers import answered

    answered(person, days_ago=60, index=48.0)
    answered(person, days_ago=5, index=35.0)
    turn_progress(client=person, on=True, by=person.cases.get().primary_therapist)
    return reverse("my_progress")


PUBLIC_PAGES = [
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "inquiry_start",
    "inquiry_thanks",
    "self_check",
    "safety_page",
]


def test_every_signed_in_client_page_has_a_neutral_title(as_user, client_user, person):
    c = as_user(client_user)
    for url in client_pages(person):
        response = c.get(url)
        assert response.status_code == 200, url
        _, title = visible_text_and_title(response)
        assert title == "Fulcrum", url
        assert_neutral(title)


def test_every_intake_section_has_a_neutral_title(as_user, client_user, person):
    c = as_user(client_user)
    for step in range(1, len(SECTIONS) + 1):
        _, title = visible_text_and_title(c.get(reverse("intake_section", kwargs={"step": step})))
        assert title == "Fulcrum"


def test_every_public_page_has_a_neutral_title(client, db):
    for name in PUBLIC_PAGES:
        _, title = visible_text_and_title(client.get(reverse(name)))
        assert title == "Fulcrum", name


def test_the_invitation_page_has_a_neutral_title_in_every_state(client, therapist, couple_case, person):
    request = RequestFactory().post("/")
    request.user = therapist
    person.user = None
    person.save(update_fields=["user"])
    link = send_invitation(client=person, by=therapist, request=request).link
    for path in (link.split("testserver")[-1], reverse("invitation_accept", kwargs={"token": "x" * 43})):
        _, title = visible_text_and_title(client.get(path))
        assert title == "Fulcrum"


def test_the_tab_title_is_the_practice_s_choice(client, db, settings):
    settings.SITE_TITLE = "Westside Appointments"
    _, title = visible_text_and_title(client.get(reverse("safety_page")))
    assert title == "Westside Appointments"


def test_no_client_page_under_my_is_left_out_of_these_tests():
    covered = {"client_home", "intake_start", "intake_section", "intake_copy", "questions"}
    covered |= {"contact_choices", "sharing_home", "sharing_new", "sharing_revoke", "my_goals", "my_practice"}
    covered |= {"my_progress", "session_checkin", "my_appointments"}
    not_pages = {"intake_autosave", "form_token", "questions_save", "checkin_autosave", "session_checkin_save"}
    # A calendar file, not a page: its title is checked in tests/appointments/test_client_appointments.py.
    not_pages |= {"my_appointment_ics"}

    def names(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from names(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.name

    mine = {name for route, name in names(get_resolver().url_patterns) if route.startswith("my/")}
    assert mine - not_pages <= covered, "a new client page: add it to client_pages() above"


# Every email a client can receive


def test_the_invitation_email_is_neutral(therapist, couple_case, person, django_capture_on_commit_callbacks):
    person.email, person.may_email = "jo@example.org", True
    person.save(update_fields=["email", "may_email"])
    request = RequestFactory().post("/")
    request.user = therapist
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(client=person, by=therapist, request=request)
    (message,) = mail.outbox
    assert message.subject == "Set up your account"
    assert_neutral(message.subject)
    assert_neutral(message.body)
    assert "therap" not in message.body.lower()


def test_the_something_new_email_is_neutral(couple_case, person, django_capture_on_commit_callbacks):
    from clinic.clients.notices import notify_something_new

    person.email, person.may_email = "jo@example.org", True
    with django_capture_on_commit_callbacks(execute=True):
        notify_something_new(client=person, request=RequestFactory().get("/"))
    (message,) = mail.outbox
    assert message.subject == "You have something new from your practice"
    assert_neutral(message.subject)
    assert_neutral(message.body)
    assert "therap" not in message.body.lower()


def test_the_password_reset_email_is_neutral(client, person):
    """The message as the worker sends it (tests run tasks at once), to the client's safe address."""
    Client.objects.filter(pk=person.pk).update(email="safe@example.org", may_email=True)
    client.post(reverse("password_reset"), {"name_or_email": person.user.username})
    (message,) = mail.outbox
    assert message.to == ["safe@example.org"]
    assert message.subject == "Your account"
    assert_neutral(message.subject)
    assert_neutral(message.body)


# Every file a client takes away


def test_a_client_summary_has_a_neutral_file_name_and_title(therapist, couple_case, person):
    import io

    from pypdf import PdfReader

    from clinic.reports.documents import client_summary_pdf

    options = {"from": "", "to": "", "notes": "full", "purpose": "the client's own request"}
    pdf, filename = client_summary_pdf(case=couple_case, client=person, options=options, by=therapist)
    assert re.fullmatch(r"summary-\d{8}-\d{4}\.pdf", filename)
    assert_neutral(filename.replace("-", " "))
    assert person.full_name.split()[0] not in filename
    assert_neutral(str(PdfReader(io.BytesIO(pdf)).metadata.title))
