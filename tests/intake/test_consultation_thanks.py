"""The thank-you page names the consultation time the visitor asked for, with the time zone, and how it is confirmed."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation

from clinic.appointments.booking import Slot
from clinic.appointments.consultations import publish
from intake import inquiries
from tests.appointments.helpers import at, next_weekday
from tests.browserlike import BrowserLikeClient

pytestmark = pytest.mark.django_db

TYPED = {
    "name": "Robin",
    "message": "We would like to talk about how we decide things.",
    "preferred_times": "",
    "consent_to_contact": "on",
}
CONTACT = {"email": "robin@example.org", "text": "(213) 555-0144", "phone": "(213) 555-0145"}
SAYS = {
    ("en", "email"): "We will confirm this time with you by email: please look out for our message.",
    ("en", "text"): "We will confirm this time with you by text message: please look out for our message.",
    ("en", "phone"): "Someone from the practice will call you to confirm this time.",
    ("es", "email"): "Le confirmaremos este horario por correo electrónico: esté pendiente de nuestro mensaje.",
    ("es", "text"): "Le confirmaremos este horario por mensaje de texto: esté pendiente de nuestro mensaje.",
    ("es", "phone"): "Alguien del consultorio le llamará para confirmar este horario.",
}
ASKED = {
    "en": "You asked for a free first conversation on Wednesday, {date}, 10:30 AM, Los Angeles time.",
    "es": "Pidió una primera conversación gratuita el miércoles, {date}, 10:30 a. m., hora de Los Angeles.",
}

MESES = {1: "enero", 2: "febrero", 3: "marzo", 4: "abril", 5: "mayo", 6: "junio", 7: "julio", 8: "agosto"}
MESES |= {9: "septiembre", 10: "octubre", 11: "noviembre", 12: "diciembre"}


@pytest.fixture(autouse=True)
def _no_minimum_time(monkeypatch):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)


@pytest.fixture
def slot(therapist):
    day = next_weekday(2)
    publish(therapist=therapist, slots=[Slot(at(day, 10, 30), at(day, 10, 50))])
    return at(day, 10, 30)


def url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def thanks_after(http, language: str, **data) -> str:
    start = url("inquiry_start", language)
    started = re.search(r'name="started" value="([^"]+)"', http.get(start).content.decode())[1]
    sent = http.post(start, {**TYPED, "started": started, **data}, REMOTE_ADDR="203.0.113.7")
    assert sent.status_code == 302 and sent.url == url("inquiry_thanks", language)
    page = BeautifulSoup(http.get(sent.url).content, "html.parser")
    return " ".join(page.select_one("main").get_text().split())


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("method", ["email", "text", "phone"])
def test_the_thank_you_names_the_time_and_how_it_will_be_confirmed(slot, language, method):
    local = timezone.localtime(slot)
    date = local.strftime("%B %-d, %Y") if language == "en" else f"{local.day} de {MESES[local.month]} de {local.year}"
    text = thanks_after(
        BrowserLikeClient(),
        language,
        contact_method=method,
        contact_value=CONTACT[method],
        consultation=slot.isoformat(),
    )
    assert ASKED[language].format(date=date) in text
    assert SAYS[(language, method)] in text
    assert ("It is booked once it is confirmed." if language == "en" else "Queda reservado una vez confirmado.") in text


def test_without_a_time_the_thank_you_names_none_and_it_is_named_once(slot):
    http = BrowserLikeClient()
    plain = thanks_after(http, "en", contact_method="email", contact_value=CONTACT["email"])
    assert "You asked for" not in plain and "Your message has reached the practice" in plain
    with_time = thanks_after(
        http, "en", contact_method="email", contact_value=CONTACT["email"], consultation=slot.isoformat()
    )
    assert "You asked for" in with_time
    # Named once: the page opened again on a shared device no longer says it.
    again = BeautifulSoup(http.get(reverse("inquiry_thanks")).content, "html.parser").get_text()
    assert "You asked for" not in again and "Your message has reached the practice" in again
