"""What a therapist notices in a day: dates on the comparison, safety level words, a warning sign's date."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from django.utils import timezone

from assessments.screenings import assign, submit
from clinic.lib.dates import show
from tests.assessments.test_screening_flow import SAFETY, answers, submitted_power


def comparison_of(as_user, therapist, case) -> str:
    return as_user(therapist).get(reverse("comparison", kwargs={"case_code": case.code})).content.decode()


def test_the_comparison_says_when_the_partners_answered_on_different_dates(
    as_user, therapist, couple_case, person, partner
):
    with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
        earlier = submitted_power(person)
    later = submitted_power(partner)
    body = comparison_of(as_user, therapist, couple_case)
    assert "Answered on different dates" in body
    assert f"{person.display_name} on {show(earlier.submitted_at)}" in body
    assert f"{partner.display_name} on {show(later.submitted_at)}" in body
    # Forty days of clock time, counted in the practice's days (across a change of summer time, 39 to 41).
    days = (timezone.localdate(later.submitted_at) - timezone.localdate(earlier.submitted_at)).days
    assert 39 <= days <= 41 and f"{days} days apart" in body


def test_the_comparison_says_nothing_of_dates_when_both_answered_the_same_day(
    as_user, therapist, couple_case, person, partner
):
    submitted_power(person)
    submitted_power(partner)
    assert "Answered on different dates" not in comparison_of(as_user, therapist, couple_case)


def test_the_same_day_is_the_practices_day(as_user, therapist, couple_case, person, partner, settings):
    # 11 pm and 1 am UTC are the same afternoon in Los Angeles.
    with time_machine.travel(datetime(2026, 11, 3, 23, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        submitted_power(person)
    with time_machine.travel(datetime(2026, 11, 4, 1, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        submitted_power(partner)
    assert settings.TIME_ZONE == "America/Los_Angeles"
    assert "Answered on different dates" not in comparison_of(as_user, therapist, couple_case)


def submitted_safety(client, **overrides):
    screening = assign(client=client, key="safety")
    screening.save_answers(answers(SAFETY, **overrides))
    submit(screening=screening)
    screening.refresh_from_db()
    return screening


def test_a_safety_level_of_none_reads_no_concerns_reported(as_user, therapist, couple_case, person):
    screening = submitted_safety(person)
    assert screening.scores["level"] == "none"
    c = as_user(therapist)
    record = c.get(
        reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code})
    ).content.decode()
    assert "No concerns reported" in record and ">None<" not in record
    result = c.get(
        reverse(
            "screening_result",
            kwargs={"case_code": couple_case.code, "client_code": person.code, "code": screening.code},
        )
    ).content.decode()
    assert "No concerns reported" in result


def test_a_warning_signs_date_starts_as_today_in_the_practice(as_user, therapist, couple_case, person):
    # 3 am UTC on the 5th is still the 4th in Los Angeles.
    with time_machine.travel(datetime(2026, 11, 5, 3, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        body = (
            as_user(therapist)
            .get(reverse("warning_sign_new", kwargs={"case_code": couple_case.code, "client_code": person.code}))
            .content.decode()
        )
    assert 'value="2026-11-04"' in body
