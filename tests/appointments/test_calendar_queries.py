"""Week, day, practice-day and dashboard pages keep a fixed number of queries: 50 therapists, 40 appointments
a week each, with the history at 1x and 10x."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.accounts.models import Role
from tests.appointments.world import build, grow_history
from tests.conftest import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def queries(http, url: str, expected_text: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = http.get(url)
    assert answer.status_code == 200 and expected_text in answer.content.decode()
    return len(captured.captured_queries)


def test_calendar_pages_keep_a_fixed_number_of_queries_as_history_grows(client, django_user_model):
    world = build(therapists=50, per_week=40)
    therapist = world.therapists[0]
    admin = make_user(Role.ADMIN)
    week_url = reverse("calendar_week_of", args=[world.monday.isoformat()])
    day_url = reverse("calendar_day_of", args=[world.monday.isoformat()])
    practice_url = reverse("practice_calendar_of", args=[world.monday.isoformat()])
    counts = {}
    for scale in (1, 10):
        grow_history(world, 2 * scale - world.history_weeks)
        staff = sign_in(client, therapist)
        counts[scale] = {
            "week": queries(staff, week_url, "40 appointments this week"),
            "day": queries(staff, day_url, "Monday"),
            "dashboard": queries(staff, reverse("dashboard"), 'id="today"'),
        }
        counts[scale]["practice day"] = queries(sign_in(client, admin), practice_url, str(world.therapists[49]))
    assert counts[1] == counts[10], counts
    # Fixed, small numbers (session and user, the page's own reads): whatever the size of the calendar.
    assert counts[1]["week"] <= 12 and counts[1]["practice day"] <= 12, counts
