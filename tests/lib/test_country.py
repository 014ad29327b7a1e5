"""PRACTICE_COUNTRY: what each country gives, and a bad value stops the start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.lib.country import COUNTRIES, profile
from clinic.lib.env import env_choice

ROOT = Path(__file__).resolve().parents[2]


def settings_in_a_fresh_process(**env) -> dict:
    """The settings a new process reads with this environment (as a deployment starts)."""
    code = (
        "import json, clinic.settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in "
        "('PRACTICE_COUNTRY', 'TIME_ZONE', 'LANGUAGE_CODE', 'QUICK_EXIT_URL')}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("PRACTICE_COUNTRY", "TIME_ZONE", "QUICK_EXIT_URL")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        raise RuntimeError(result.stderr.strip().splitlines()[-1])
    import json

    return json.loads(result.stdout)


def test_the_practice_is_in_the_united_states_unless_told_otherwise():
    assert settings_in_a_fresh_process() == {
        "PRACTICE_COUNTRY": "US",
        "TIME_ZONE": "America/Los_Angeles",
        "LANGUAGE_CODE": "en-us",
        "QUICK_EXIT_URL": "https://www.weather.gov/",
    }


def test_a_uk_practice_gets_london_time_uk_dates_and_a_uk_quick_exit():
    assert settings_in_a_fresh_process(PRACTICE_COUNTRY="gb") == {
        "PRACTICE_COUNTRY": "GB",
        "TIME_ZONE": "Europe/London",
        "LANGUAGE_CODE": "en-gb",
        "QUICK_EXIT_URL": "https://www.bbc.co.uk/weather",
    }


def test_time_zone_and_quick_exit_still_override_the_country():
    read = settings_in_a_fresh_process(TIME_ZONE="America/New_York", QUICK_EXIT_URL="https://example.org/recipes")
    assert (read["TIME_ZONE"], read["QUICK_EXIT_URL"]) == ("America/New_York", "https://example.org/recipes")
    assert read["PRACTICE_COUNTRY"] == "US"


@pytest.mark.parametrize("bad", ["FR", "UK ", "USA", "1"])
def test_an_unknown_country_stops_the_start_and_names_the_choices(bad):
    with pytest.raises(RuntimeError, match=r"PRACTICE_COUNTRY must be one of US, GB"):
        settings_in_a_fresh_process(PRACTICE_COUNTRY=bad)


def test_a_client_title_that_names_the_care_stops_the_start():
    with pytest.raises(RuntimeError, match=r"QUESTIONNAIRE_TITLE_SAFETY .* contains 'risk'"):
        settings_in_a_fresh_process(QUESTIONNAIRE_TITLE_SAFETY="A quick risk check")


def test_env_choice_reads_case_insensitively_and_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_CHOICE", " gb ")
    assert env_choice("SOME_CHOICE", "US", ["US", "GB"]) == "GB"
    monkeypatch.setenv("SOME_CHOICE", "")
    assert env_choice("SOME_CHOICE", "US", ["US", "GB"]) == "US"
    monkeypatch.setenv("SOME_CHOICE", "Mars")
    with pytest.raises(ImproperlyConfigured, match="SOME_CHOICE must be one of US, GB, not 'Mars'"):
        env_choice("SOME_CHOICE", "US", ["US", "GB"])


def test_each_country_has_its_own_emergency_number_and_hotlines():
    us, gb = profile("US"), profile("GB")
    assert (us.emergency_number, gb.emergency_number) == ("911", "999")
    us_lines = {line["name"]: line["phone"] for line in us.default_hotlines()}
    assert us_lines == {
        "Emergency services": "911",
        "988 Suicide & Crisis Lifeline": "988",
        "National Domestic Violence Hotline": "1-800-799-7233",
    }
    assert "text START to 88788" in us.default_hotlines()[2]["note"]
    gb_lines = {line["name"]: line["phone"] for line in gb.default_hotlines()}
    assert gb_lines["Emergency services"] == "999"
    assert gb_lines["National Domestic Abuse Helpline"] == "0808 2000 247"
    # No country's page carries another country's emergency number.
    for country in COUNTRIES.values():
        others = {c.emergency_number for c in COUNTRIES.values()} - {country.emergency_number}
        text = country.safety_intro + " ".join(str(line) for line in country.default_hotlines())
        assert not [n for n in others if n in text]
