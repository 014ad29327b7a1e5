"""The plan editor says who reads each goal's words, previews them as the client page draws them, and warns when
words both partners read name one of them beside a score: the draft keeps every word, and signing asks to confirm."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.plans.models import PlanVersion
from clinic.plans.planning import start_plan
from tests.plans.plan_pages import editor_data, goal_field, make_goal, url

pytestmark = pytest.mark.django_db

NAMING = "Both can name the last money decision; Jo's money score falls"


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def named(couple_case, person, partner):
    person.full_name, person.preferred_name = "Jordan Avery", "Jo"
    person.save()
    partner.full_name, partner.preferred_name = "Sam Avery", "Sam"
    partner.save()
    return couple_case


@pytest.fixture
def draft(named, therapist):
    return start_plan(case=named, by=therapist)


@pytest.fixture
def http(as_user, therapist):
    return as_user(therapist)


def help_text(html: BeautifulSoup, goal, name: str) -> str:
    return html.find(id=f"id_{goal_field(goal, name)}_helptext").get_text(" ", strip=True)


def test_each_goal_field_says_who_reads_it(http, named, draft, person):
    shared = make_goal(draft)
    own = make_goal(draft, client=person, statement="Say what I want first")
    html = page(http.get(url("plan_edit", named)))
    for name in ("statement", "progress_shows"):
        assert (
            help_text(html, shared, name)
            == "Both partners read this (Jo and Sam), word for word, once the plan is signed."
        )
        assert help_text(html, own, name) == "Only Jo reads this, word for word, once the plan is signed."
    # Words clients never read on their pages say nothing of the kind.
    assert html.find(id=f"id_{goal_field(shared, 'measure')}_helptext") is None


def test_the_preview_is_what_each_reader_will_see_once_signed(http, as_user, named, draft, partner, therapist):
    shared = make_goal(draft, progress_shows="A decision a week both had a say in")
    own = make_goal(draft, client=partner, statement="Ask before deciding for both of us", progress_shows="Asked first")
    html = page(http.get(url("plan_edit", named)))
    previews = {g: html.find(id=f"goal-preview-{g.code}").select_one("li.client-goal") for g in (shared, own)}
    assert html.find(id=f"goal-preview-{own.code}").find_parent("details").summary.get_text(strip=True) == (
        "Preview: the goal as Sam will read it"
    )
    # Signed, the partner's own page draws the same items, word for word and tag for tag.
    sign = http.post(url("plan_sign", named), {"revision": draft.revision})
    assert sign.status_code == 302
    assert PlanVersion.objects.get(pk=draft.pk).is_signed
    mine = page(as_user(partner.user).get(reverse("my_goals"))).select("li.client-goal")
    assert [str(li) for li in mine] == [str(previews[shared]), str(previews[own])]


def test_a_partner_who_reads_spanish_is_previewed_in_spanish(http, named, draft, partner):
    partner.language = "es"
    partner.save()
    shared = make_goal(draft, progress_shows="A decision a week both had a say in")
    preview = page(http.get(url("plan_edit", named))).find(id=f"goal-preview-{shared.code}")
    views = {div["lang"]: div.get_text(" ", strip=True) for div in preview.select("div.client-preview-view")}
    assert "How we will notice: A decision a week both had a say in" in views["en"]
    assert "Cómo lo notaremos: A decision a week both had a say in" in views["es"]
    assert "Sam, in Español" in preview.get_text(" ", strip=True)


def test_autosave_keeps_the_words_and_answers_with_the_warning_and_the_new_preview(http, named, draft):
    shared = make_goal(draft)
    data = editor_data(draft, **{goal_field(shared, "progress_shows"): NAMING})
    response = http.post(url("plan_autosave", named), data)
    assert response.status_code == 200
    shared.refresh_from_db()
    assert shared.progress_shows == NAMING  # saved as typed: the check never loses a word
    fragments = response.json()["fragments"]
    warning = BeautifulSoup(fragments[f"goal-warnings-{shared.code}"], "html.parser").get_text(" ", strip=True)
    assert warning.startswith("How progress will show: It names Jo beside “score”, and both partners read it")
    assert "How we will notice: Both can name the last money decision; Jo's money score falls" in BeautifulSoup(
        fragments[f"goal-preview-{shared.code}"], "html.parser"
    ).get_text(" ", strip=True)
    assert "It names Jo" in fragments["word-warnings"]
    # Reworded, the warning goes on the next save.
    data = editor_data(draft, **{goal_field(shared, "progress_shows"): "Both can name the last money decision"})
    assert (
        http.post(url("plan_autosave", named), data).json()["fragments"][f"goal-warnings-{shared.code}"].strip() == ""
    )


def test_the_editor_page_shows_the_warning_beside_the_goal_and_above_signing(http, named, draft):
    shared = make_goal(draft, progress_shows=NAMING)
    html = page(http.get(url("plan_edit", named)))
    beside = html.find(id=f"goal-warnings-{shared.code}").get_text(" ", strip=True)
    assert "It names Jo beside “score”" in beside
    assert "Words to check before signing" in html.find(id="word-warnings").get_text(" ", strip=True)


def test_signing_words_that_name_a_partner_asks_to_confirm_them_first(http, named, draft):
    make_goal(draft, progress_shows=NAMING)
    html = page(http.get(url("plan_sign", named)))
    box = html.find(id="sign-word-warnings")
    assert "It names Jo beside “score”" in box.get_text(" ", strip=True)
    assert box.find("input", attrs={"name": "words_confirmed", "type": "checkbox"})

    refused = http.post(url("plan_sign", named), {"revision": draft.revision}, follow=True)
    assert not PlanVersion.objects.get(pk=draft.pk).is_signed
    assert "Not signed: Check the words clients will read" in refused.content.decode()
    assert not AuditEvent.objects.filter(action=Action.PLAN_SIGNED).exists()

    http.post(url("plan_sign", named), {"revision": draft.revision, "words_confirmed": "yes"})
    signed = PlanVersion.objects.get(pk=draft.pk)
    assert signed.is_signed and signed.goals.get().progress_shows == NAMING


def test_a_plan_whose_words_name_no_one_signs_without_the_question(http, named, draft):
    make_goal(draft, progress_shows="Both can name the last money decision")
    assert page(http.get(url("plan_sign", named))).find(id="sign-word-warnings") is None
    http.post(url("plan_sign", named), {"revision": draft.revision})
    assert PlanVersion.objects.get(pk=draft.pk).is_signed
