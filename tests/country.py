"""Switch the practice's country in a test, as a deployment would with PRACTICE_COUNTRY.

settings.py derives the language (date formats), time zone and quick-exit address from the
country at start; a test that changes the country changes those with it.
"""

from clinic.lib.country import profile


def use_country(settings, code: str) -> None:
    practice = profile(code)
    settings.PRACTICE_COUNTRY = practice.code
    settings.LANGUAGE_CODE = practice.language_code
    settings.TIME_ZONE = practice.time_zone
    settings.QUICK_EXIT_URL = practice.quick_exit_url
