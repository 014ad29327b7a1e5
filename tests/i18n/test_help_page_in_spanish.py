"""The help page in Spanish: the country's numbers, the words in Spanish, and which lines answer in Spanish."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import SafetyInfo

pytestmark = pytest.mark.django_db


def spanish_help() -> str:
    with translation.override("es"):
        return reverse("safety_page")


def test_the_default_help_page_reads_in_spanish_with_the_practices_own_numbers(client):
    page = client.get(spanish_help()).content.decode()
    assert "Si está en peligro ahora, llame al 911." in page
    assert 'href="tel:911"' in page and 'href="tel:988"' in page and 'href="tel:1-800-799-7233"' in page
    # The services keep their own names; each line that answers in Spanish says how.
    assert "National Domestic Violence Hotline" in page and "Servicios de emergencia" in page
    assert "llame al 988 y marque 2" in page
    assert "Hablan español" in page
    assert "If you are in danger now" not in page


def test_the_english_page_says_nothing_about_spanish_lines(client):
    page = client.get(reverse("safety_page")).content.decode()
    assert "If you are in danger now, call 911." in page
    assert "marque 2" not in page and "Hablan español" not in page


def test_an_admin_edits_the_spanish_page_apart_from_the_english_one(as_user, admin_user, client):
    staff = as_user(admin_user)
    form = staff.get(reverse("safety_edit") + "?language=es").content.decode()
    assert "Si está en peligro ahora, llame al 911." in form
    assert "no page of its own yet" in form
    response = staff.post(
        reverse("safety_edit") + "?language=es",
        {
            "intro": "Si está en peligro ahora, llame al 911.\n\nEstamos aquí.",
            "hotlines": "Línea local | 213-555-0199 | 24 horas | Hablamos español",
        },
    )
    assert response.status_code == 302 and response.url.endswith("?language=es")
    assert SafetyInfo.objects.get().language == "es"
    client.logout()
    assert "Estamos aquí." in client.get(spanish_help()).content.decode()
    english = client.get(reverse("safety_page")).content.decode()
    assert "Estamos aquí." not in english and "If you are in danger now, call 911." in english


def test_an_unknown_language_edits_the_english_page(as_user, admin_user):
    page = as_user(admin_user).get(reverse("safety_edit") + "?language=xx").content.decode()
    assert 'aria-current="page">English' in page
