"""The emergency number a client reads is the practice's country's: Get started, the check-in's
instructions and the help page, for a US practice (911) and a UK one (999)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.models import SafetyInfo
from assessments.screenings import assign
from clinic.lib import country
from tests.country import use_country

WRONG = {"US": "999", "GB": "911"}
RIGHT = {"US": "911", "GB": "999"}


def text_of(response) -> str:
    assert response.status_code in (200, 429)
    words = " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())
    return re.sub(r" ([.,])", r"\1", words)


def tel_links(response) -> set[str]:
    return {a["href"] for a in BeautifulSoup(response.content, "html.parser").select('a[href^="tel:"]')}


@pytest.fixture(params=["US", "GB"])
def practice_country(request, settings):
    use_country(settings, request.param)
    return request.param


def test_get_started_and_its_thank_you_give_the_country_s_number(client, db, practice_country):
    for url in (reverse("inquiry_start"), reverse("inquiry_thanks")):
        response = client.get(url)
        text = text_of(response)
        assert f"If you are in danger now, call {RIGHT[practice_country]}." in text
        assert WRONG[practice_country] not in text
        assert f"tel:{RIGHT[practice_country]}" in tel_links(response)


def test_the_check_in_instructions_give_the_country_s_number(as_user, client_user, person, practice_country):
    screening = assign(client=person, key="safety")
    response = as_user(client_user).get(reverse("questions", kwargs={"code": screening.code}))
    text = text_of(response)
    assert f"If you are in danger now, call {RIGHT[practice_country]}." in text
    assert "{emergency_number}" not in text and WRONG[practice_country] not in text


def test_the_default_help_page_is_the_country_s(client, db, practice_country):
    response = client.get(reverse("safety_page"))
    text = text_of(response)
    assert f"If you are in danger now, call {RIGHT[practice_country]}." in text
    assert WRONG[practice_country] not in text
    if practice_country == "US":
        assert tel_links(response) == {"tel:911", "tel:988", "tel:1-800-799-7233"}
        assert "988 Suicide & Crisis Lifeline" in text and "National Domestic Violence Hotline" in text
        assert "text START to 88788" in text
    else:
        assert tel_links(response) == {"tel:999", "tel:08082000247", "tel:116123"}
        assert "National Domestic Abuse Helpline" in text


def store(intro: str, hotlines: list[dict]) -> SafetyInfo:
    return SafetyInfo.objects.create(intro=intro, hotlines=hotlines)


def test_a_stored_page_with_the_old_uk_defaults_says_911_to_a_us_practice(client, db, settings):
    use_country(settings, "US")
    old_intro = country.LEGACY_SAFETY_INTRO_FIRST_PARAGRAPH + "\n\nYou are not alone."
    store(old_intro, country.LEGACY_HOTLINES)
    response = client.get(reverse("safety_page"))
    text = text_of(response)
    assert "call 911" in text and "999" not in text and "112" not in text
    assert "You are not alone." in text  # the rest of what was stored stays
    assert tel_links(response) == {"tel:911", "tel:988", "tel:1-800-799-7233"}
    # Read, not rewritten: the stored row is as the practice saved it.
    assert SafetyInfo.objects.get().hotlines == country.LEGACY_HOTLINES


def test_the_old_uk_defaults_stay_on_a_uk_practice(client, db, settings):
    use_country(settings, "GB")
    store(country.LEGACY_SAFETY_INTRO_FIRST_PARAGRAPH, country.LEGACY_HOTLINES)
    text = text_of(client.get(reverse("safety_page")))
    assert "999" in text and "National domestic abuse helpline" in text and "911" not in text


def test_a_page_the_practice_wrote_keeps_its_words_but_not_a_foreign_emergency_line(client, db, settings):
    use_country(settings, "US")
    own = {"name": "Westside Family Center", "phone": "(310) 555-0142", "hours": "9 to 5", "note": "Walk in."}
    store("Our own words for clients.", [country.LEGACY_EMERGENCY_ENTRY, own])
    response = client.get(reverse("safety_page"))
    text = text_of(response)
    assert "Our own words for clients." in text and "Westside Family Center" in text
    assert tel_links(response) == {"tel:911", "tel:(310)555-0142"}
    assert "999" not in text


def test_a_us_default_page_follows_a_move_to_the_uk(client, db, settings):
    us = country.profile("US")
    store(us.safety_intro, us.default_hotlines())
    use_country(settings, "GB")
    text = text_of(client.get(reverse("safety_page")))
    assert "call 999" in text and not re.search(r"\b(911|988)\b", text)


def test_the_editor_starts_from_what_clients_read_and_names_the_country(as_user, admin_user, settings):
    use_country(settings, "US")
    store(country.LEGACY_SAFETY_INTRO_FIRST_PARAGRAPH, country.LEGACY_HOTLINES)
    html = BeautifulSoup(as_user(admin_user).get(reverse("safety_edit")).content, "html.parser")
    assert "call 911" in html.find("textarea", attrs={"name": "intro"}).get_text()
    assert "999" not in html.find("textarea", attrs={"name": "hotlines"}).get_text()
    assert "United States" in html.get_text() and "1-800-799-7233" in html.get_text()
