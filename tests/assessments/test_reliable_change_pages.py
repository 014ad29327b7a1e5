"""Reliable change on the client record, the comparison, the case page and both summary PDFs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import assessments.catalogue  # noqa: F401
from assessments.framework import registry
from assessments.screenings import assign, submit

POWER = registry.get("power", 1)
BALANCED = {i.id: 0 if i.scale == "who" else (4 if i.reversed else 0) for i in POWER.items}
MONEY_HIGH = {"mon1": 2, "mon2": 4, "mon3": 0}
DIGITAL_HIGH = {"dig1": 4, "dig2": 4, "dig3": 4}


def power(client, days_ago: int, **answers):
    screening = assign(client=client, key="power")
    screening.save_answers({k: str(v) for k, v in {**BALANCED, **answers}.items()})
    submit(screening=screening, at=timezone.now() - timedelta(days=days_ago))
    return screening


@pytest.fixture
def history(person, partner):
    """`person` gets better on money; `partner` gets worse on digital control (the marker of their change)."""
    power(person, 90, **MONEY_HIGH)
    power(person, 2)
    power(partner, 88)
    power(partner, 1, **DIGITAL_HIGH)


def record_url(case, client):
    return reverse("client_record", kwargs={"case_code": case.code, "client_code": client.code})


def test_the_client_record_says_what_changed_reliably_and_on_what_basis(
    as_user, therapist, couple_case, person, history
):
    body = as_user(therapist).get(record_url(couple_case, person)).content.decode()
    assert (
        "Reliably better on Money and resources since the first questionnaire (RCI \u22126.5; provisional defaults; practice has n = 4, needs 30)"
        in body
    )
    assert '<th scope="row">Digital control</th>' in body  # the table of every domain
    assert "Reliably worse on Digital control" not in body  # the partner's change


def test_the_comparison_shows_the_gap_over_time(as_user, therapist, couple_case, person, partner, history):
    body = as_user(therapist).get(reverse("comparison", kwargs={"case_code": couple_case.code})).content.decode()
    assert "The perception gap over time" in body
    assert "Money and resources: converging, gap 100 → 0 points over 2 rounds" in body
    assert "Digital control: diverging, gap 0 → 100 points over 2 rounds" in body
    assert "Perception gap between the partners over time" in body  # the chart's title


def test_the_case_page_names_each_partners_reliable_change(as_user, therapist, couple_case, person, partner, history):
    body = as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Reliable change on the power questionnaire" in body
    assert "Reliably better on Money and resources" in body and "Reliably worse on Digital control" in body


def test_admins_see_no_reliable_change_on_the_case_page(as_user, admin_user, couple_case, history):
    body = as_user(admin_user).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Reliable change" not in body and "Money and resources" not in body


def many(person, partner, rounds: int, start: int = 0):
    """`rounds` rescreening rounds six weeks apart, counted back from about three years ago."""
    for n in range(start, start + rounds):
        power(person, 1000 - n * 42, **(MONEY_HIGH if n % 2 else {}))
        power(partner, 999 - n * 42, **(DIGITAL_HIGH if n % 2 else {}))


def queries(c, url) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert c.get(url).status_code == 200
    return len(seen)


@pytest.mark.parametrize("page", ["record", "comparison", "case"])
def test_the_pages_make_as_many_queries_at_ten_times_the_screenings(
    as_user, therapist, couple_case, person, partner, page, django_assert_num_queries
):
    url = {
        "record": record_url(couple_case, person),
        "comparison": reverse("comparison", kwargs={"case_code": couple_case.code}),
        "case": reverse("case_detail", kwargs={"code": couple_case.code}),
    }[page]
    c = as_user(therapist)
    many(person, partner, 2)
    once = queries(c, url)
    many(person, partner, 18, start=2)
    with django_assert_num_queries(once):
        body = c.get(url).content.decode()
    assert "Reliable change" in body or "perception gap over time" in body.lower()


def test_from_30_screenings_the_page_uses_the_practices_own_data(as_user, therapist, couple_case, person, partner):
    # 28 varied screenings of the partner (the practice's data), then two of the client: 30 in all.
    for n in range(28):
        level = n % 5
        power(partner, 400 - n, mon2=level, dig1=level, dig2=max(0, level - 1), voi2=level, pre1=(level + n) % 5)
    power(person, 90, **MONEY_HIGH)
    power(person, 2)
    body = as_user(therapist).get(record_url(couple_case, person)).content.decode()
    assert (
        "Reliably better on Money and resources since the first questionnaire (RCI \u22125.8; practice&#x27;s own data, n = 30)"
        in body
    )
    # Nobody's answers vary on social connection: that domain keeps the defaults, and says why.
    assert "practice&#x27;s n = 30 give no usable spread here" in body
    assert "needs 30" not in body


@pytest.mark.parametrize("who", ["outsider", "colleague", "client_user", "partner_user"])
def test_no_one_else_reads_the_change(request, as_user, couple_case, person, history, who):
    c = as_user(request.getfixturevalue(who))
    for url in (record_url(couple_case, person), reverse("comparison", kwargs={"case_code": couple_case.code})):
        response = c.get(url)
        assert response.status_code in (403, 404)
        assert "Reliably" not in response.content.decode()


def test_the_pages_answer_only_get(as_user, therapist, couple_case, person, history):
    c = as_user(therapist)
    assert c.post(record_url(couple_case, person)).status_code == 405
    assert c.post(reverse("comparison", kwargs={"case_code": couple_case.code})).status_code == 405


def test_the_case_section_takes_three_queries_whatever_the_screenings(
    couple_case, person, partner, django_assert_num_queries
):
    from assessments.reliable import case_change, own_change

    many(person, partner, 2)
    # The partners, their screenings, the practice's screenings of the version (the norms).
    with django_assert_num_queries(3):
        assert case_change(couple_case)["gaps"]
    many(person, partner, 18, start=2)
    with django_assert_num_queries(3):
        result = case_change(couple_case)
    assert len(result["gaps"][0].gaps) == 20
    screenings = list(person.screenings.all())
    with django_assert_num_queries(1):
        assert own_change(screenings)["change"].count == 20


def test_one_pair_of_questionnaires_is_not_called_steady(as_user, therapist, couple_case, person, partner):
    """With one round the gap has no trend yet: the case page says so rather than "steady"."""
    power(person, 3, **MONEY_HIGH)
    power(partner, 2)
    body = as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Perception gap: one pair of questionnaires so far; a trend shows from the second" in body
    assert "steady in every domain" not in body


def test_a_supervisor_sees_no_reliable_change_on_the_case_page(as_user, therapist, supervisor, couple_case, history):
    # Questionnaire results are the treating therapist's (clinic/accounts/reach.py): not their supervisor's.
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    response = as_user(supervisor).get(reverse("case_detail", kwargs={"code": couple_case.code}))
    assert response.status_code == 200 and "read-only" in response.content.decode()
    body = response.content.decode()
    assert "Reliable change" not in body and "Money and resources" not in body and "Digital control" not in body
