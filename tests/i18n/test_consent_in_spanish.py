"""Consent in the client's language: each language has its own versions, and a signed intake keeps which it signed."""

import pytest
from django.urls import reverse

from clinic.clients.models import Client
from intake.models import ConsentDocument, Intake
from tests.intake.test_intake_sections import fill_all, post, section_url

pytestmark = pytest.mark.django_db


def test_a_spanish_client_reads_and_signs_the_spanish_texts_and_the_intake_keeps_their_version(
    as_user, admin_user, client_user, person
):
    Client.objects.filter(pk=person.pk).update(language="es")
    # The practice reads the shipped Spanish texts (version 1), then publishes a second version of the consent;
    # the English one stays at version 1.
    assert (
        "Acuerdo para participar" in as_user(admin_user).get(reverse("consent_texts") + "?language=es").content.decode()
    )
    as_user(admin_user).post(
        reverse("consent_texts") + "?language=es",
        {"kind": "informed_consent", "title": "Acuerdo para participar", "body": "Texto revisado, versión 2."},
    )
    spanish = ConsentDocument.objects.current(ConsentDocument.Kind.INFORMED_CONSENT, "es")
    english = ConsentDocument.objects.current(ConsentDocument.Kind.INFORMED_CONSENT)
    assert (spanish.language, spanish.version) == ("es", 2)
    assert (english.language, english.version) == ("en", 1)
    c = as_user(client_user)
    fill_all(c)
    page = c.get(section_url(7)).content.decode()
    assert "Texto revisado, versión 2." in page and "Cómo cuidamos su información" in page
    assert "Agreement to take part" not in page
    post(c, 7, {"agree": "on", "signature": "Jordan Avery"})
    intake = Intake.objects.get(client=person)
    assert intake.is_submitted
    assert (intake.consent_document.language, intake.consent_document.version) == ("es", 2)
    assert (intake.privacy_document.language, intake.privacy_document.version) == ("es", 1)
    # A later version changes nothing that was signed.
    as_user(admin_user).post(
        reverse("consent_texts") + "?language=es",
        {"kind": "informed_consent", "title": "Acuerdo para participar", "body": "Versión 3."},
    )
    intake.refresh_from_db()
    assert intake.consent_document.version == 2 and intake.consent_document.body == "Texto revisado, versión 2."


def test_an_english_client_signs_the_english_texts(as_user, client_user, person):
    c = as_user(client_user)
    fill_all(c)
    post(c, 7, {"agree": "on", "signature": "Jordan Avery"})
    intake = Intake.objects.get(client=person)
    assert intake.consent_document.language == "en" and intake.consent_document.title == "Agreement to take part"


def test_the_admin_page_lists_each_languages_texts_apart(as_user, admin_user):
    page = as_user(admin_user).get(reverse("consent_texts") + "?language=es").content.decode()
    assert "Acuerdo para participar" in page and "Agreement to take part" not in page
    assert 'aria-current="page">Español' in page
