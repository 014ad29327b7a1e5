"""Phone numbers as the practice's country writes them: checked when typed, stored formatted.

A number without a country code is read as a number of the practice's country; one from
abroad needs its + and country code. Checking uses the phonenumbers library (Google's
libphonenumber data), so "(213) 555-0123" and "213.555.0123" are the same number and a
number with too few or too many digits, or an impossible area code, gets a clear error.
"""

import re

import phonenumbers
from django import forms
from django.utils.translation import gettext

from clinic.lib import country

# What may be typed: ASCII digits and the usual separators. The library would also read other
# scripts' digits and letters (1-800-FLOWERS); a client's number is written plainly.
TYPED = re.compile(r"^\+?[0-9 ()\-.]{3,30}$")


def phone_error() -> str:
    example = country.current().phone_example
    return gettext(
        "Enter a phone number like %(example)s, with its area code. "
        "For a number abroad, start with + and the country code."
    ) % {"example": example}


def phone_help() -> str:
    return gettext("For example %(number)s.") % {"number": country.current().phone_example}


def normalize_phone(value: str) -> str:
    """The number written the practice's way ("" stays ""); ValidationError in plain words otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    practice = country.current()
    if not TYPED.match(value):
        raise forms.ValidationError(phone_error(), code="invalid_phone")
    try:
        number = phonenumbers.parse(value, practice.phone_region)
    except phonenumbers.NumberParseException:
        raise forms.ValidationError(phone_error(), code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(phone_error(), code="invalid_phone")
    home = number.country_code == phonenumbers.country_code_for_region(practice.phone_region)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def display_phone(value: str) -> str:
    """A stored number shown the practice's way; text that is not a number is shown as it is."""
    try:
        return normalize_phone(value)
    except forms.ValidationError:
        return value


def dialable(value: str) -> str:
    """A stored number in E.164 ("+12135550123"), as text-message providers take it; "" when it is not a number."""
    try:
        number = phonenumbers.parse((value or "").strip(), country.current().phone_region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
