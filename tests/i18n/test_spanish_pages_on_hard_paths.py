"""A Spanish-reading client reads Spanish on the hard paths too: refusals, conflicts, expiries and what follows them.

test_spanish_pages_say_no_english.py walks every page as it is opened and sent; this walks what happens when
things go wrong or turn serious, where the words come from Python rather than a template: an exercise that made
things worse (and the help page it leads to), a check-in changed in another window, a bad value, a text too long,
a page that sent something unexpected, a check-in whose days are over, forms already sent, a plan acknowledged
without a name, contact choices changed elsewhere, an expired invitation or reset link, a session that ended.

Every answer is read as the client reads it: a page's visible text (with the message it carries after a redirect)
and an autosave's JSON message, which the page shows as it is. Each must be the answer the test meant to cause
(its status, its message), so that a path that stopped happening cannot pass unseen.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments import checkins
from assessments.checkin_v1 import COMMENT_MAX
from assessments.screenings import assign, instrument_of
from clinic.accounts.models import Role
from clinic.clients.models import Case, Client
from clinic.plans.exercise_forms import CHECKIN_TEXT_MAX
from clinic.plans.exercises import draft_of
from clinic.plans.models import ExerciseText
from intake.filling import MAX_RAW_LENGTH
from intake.invitations import send_invitation
from intake.models import ConsentDocument, Intake
from tests.factories import attended_session, make_case, make_user
from tests.i18n.helpers import english_left
from tests.plans.practice_helpers import an_exercise, assign_to
from tests.plans.progress_helpers import signed_plan

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
NOT_A_FORM = {"content_type": "application/json", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def spanish(person, partner):
    """Robin reads Spanish; what the people here are called is theirs, not the page's words."""
    Client.objects.filter(pk=person.pk).update(language="es")
    person.refresh_from_db()
    return person


@pytest.fixture
def typed(spanish, partner, therapist):
    return [spanish.full_name, spanish.display_name, partner.full_name, partner.display_name, therapist.get_full_name()]


class Reading:
    """Collects each answer's English words, so that one run names every path that still speaks English."""

    def __init__(self, typed: list[str]) -> None:
        self.typed = typed
        self.wrong: list[str] = []

    def page(self, label: str, response, *, status: int = 200, says: str = "") -> str:
        assert response.status_code == status, f"{label}: {response.status_code}"
        html = response.content.decode()
        lang, words = english_left(html, self.typed)
        if lang != "es":
            self.wrong.append(f"{label}: lang={lang!r}")
        if words:
            self.wrong.append(f"{label}: {words}")
        if says:
            assert says in html, f"{label}: {says!r} is not on the page"
        return html

    def json(self, label: str, response, *, status: int, error: str) -> None:
        assert response.status_code == status, f"{label}: {response.status_code}"
        data = response.json()
        assert data["error"] == error, f"{label}: {data}"
        _, words = english_left(f'<html lang="es"><body>{data["message"]}</body></html>', self.typed)
        if words:
            self.wrong.append(f"{label} (JSON): {data['message']!r}")

    def done(self) -> None:
        assert not self.wrong, "\n".join(self.wrong)


@pytest.fixture
def reading(typed):
    return Reading(typed)


# The exercise and its check-in


@pytest.fixture
def exercise_of(couple_case, spanish, therapist):
    exercise = an_exercise()
    ExerciseText.objects.create(
        exercise=exercise,
        language="es",
        title="Cuente hasta cinco",
        instructions="Antes de responder, suelte el aire y cuente hasta cinco.",
        suggested_length="Durante una semana",
    )
    return assign_to(couple_case, spanish, by=therapist, exercise=exercise)


def test_an_exercise_that_made_things_worse_leads_to_words_in_spanish(as_user, client_user, exercise_of, reading):
    c = as_user(client_user)
    page = reverse("my_practice", kwargs={"code": exercise_of.code})
    version = draft_of(exercise_of).revision
    sent = {"tried": "partly", "text": "Salió mal", "made_things_worse": "on", "version": version}
    response = c.post(page, sent, follow=True)
    assert response.redirect_chain[-1][0].endswith(reverse("safety_page"))
    html = reading.page("made things worse: the help page", response, says="Gracias por contarnos")
    assert 'class="messages"' in html
    reading.done()


def test_the_exercise_check_in_refuses_in_spanish(as_user, client_user, exercise_of, reading):
    c = as_user(client_user)
    page = reverse("my_practice", kwargs={"code": exercise_of.code})
    save = reverse("checkin_autosave", kwargs={"code": exercise_of.code})
    opened = draft_of(exercise_of).revision
    reading.json("bad value", c.post(save, {"tried": "maybe", "version": opened}, **JSON), status=400, error="invalid")
    too_long = {"tried": "yes", "text": "x" * (CHECKIN_TEXT_MAX + 1), "version": opened}
    reading.json("too long", c.post(save, too_long, **JSON), status=400, error="too_long")
    reading.json("not a form", c.post(save, "{}", **NOT_A_FORM), status=400, error="invalid")
    # Another window saves: this one's next save and its Send are refused, and nothing is overwritten.
    assert c.post(save, {"tried": "yes", "text": "Otra ventana", "version": opened}, **JSON).status_code == 200
    stale = {"tried": "partly", "text": "Esta ventana", "version": opened}
    reading.json("changed in another window", c.post(save, stale, **JSON), status=409, error="conflict")
    reading.page("changed in another window: Send", c.post(page, stale), status=409)
    reading.page("not a form: Send", c.post(page, "{}", content_type="application/json"), status=400)
    reading.page("no choice made: Send", c.post(page, {"text": "Sin elegir", "version": opened + 1}))
    reading.page("too long: Send", c.post(page, too_long | {"version": opened + 1}))
    sent = c.post(page, {"tried": "yes", "text": "Bien", "version": opened + 2}, follow=True)
    reading.page("sent", sent, says="Gracias")
    reading.done()


# The check-in after an appointment


def test_the_check_in_after_an_appointment_refuses_in_spanish(
    as_user, client_user, couple_case, therapist, spanish, reading
):
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=spanish)
    c = as_user(client_user)
    page = reverse("session_checkin", kwargs={"code": checkin.code})
    save = reverse("session_checkin_save", kwargs={"code": checkin.code})
    lines = {item.id: "7" for item in checkins.instrument_of(checkin).items}
    start = checkins.comment_revision("")
    reading.json("bad value", c.post(save, {"heard": "99", "revision": start}, **JSON), status=400, error="invalid")
    long_line = {"comment": "x" * (COMMENT_MAX + 1), "revision": start}
    reading.json("too long", c.post(save, long_line, **JSON), status=400, error="invalid")
    reading.json("not a form", c.post(save, "{}", **NOT_A_FORM), status=400, error="invalid")
    reading.page("too long: Send", c.post(page, lines | long_line), status=400, says=str(COMMENT_MAX))
    reading.page("not answered: Send", c.post(page, {"heard": "7", "revision": start}))
    # Another window saved a line since this page opened.
    assert c.post(save, {"comment": "Desde el teléfono", "revision": start}, **JSON).status_code == 200
    mine = {"comment": "Desde la computadora", "revision": start}
    reading.json("changed in another window", c.post(save, mine, **JSON), status=409, error="changed")
    reading.page("changed in another window: Send", c.post(page, lines | mine), status=409)
    with time_machine.travel(checkin.expires_at + timedelta(minutes=1)):
        c = as_user(client_user)
        reading.json("closed", c.post(save, {"heard": "5"}, **JSON), status=409, error="closed")
        reading.page("closed: the page", c.get(page, follow=True), says="se cerró")
    reading.done()


def test_sent_forms_and_questions_refuse_in_spanish(as_user, client_user, couple_case, therapist, spanish, reading):
    c = as_user(client_user)
    # The intake: too long, not a form, and after it was sent.
    save = reverse("intake_autosave", kwargs={"step": 4})
    too_long = {"reasons": "x" * (MAX_RAW_LENGTH + 1)}
    reading.json("intake too long", c.post(save, too_long, **JSON), status=400, error="too_long")
    reading.json("intake not a form", c.post(save, "{}", **NOT_A_FORM), status=400, error="invalid")
    section = reverse("intake_section", kwargs={"step": 4})
    reading.page("intake too long: Next", c.post(section, too_long))
    reading.page("intake not a form: Next", c.post(section, "{}", content_type="application/json"))
    intake = Intake.objects.get(client=spanish)
    Kind = ConsentDocument.Kind
    consent, privacy = (
        ConsentDocument.objects.current(kind, "es") for kind in (Kind.INFORMED_CONSENT, Kind.PRIVACY_NOTICE)
    )
    assert intake.submit(consent=consent, privacy=privacy, signature=spanish.full_name)
    reading.json("intake already sent", c.post(save, {"reasons": "Más"}, **JSON), status=409, error="submitted")
    # Questions: a value that is not a choice, some not answered, and after they were sent.
    screening = assign(client=spanish, key="power", by=therapist)
    questions = reverse("questions", kwargs={"code": screening.code})
    questions_save = reverse("questions_save", kwargs={"code": screening.code})
    reading.json("questions bad value", c.post(questions_save, {"dec1": "99"}, **JSON), status=400, error="invalid")
    reading.page("questions bad value: Send", c.post(questions, {"dec1": "99"}), status=400)
    reading.page("questions not answered: Send", c.post(questions, {"dec1": "1"}))
    instrument = instrument_of(screening)
    every = {item.id: str(instrument.scale(item.scale).choices[0].value) for item in instrument.items}
    assert c.post(questions, every).status_code == 302
    reading.json("questions already sent", c.post(questions_save, {"dec1": "1"}, **JSON), status=409, error="submitted")
    reading.page("questions already sent: the page", c.get(questions, follow=True))
    reading.done()


# The plan and the client's own choices


def goal_words(version) -> list[str]:
    """What the therapist wrote in the plan: theirs, not the page's."""
    return [text for goal in version.goals.all() for text in (goal.statement, goal.progress_shows) if text]


def test_the_plan_acknowledgement_speaks_spanish(as_user, client_user, couple_case, therapist, spanish, reading):
    version = signed_plan(couple_case, therapist, person=spanish, ask=True)
    reading.typed += goal_words(version)
    c = as_user(client_user)
    goals = reverse("my_goals")
    reading.page("no name typed", c.post(goals, {"version": str(version.code), "typed_name": " "}), status=400)
    done = c.post(goals, {"version": str(version.code), "typed_name": spanish.full_name}, follow=True)
    reading.page("confirmed", done, says="Gracias")
    not_asked = signed_plan(make_case(therapist=therapist, users=[]), therapist)
    assert not_asked.pk  # another case's plan is not this client's: 404, as any stranger's
    assert c.post(goals, {"version": str(not_asked.code), "typed_name": "x"}).status_code == 404
    reading.done()


def test_a_plan_that_asks_nothing_says_so_in_spanish(as_user, client_user, couple_case, therapist, spanish, reading):
    version = signed_plan(couple_case, therapist, person=spanish)
    reading.typed += goal_words(version)
    c = as_user(client_user)
    response = c.post(reverse("my_goals"), {"version": str(version.code), "typed_name": spanish.full_name})
    reading.page("nothing to acknowledge", response, status=400)
    reading.done()


def test_contact_choices_changed_elsewhere_say_so_in_spanish(as_user, client_user, spanish, reading):
    c = as_user(client_user)
    url = reverse("contact_choices")
    opened = str(spanish.contact_version)
    assert c.post(url, {"version": opened, "safe_times": "Mañanas"}).status_code == 302
    stale = c.post(url, {"version": opened, "safe_times": "Tardes"})
    reading.page("changed elsewhere", stale, says="Tardes")
    reading.done()


# Links and sessions that have ended


def test_an_expired_invitation_and_reset_link_speak_spanish(client, therapist, reading):
    case = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL)
    newcomer = case.clients.get()
    Client.objects.filter(pk=newcomer.pk).update(language="es")
    newcomer.refresh_from_db()
    request = RequestFactory().post("/")
    request.user = therapist
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = send_invitation(client=newcomer, by=therapist, request=request).link
        assert "/es/welcome/" in link
        clock.shift(timedelta(days=365))
        reading.page("expired invitation", client.get(link.removeprefix("http://testserver")), status=410)
    someone = make_user(Role.CLIENT)
    uid = urlsafe_base64_encode(force_bytes(someone.pk))
    token = default_token_generator.make_token(someone)
    someone.set_password("changed-since-then")
    someone.save()
    used = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    response = client.get(f"/es{used}", follow=True)
    reading.page("expired reset link", response)
    reading.done()


def test_a_session_that_ended_says_so_in_spanish(as_user, client_user, spanish, settings, reading):
    c = as_user(client_user)
    assert c.get(reverse("client_home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60)):
        response = c.get(reverse("client_home"), follow=True)
    html = reading.page("session ended", response)
    assert 'class="messages"' in html
    reading.done()


def test_the_reading_finds_an_english_message():
    # The collector can fail: an English JSON message and an English page are both named.
    class Answer:
        status_code = 400
        content = b'<html lang="es"><body><p>Not saved: please shorten it.</p></body></html>'

        @staticmethod
        def json():
            return {"error": "too_long", "message": "Not saved: please shorten it."}

    reading = Reading([])
    reading.json("json", Answer(), status=400, error="too_long")
    reading.page("page", Answer(), status=400)
    assert len(reading.wrong) == 2
    with pytest.raises(AssertionError):
        reading.done()


def test_a_message_is_kept_in_the_words_of_the_request_that_said_it(as_user, client_user, therapist, spanish):
    # A message given lazily (gettext_lazy) is kept as words in the client's language, not as something to be
    # translated later: the page that shows it may be read under another language (a language just changed).
    screening = assign(client=spanish, key="power", by=therapist)
    instrument = instrument_of(screening)
    every = {item.id: str(instrument.scale(item.scale).choices[0].value) for item in instrument.items}
    c = as_user(client_user)
    questions = reverse("questions", kwargs={"code": screening.code})
    assert c.post(questions, every).status_code == 302
    c.get(reverse("client_home"))  # the thank-you is shown and gone
    assert c.get(questions).status_code == 302
    (kept,) = json.loads(c.session["_messages"])
    assert kept[3] == "Ya envió estas respuestas. Gracias."
    Client.objects.filter(pk=spanish.pk).update(language="en")
    home = c.get(reverse("client_home")).content.decode()
    assert '<html lang="en' in home and "Ya envió estas respuestas. Gracias." in home


def test_djangos_own_form_errors_come_out_in_spanish(as_user, client_user, spanish, reading):
    # Messages our code does not write (a wrong old password, a new one too short and too common) come from
    # Django's own Spanish catalogue.
    c = as_user(client_user)
    sent = {"old_password": "not-it", "new_password1": "abc", "new_password2": "abc"}
    html = reading.page("password change refused", c.post(reverse("password_change"), sent))
    assert "contraseña antigua" in html and "demasiado corta" in html
    reading.done()
