"""What a shared device may still show after quick exit, said calmly on the help page and linked from every page.

Quick exit signs out and replaces the page, but the browser's history keeps the addresses of the pages opened
and the downloads list keeps a calendar file; the server cannot erase them. The help page says so in the
reader's language, with how to clear them, in words fixed by us (a practice's own introduction cannot drop them),
and the quick-exit note at the foot of every client and public page links to that part of the help page.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from assessments.models import SafetyInfo
from clinic.clients.models import Client
from clinic.lib.neutral import unneutral_words

pytestmark = pytest.mark.django_db


def in_spanish(name: str) -> str:
    with translation.override("es"):
        return reverse(name)


def device_section(response):
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one("main #this-device")


def test_the_help_page_says_what_the_device_keeps_and_how_to_clear_it(client):
    section = device_section(client.get(reverse("safety_page")))
    heading = section.select_one("h2")
    assert heading.get_text() == "What this device may still show"
    assert section["aria-labelledby"] == heading["id"]
    text = section.get_text(" ", strip=True)
    for said in ("history", "addresses of the pages", "downloads list", "calendar file", "downloads folder"):
        assert said in text, said
    assert "We cannot remove them from here" in text and "private or incognito window" in text
    assert unneutral_words(text) == []


def test_the_spanish_help_page_says_it_in_spanish(client):
    section = device_section(client.get(in_spanish("safety_page")))
    assert section.select_one("h2").get_text() == "Lo que este dispositivo puede seguir mostrando"
    text = section.get_text(" ", strip=True)
    for said in ("historial", "lista de descargas", "archivo de calendario", "carpeta de descargas", "incógnito"):
        assert said in text, said
    assert "history" not in text and "downloads" not in text
    assert unneutral_words(text) == []


def test_a_practice_that_wrote_its_own_help_page_still_shows_it(client):
    SafetyInfo.objects.create(intro="Call us on 213-555-0100.", hotlines=[], language="en")
    response = client.get(reverse("safety_page"))
    assert "Call us on 213-555-0100." in response.content.decode()
    assert device_section(response) is not None


def footer_link(response):
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one("footer.client-footer a")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_quick_exit_note_on_a_clients_pages_links_to_it(as_user, client_user, person, language):
    Client.objects.filter(pk=person.pk).update(language=language)
    response = as_user(client_user).get(reverse("client_home"))
    link = footer_link(response)
    help_page = reverse("safety_page") if language == "en" else in_spanish("safety_page")
    assert link["href"] == f"{help_page}#this-device"
    assert link.get_text() == {"en": "how to clear them", "es": "cómo borrarlos"}[language]
    note = link.find_parent("p").get_text(" ", strip=True)
    assert ("Esc" in note) and unneutral_words(note) == []
    # The link leads to the part it names, in the reader's language.
    assert device_section(response.client.get(help_page)) is not None


def test_the_quick_exit_note_on_a_public_page_links_to_the_help_page_in_its_language(client):
    assert footer_link(client.get(reverse("self_check")))["href"] == "/help/#this-device"
    assert footer_link(client.get(in_spanish("self_check")))["href"] == "/es/help/#this-device"


def test_an_error_page_drawn_without_the_database_has_the_note_too(rf):
    from clinic.views import server_error

    response = server_error(rf.get("/my/"))
    assert response.status_code == 500
    assert footer_link(response)["href"] == "/help/#this-device"
