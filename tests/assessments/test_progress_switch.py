"""The therapist turns a client's own progress page on and off; refused while flagged, hidden when a flag comes."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.flags import raise_flag
from assessments.models import ProgressView, RiskFlag
from clinic.audit.models import Action, AuditEvent
from tests.assessments.rescreen_helpers import answered
from tests.factories import make_warning_sign

pytestmark = pytest.mark.django_db

MY_PROGRESS = reverse("my_progress")


def switch_url(case, client):
    return reverse("progress_switch", kwargs={"case_code": case.code, "client_code": client.code})


def record_url(case, client):
    return reverse("client_record", kwargs={"case_code": case.code, "client_code": client.code})


def home_has_progress(c) -> bool:
    page = BeautifulSoup(c.get(reverse("client_home")).content, "html.parser")
    return page.find("a", href=MY_PROGRESS) is not None


@pytest.fixture
def answers(person):
    answered(person, days_ago=60, index=48.0)
    answered(person, days_ago=10, index=31.0)


def test_it_is_off_by_default(as_user, client_user, person, answers):
    c = as_user(client_user)
    assert not home_has_progress(c)
    assert c.get(MY_PROGRESS).status_code == 404


def test_the_therapist_turns_it_on_and_the_client_sees_it(
    as_user, therapist, client_user, couple_case, person, answers
):
    response = as_user(therapist).post(switch_url(couple_case, person), {"on": "1"})
    assert response.status_code == 302
    view = ProgressView.objects.get(client=person)
    assert view.turned_on_by == therapist
    event = AuditEvent.objects.get(action=Action.PROGRESS_VIEW_ON)
    assert (event.actor, event.client, event.target_id) == (therapist, person, str(person.code))
    record_page = BeautifulSoup(as_user(therapist).get(record_url(couple_case, person)).content, "html.parser")
    assert record_page.select_one("#progress-view-state").get_text(" ", strip=True).startswith("On since")
    c = as_user(client_user)
    assert home_has_progress(c)
    assert c.get(MY_PROGRESS).status_code == 200


def test_it_is_refused_while_the_client_has_an_urgent_flag(as_user, therapist, client_user, couple_case, person):
    make_warning_sign(person, by=therapist, urgent_flag=True)
    c = as_user(therapist)
    response = c.post(switch_url(couple_case, person), {"on": "1"}, follow=True)
    assert "has an urgent flag that is not resolved yet" in response.content.decode()
    assert not ProgressView.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.PROGRESS_VIEW_ON).exists()
    assert not home_has_progress(as_user(client_user))


def test_an_acknowledged_urgent_flag_still_refuses(as_user, therapist, couple_case, person):
    make_warning_sign(person, by=therapist, urgent_flag=True)
    RiskFlag.objects.get().acknowledge(by=therapist, note="Called her.")
    as_user(therapist).post(switch_url(couple_case, person), {"on": "1"})
    assert not ProgressView.objects.exists()


def test_a_flag_raised_later_hides_it_at_once(as_user, therapist, client_user, couple_case, person, answers):
    as_user(therapist).post(switch_url(couple_case, person), {"on": "1"})
    sign = make_warning_sign(person, by=therapist)
    raise_flag(client=person, severity=RiskFlag.Severity.ELEVATED, reasons=["test"], warning_sign=sign)
    c = as_user(client_user)
    assert not home_has_progress(c)
    assert c.get(MY_PROGRESS).status_code == 404
    record_page = as_user(therapist).get(record_url(couple_case, person)).content.decode()
    assert "Hidden now:" in record_page
    # Resolving the flag lets it show again: the therapist's decision still stands.
    flag = RiskFlag.objects.get()
    flag.acknowledge(by=therapist, note="Seen.")
    flag.resolve(by=therapist, note="Settled.")
    assert home_has_progress(as_user(client_user))


def test_turning_it_off_removes_it_at_once_and_is_audited(
    as_user, therapist, client_user, couple_case, person, answers
):
    as_user(therapist).post(switch_url(couple_case, person), {"on": "1"})
    as_user(therapist).post(switch_url(couple_case, person), {"on": "0"})
    assert not ProgressView.objects.exists()
    event = AuditEvent.objects.get(action=Action.PROGRESS_VIEW_OFF)
    assert (event.actor, event.client) == (therapist, person)
    c = as_user(client_user)
    assert not home_has_progress(c)
    assert c.get(MY_PROGRESS).status_code == 404


def test_turning_it_on_twice_records_it_once(as_user, therapist, couple_case, person):
    c = as_user(therapist)
    c.post(switch_url(couple_case, person), {"on": "1"})
    c.post(switch_url(couple_case, person), {"on": "1"})
    assert ProgressView.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.PROGRESS_VIEW_ON).count() == 1


def test_outsiders_wrong_roles_and_wrong_methods(
    as_user, colleague, supervisor, admin_user, client_user, therapist, couple_case, person
):
    url = switch_url(couple_case, person)
    assert as_user(colleague).post(url, {"on": "1"}).status_code == 404
    assert as_user(admin_user).post(url, {"on": "1"}).status_code == 404
    assert as_user(supervisor).post(url, {"on": "1"}).status_code == 404
    assert as_user(client_user).post(url, {"on": "1"}).status_code == 404
    assert as_user(therapist).get(url).status_code == 405
    assert not ProgressView.objects.exists()


def test_the_chart_dates_a_screening_by_the_practices_day(as_user, therapist, client_user, person):
    """An evening answer in Los Angeles is the next day in UTC: the chart and the list say the local day."""
    import datetime as dt

    evening = dt.datetime(2026, 11, 4, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=-8)))  # 01:30 UTC on the 5th
    answered(person, at=evening - dt.timedelta(days=60), index=48.0)
    answered(person, at=evening, index=30.0)
    ProgressView.objects.create(client=person, turned_on_by=therapist)
    body = as_user(client_user).get(MY_PROGRESS).content.decode()
    chart = BeautifulSoup(body, "html.parser").find("svg")
    labels = [t.get_text() for t in chart.find_all("text")]
    assert "Nov 4" in labels and "Nov 5" not in labels
    assert "November 4, 2026" in body


def test_the_client_records_trend_dates_by_the_practices_day(as_user, therapist, couple_case, person):
    import datetime as dt

    evening = dt.datetime(2026, 11, 4, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    answered(person, at=evening - dt.timedelta(days=60), index=48.0)
    answered(person, at=evening, index=30.0)
    body = as_user(therapist).get(record_url(couple_case, person)).content.decode()
    labels = [t.get_text() for svg in BeautifulSoup(body, "html.parser").find_all("svg") for t in svg.find_all("text")]
    assert "Nov 4" in labels and "Nov 5" not in labels
