"""A client's progress page shows their own answers only, in neutral words: never a partner's, never the other
questionnaire; a partner or outsider gets 404."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.own_progress import turn_progress
from clinic.audit.models import Action, AuditEvent
from clinic.lib.neutral import unneutral_words
from tests.assessments.rescreen_helpers import PARTNER_INDEX, answered

pytestmark = pytest.mark.django_db

MY_PROGRESS = reverse("my_progress")


@pytest.fixture
def shown(therapist, person, partner):
    answered(person, days_ago=60, index=48.0)
    answered(person, days_ago=10, index=31.0)
    answered(person, days_ago=20, key="safety")
    answered(partner, days_ago=50, index=PARTNER_INDEX)
    answered(partner, days_ago=5, index=PARTNER_INDEX - 10)
    turn_progress(client=person, on=True, by=therapist)
    return person


def text_of(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    for hidden in page(["script", "style"]):
        hidden.decompose()
    return page.get_text(" ")


def test_the_client_sees_their_own_trend_in_plain_words(as_user, client_user, shown):
    response = as_user(client_user).get(MY_PROGRESS)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Your progress"
    assert page.select_one("#quick-exit") is not None
    assert page.select_one("figure.chart svg") is not None
    assert "more even" in page.select_one(".progress-words").get_text()
    assert [li.get_text(" ", strip=True).split(" · ")[1] for li in page.select(".progress-dates li")] == [
        "48.0 of 100",
        "31.0 of 100",
    ]
    event = AuditEvent.objects.get(action=Action.PROGRESS_SEEN_BY_CLIENT)
    assert (event.client, event.detail) == (shown, {})


def test_its_words_and_titles_are_neutral(as_user, client_user, shown):
    response = as_user(client_user).get(MY_PROGRESS)
    assert unneutral_words(text_of(response)) == []
    page = BeautifulSoup(response.content, "html.parser")
    titles = " ".join(t.get_text() for t in page.select("title, h1, h2, h3, svg title")).lower()
    for word in ("therapy", "safety", "danger", "abuse", "power", "fear", "harm", "imbalance", "marked"):
        assert word not in titles, word
    body = text_of(response).lower()
    for band in ("imbalance", "marked", "balanced", "urgent", "elevated"):
        assert band not in body, band


def test_the_partners_answers_never_show(as_user, client_user, partner_user, shown):
    mine = as_user(client_user)
    for url in (MY_PROGRESS, reverse("client_home")):
        body = mine.get(url).content.decode()
        assert str(PARTNER_INDEX) not in body and str(round(PARTNER_INDEX - 10, 1)) not in body
    theirs = as_user(partner_user)
    assert theirs.get(MY_PROGRESS).status_code == 404
    home = theirs.get(reverse("client_home")).content.decode()
    assert MY_PROGRESS not in home and "Your progress" not in home
    assert "48.0" not in home and "31.0" not in home


def test_a_clients_progress_page_is_their_own_only(as_user, outsider, therapist, admin_user, shown):
    assert as_user(outsider).get(MY_PROGRESS).status_code == 404
    assert as_user(therapist).get(MY_PROGRESS).status_code == 404
    assert as_user(admin_user).get(MY_PROGRESS).status_code == 404


def test_other_methods_are_refused(as_user, client_user, shown):
    assert as_user(client_user).post(MY_PROGRESS).status_code == 405


def test_words_when_answered_once(as_user, client_user, therapist, person):
    answered(person, days_ago=10, index=55.0)
    turn_progress(client=person, on=True, by=therapist)
    body = text_of(as_user(client_user).get(MY_PROGRESS))
    assert "You have answered these questions once so far." in body


def test_a_reliable_change_is_told_in_plain_words_and_only_the_clients_own(as_user, client_user, partner_user, shown):
    page = BeautifulSoup(as_user(client_user).get(MY_PROGRESS).content, "html.parser")
    lines = [li.get_text(" ", strip=True) for li in page.select(".clear-changes li")]
    # 48 -> 31 on the index: RCI = -17 / (sqrt(2) * 15 * sqrt(1 - 0.85)) = -2.07, beyond 1.96.
    assert lines == [
        "A clear change in your answers as a whole: they describe things as more even than when you first answered."
    ]
    assert not unneutral_words(" ".join(lines))
    assert "RCI" not in text_of(as_user(client_user).get(MY_PROGRESS))


def test_the_client_sees_their_own_check_ins_and_never_the_partners_or_an_alert(
    as_user, therapist, couple_case, client_user, partner_user, shown, partner
):
    from django.utils import timezone

    from clinic.lib.dates import show
    from tests.factories import checkins_sent

    # The partner answers 10 each time, the client 4: a balance alert is raised.
    held = checkins_sent(couple_case, therapist, {shown: ("", 4), partner: ("", 10)}, sessions=2)
    assert couple_case.balance_alerts.filter(client=shown).exists()
    page = BeautifulSoup(as_user(client_user).get(MY_PROGRESS).content, "html.parser")
    after = page.find("h2", string="After your appointments")
    assert after is not None
    chart = page.find_all("figure", class_="chart")[-1].get_text(" ")
    first, second = (show(timezone.localdate(s.starts_at)) for s in held)  # the practice's days
    # The chart in words: the client's own two points, nothing at 10.
    assert f"Your answers: {first} 4, {second} 4 " in chart and chart.count("Your answers") == 1
    body = text_of(as_user(client_user).get(MY_PROGRESS)).lower()
    for word in ("balance", "alert", "lower than", "partner's", partner.display_name.lower()):
        assert word not in body, word
    # The partner, whose page is off, has no page at all, and their home does not say the other answered.
    assert as_user(partner_user).get(MY_PROGRESS).status_code == 404
