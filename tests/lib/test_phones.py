"""Phone numbers are read and written the way of the practice's country, with errors in plain words."""

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.urls import reverse

from clinic.clients.models import Case, Client
from clinic.lib.phones import normalize_phone
from intake.filling import display_answers
from intake.models import Intake
from tests.country import use_country
from tests.intake.conftest import ABOUT

# "2135550123" in full-width digits, which the phone library would otherwise read.
WIDE_DIGITS = "".join(chr(0xFF10 + int(d)) for d in "2135550123")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("(213) 555-0123", "(213) 555-0123"),
        ("213-555-0123", "(213) 555-0123"),
        ("213.555.0123", "(213) 555-0123"),
        ("2135550123", "(213) 555-0123"),
        ("1 213 555 0123", "(213) 555-0123"),
        ("+1 213 555 0123", "(213) 555-0123"),
        ("  (310) 555-0142 ", "(310) 555-0142"),
        ("+44 20 7946 0123", "+44 20 7946 0123"),
        ("", ""),
    ],
)
def test_a_us_practice_keeps_numbers_in_the_us_format(settings, typed, kept):
    use_country(settings, "US")
    assert normalize_phone(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("020 7946 0123", "020 7946 0123"),
        ("02079460123", "020 7946 0123"),
        ("+44 20 7946 0123", "020 7946 0123"),
        ("+1 213 555 0123", "+1 213-555-0123"),
    ],
)
def test_a_uk_practice_keeps_numbers_in_the_uk_format(settings, typed, kept):
    use_country(settings, "GB")
    assert normalize_phone(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "555-0123",
        "(123) 555-0123",
        "213 555 012",
        "213 555 01234",
        "call me",
        WIDE_DIGITS,
        "213-555-0123 x4",
        "9" * 40,
    ],
    ids=[
        "no-area-code",
        "no-such-area-code",
        "too-short",
        "too-long",
        "words",
        "wide-digits",
        "extension",
        "very-long",
    ],
)
def test_a_number_that_is_not_one_gets_an_error_that_shows_the_format(settings, typed):
    use_country(settings, "US")
    with pytest.raises(forms.ValidationError) as error:
        normalize_phone(typed)
    assert error.value.messages == [
        "Enter a phone number like (213) 555-0123, with its area code. "
        "For a number abroad, start with + and the country code."
    ]


def test_a_uk_practice_s_error_shows_a_uk_example(settings):
    use_country(settings, "GB")
    with pytest.raises(forms.ValidationError, match="like 020 7946 0123"):
        normalize_phone("(213) 555-0123")


def test_the_intake_keeps_the_number_formatted_and_explains_a_wrong_one(as_user, client_user, person, settings):
    use_country(settings, "US")
    c = as_user(client_user)
    form = BeautifulSoup(c.get(reverse("intake_section", kwargs={"step": 1})).content, "html.parser")
    assert "For example (213) 555-0123." in form.get_text()
    bad = c.post(reverse("intake_section", kwargs={"step": 1}), {**ABOUT, "phone": "555 0123", "go": "next"})
    html = BeautifulSoup(bad.content, "html.parser")
    assert "Enter a phone number like (213) 555-0123" in html.get_text()
    assert html.find("input", attrs={"name": "phone"})["value"] == "555 0123"
    c.post(reverse("intake_section", kwargs={"step": 1}), {**ABOUT, "phone": "213.555.0111", "go": "next"})
    intake = Intake.objects.get(client=person)
    # The answers keep what was typed; staff read it back in the practice's format.
    assert (intake.answers["about"]["phone"], intake.completed) == ("213.555.0111", ["about"])
    rows = {row["label"]: row["value"] for row in display_answers(intake)[0]["rows"]}
    assert rows["Phone number"] == "(213) 555-0111"
    assert rows["Date of birth"] == "June 14, 1987"


def test_the_emergency_contact_and_safe_number_are_checked_too(as_user, client_user, person, settings):
    use_country(settings, "US")
    c = as_user(client_user)
    contact = c.post(
        reverse("intake_section", kwargs={"step": 2}), {"may_call": "on", "safe_phone": "12345", "go": "next"}
    )
    assert "Enter a phone number like (213) 555-0123" in contact.content.decode()
    emergency = c.post(
        reverse("intake_section", kwargs={"step": 3}),
        {"name": "Priya Shah", "relationship": "friend", "phone": "0770 090 0999", "go": "next"},
    )
    assert "Enter a phone number like (213) 555-0123" in emergency.content.decode()


def test_staff_typing_a_client_s_number_get_the_same_check_and_format(as_user, admin_user, therapist, settings):
    use_country(settings, "US")
    c = as_user(admin_user)
    page = BeautifulSoup(c.get(reverse("case_create")).content, "html.parser")
    assert "For example (213) 555-0123." in page.get_text()
    data = {"kind": "individual", "primary_therapist": therapist.pk, "first-full_name": "Sam Roe"}
    bad = c.post(reverse("case_create"), {**data, "first-phone": "555-0000", "first-may_call": "on"})
    assert "Enter a phone number like (213) 555-0123" in bad.content.decode()
    assert BeautifulSoup(bad.content, "html.parser").find("input", attrs={"name": "first-phone"})["value"] == "555-0000"
    assert not Case.objects.exists()
    c.post(reverse("case_create"), {**data, "first-phone": "213 555 0144", "first-may_call": "on"})
    assert Client.objects.get().phone == "(213) 555-0144"
