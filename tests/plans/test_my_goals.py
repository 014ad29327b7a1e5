"""A client reads "What we are working on": the shared goals and their own, in plain words, never a partner's."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from tests.plans.progress_helpers import MARK_A, MARK_B, signed_plan

pytestmark = pytest.mark.django_db

MY_GOALS = reverse("my_goals")


@pytest.fixture
def plan(couple_case, therapist, person, partner):
    return signed_plan(couple_case, therapist, person=person, partner=partner)


def test_the_client_sees_the_shared_goals_and_their_own(as_user, client_user, plan, person):
    response = as_user(client_user).get(MY_GOALS)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "What we are working on"
    assert page.select_one("#quick-exit") is not None
    goals = [li.get_text(" ", strip=True) for li in page.select("li.client-goal")]
    assert any("Name who decides about money" in g for g in goals)
    assert any(MARK_A in g for g in goals) and len(goals) == 3
    assert "Just for you" in page.get_text()
    event = AuditEvent.objects.get(action=Action.PLAN_SEEN_BY_CLIENT)
    assert (event.client, event.target_id, event.detail) == (person, str(plan.code), {})


def test_no_clinical_words_in_its_titles(as_user, client_user, plan):
    page = BeautifulSoup(as_user(client_user).get(MY_GOALS).content, "html.parser")
    titles = " ".join(t.get_text() for t in page.select("title, h1, h2, h3")).lower()
    for word in ("therapy", "safety", "danger", "abuse", "power", "fear", "harm", "treatment", "plan"):
        assert word not in titles, word


def test_the_words_around_the_goals_are_neutral(as_user, client_user, plan):
    from clinic.lib.neutral import unneutral_words

    page = BeautifulSoup(as_user(client_user).get(MY_GOALS).content, "html.parser")
    for written_by_the_therapist in page.select("li.client-goal"):
        written_by_the_therapist.decompose()
    for hidden in page(["script", "style"]):
        hidden.decompose()
    assert unneutral_words(page.get_text(" ")) == []


def test_a_client_without_a_signed_plan_sees_nothing_yet(as_user, client_user, couple_case):
    response = as_user(client_user).get(MY_GOALS)
    assert "There is nothing here yet" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.PLAN_SEEN_BY_CLIENT).exists()


def test_staff_get_404_and_other_methods_405(as_user, therapist, admin_user, client_user, plan):
    assert as_user(therapist).get(MY_GOALS).status_code == 404
    assert as_user(admin_user).get(MY_GOALS).status_code == 404
    assert as_user(client_user).put(MY_GOALS).status_code == 405
    assert as_user(client_user).delete(MY_GOALS).status_code == 405


def test_signed_out_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(MY_GOALS)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_outsider_sees_nothing_of_this_case(as_user, outsider, plan):
    html = as_user(outsider).get(MY_GOALS).content.decode()
    assert "money" not in html and MARK_A not in html and MARK_B not in html
    response = as_user(outsider).post(MY_GOALS, {"version": str(plan.code), "typed_name": "Someone"})
    assert response.status_code == 404
