"""A plan written, signed and reviewed through its pages: every word saved, old versions left as they were."""

import pytest
from bs4 import BeautifulSoup

from clinic.audit.models import Action, AuditEvent
from clinic.plans.models import Goal, PlanVersion, Progress, TreatmentPlan
from tests.plans.plan_pages import editor_data, goal_field, url

pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def http(as_user, therapist):
    return as_user(therapist)


def draft_of(case) -> PlanVersion:
    return PlanVersion.objects.get(plan__case=case, status=PlanVersion.Status.DRAFT)


def test_opening_the_editor_starts_the_plan_once(http, couple_case):
    first = http.get(url("plan_edit", couple_case))
    again = http.get(url("plan_edit", couple_case))
    assert first.status_code == again.status_code == 200
    assert TreatmentPlan.objects.filter(case=couple_case).count() == 1
    assert PlanVersion.objects.filter(plan__case=couple_case).count() == 1
    form = page(first).find("form", id="plan-form")
    assert form["data-autosave-url"] == url("plan_autosave", couple_case)
    assert form.find("input", attrs={"name": "revision"})["value"] == "1"
    # Four practices, each with an "Add a goal" button; a couple's partners each have their own.
    assert len(form.select("fieldset.plan-practice")) == 4
    assert len(form.select("button.add-goal")) == 4 * 3


def test_add_a_goal_saves_what_was_typed_first(http, couple_case):
    http.get(url("plan_edit", couple_case))
    draft = draft_of(couple_case)
    response = http.post(
        url("plan_edit", couple_case), editor_data(draft, concerns="We argue about money", add="repair")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.concerns == "We argue about money"
    goal = draft.goals.get()
    assert goal.practice == Goal.Practice.REPAIR and goal.client is None
    assert response.url.endswith(f"#goal-{goal.code}")


def test_add_an_individual_goal_for_one_partner(http, couple_case, partner):
    http.get(url("plan_edit", couple_case))
    draft = draft_of(couple_case)
    http.post(url("plan_edit", couple_case), editor_data(draft, add=f"restoring_agency:{partner.code}"))
    goal = draft.goals.get()
    assert goal.client == partner and goal.practice == "restoring_agency"
    shown = page(http.get(url("plan_edit", couple_case)))
    block = shown.select_one(f'[data-practice="restoring_agency"] .partner-goals[data-partner="{partner.code}"]')
    assert partner.display_name in block.h2.text
    assert block.find(id=f"goal-{goal.code}") is not None


def test_a_goal_for_someone_outside_the_case_is_refused(http, couple_case, outsider):
    from clinic.clients.models import Client

    http.get(url("plan_edit", couple_case))
    draft = draft_of(couple_case)
    stranger = Client.objects.get(user=outsider)
    http.post(url("plan_edit", couple_case), editor_data(draft, add=f"repair:{stranger.code}"))
    http.post(url("plan_edit", couple_case), editor_data(draft, add="not-a-practice"))
    assert not draft.goals.exists()


def test_autosave_keeps_every_field(http, couple_case):
    http.get(url("plan_edit", couple_case))
    draft = draft_of(couple_case)
    http.post(url("plan_edit", couple_case), editor_data(draft, add="naming_power"))
    goal = draft.goals.get()
    data = editor_data(
        draft,
        concerns="Money decisions",
        safety_planning="",
        ask_acknowledgement="on",
        **{
            goal_field(goal, "statement"): "Name who decides",
            goal_field(goal, "progress_shows"): "Both name one decision",
            goal_field(goal, "measure"): "power:money",
            goal_field(goal, "direction"): "below",
            goal_field(goal, "target"): "50",
            goal_field(goal, "target_date"): "2027-03-31",
        },
    )
    response = http.post(url("plan_autosave", couple_case), data)
    assert response.status_code == 200
    reply = response.json()
    draft.refresh_from_db()
    goal.refresh_from_db()
    assert reply["revision"] == draft.revision == 4  # start, save, add, autosave
    assert draft.concerns == "Money decisions" and draft.ask_acknowledgement
    assert (goal.statement, goal.progress_shows) == ("Name who decides", "Both name one decision")
    assert (goal.measure_instrument, goal.measure_domain, goal.measure_direction, goal.measure_target) == (
        "power",
        "money",
        "below",
        50,
    )
    assert goal.target_date.isoformat() == "2027-03-31"
    assert reply["sign_needs"] == []
    assert AuditEvent.objects.filter(action=Action.PLAN_SAVED, target_id=str(draft.code)).exists()
    event = AuditEvent.objects.filter(action=Action.PLAN_SAVED).latest("id")
    assert set(event.detail) == {"number", "revision"}


def test_remove_a_goal_from_the_draft(http, couple_case):
    http.get(url("plan_edit", couple_case))
    draft = draft_of(couple_case)
    http.post(url("plan_edit", couple_case), editor_data(draft, add="repair"))
    http.post(url("plan_edit", couple_case), editor_data(draft, add="repair"))
    keep, drop = draft.goals.order_by("position")
    http.post(url("plan_edit", couple_case), editor_data(draft, remove=str(drop.code)))
    assert list(draft.goals.all()) == [keep]
    http.post(url("plan_edit", couple_case), editor_data(draft, remove="not-a-code"))
    assert draft.goals.count() == 1
    details = [e.detail for e in AuditEvent.objects.filter(action=Action.PLAN_SAVED).order_by("id")]
    assert {"number": 1, "revision": details[-2]["revision"], "removed_goal": str(drop.code)} in details
    assert sum("added_goal" in d for d in details) == 2


def write_and_sign(http, case) -> PlanVersion:
    http.get(url("plan_edit", case))
    draft = draft_of(case)
    http.post(url("plan_edit", case), editor_data(draft, add="naming_power"))
    goal = draft.goals.get()
    words = {goal_field(goal, "statement"): "Name who decides", goal_field(goal, "progress_shows"): "One money talk"}
    response = http.post(url("plan_edit", case), editor_data(draft, go="sign", **words))
    assert response.status_code == 302 and response.url == url("plan_sign", case)
    confirm = page(http.get(url("plan_sign", case)))
    assert "Signing locks everything below" in confirm.find(id="sign-warning").text
    assert "Name who decides" in confirm.text
    revision = confirm.find("input", attrs={"name": "revision"})["value"]
    response = http.post(url("plan_sign", case), {"revision": revision})
    assert response.status_code == 302 and response.url == url("plan_detail", case)
    draft.refresh_from_db()
    return draft


def test_sign_from_the_confirmation_page_then_read_it(http, couple_case, therapist):
    version = write_and_sign(http, couple_case)
    assert version.is_signed and version.verify() and version.signed_by == therapist
    shown = page(http.get(url("plan_detail", couple_case)))
    assert "Name who decides" in shown.select_one('[data-practice="naming_power"]').text
    assert "content matches what was signed" in shown.select_one(".plan-signature").text
    assert shown.find(id="start-review") is not None
    # The editor of a signed plan without a draft explains and offers a review.
    locked = page(http.get(url("plan_edit", couple_case)))
    assert "signed" in locked.find(id="plan-locked").text and locked.find(id="start-review")


def test_a_confirmation_of_an_older_revision_is_refused(http, couple_case):
    http.get(url("plan_edit", couple_case))
    draft = draft_of(couple_case)
    http.post(url("plan_edit", couple_case), editor_data(draft, add="repair"))
    goal = draft.goals.get()
    http.post(
        url("plan_edit", couple_case),
        editor_data(draft, **{goal_field(goal, "statement"): "A", goal_field(goal, "progress_shows"): "B"}),
    )
    response = http.post(url("plan_sign", couple_case), {"revision": "1"}, follow=True)
    draft.refresh_from_db()
    assert not draft.is_signed
    assert "changed since you confirmed" in response.content.decode()


def test_a_review_makes_a_new_version_and_the_old_one_stays_readable(http, couple_case):
    first = write_and_sign(http, couple_case)
    first_hash = first.content_hash
    response = http.post(url("plan_review_start", couple_case))
    assert response.status_code == 302 and response.url == url("plan_edit", couple_case)
    review = draft_of(couple_case)
    assert review.number == 2 and review.reviews_id == first.pk
    goal = review.goals.get()
    editor = page(http.get(url("plan_edit", couple_case)))
    assert editor.find("select", attrs={"name": goal_field(goal, "progress")}) is not None
    assert editor.find("textarea", attrs={"name": "review_summary"}) is not None
    data = editor_data(
        review,
        review_summary="Calmer money talks",
        **{
            goal_field(goal, "statement"): "Name who decides, every week",
            goal_field(goal, "progress"): Progress.MUCH,
            goal_field(goal, "progress_evidence"): "Three calm talks",
        },
    )
    http.post(url("plan_edit", couple_case), data)
    revision = page(http.get(url("plan_sign", couple_case))).find("input", attrs={"name": "revision"})["value"]
    http.post(url("plan_sign", couple_case), {"revision": revision})
    review.refresh_from_db()
    assert review.is_signed
    first.refresh_from_db()
    assert first.content_hash == first_hash and first.verify()
    assert first.goals.get().statement == "Name who decides" and first.goals.get().progress == ""
    old = page(http.get(url("plan_version", couple_case, number=1)))
    assert "Name who decides" in old.text and "every week" not in old.text
    assert "An earlier version" in old.text
    current = page(http.get(url("plan_detail", couple_case)))
    assert "Much progress" in current.select_one(".goal-progress").text
    history = current.select_one(".plan-history")
    assert [a["href"] for a in history.find_all("a")] == [
        url("plan_version", couple_case, number=2),
        url("plan_version", couple_case, number=1),
    ]


def test_a_second_review_click_finds_the_same_draft(http, couple_case):
    write_and_sign(http, couple_case)
    http.post(url("plan_review_start", couple_case))
    http.post(url("plan_review_start", couple_case))
    assert PlanVersion.objects.filter(plan__case=couple_case).count() == 2


def test_reading_the_plan_is_audited(http, couple_case):
    version = write_and_sign(http, couple_case)
    before = AuditEvent.objects.filter(action=Action.PLAN_VIEWED).count()
    http.get(url("plan_detail", couple_case))
    http.get(url("plan_version", couple_case, number=1))
    events = AuditEvent.objects.filter(action=Action.PLAN_VIEWED).order_by("id")[before:]
    assert [(e.target_id, e.detail) for e in events] == [(str(version.code), {"number": 1})] * 2


def test_the_plan_page_says_who_acknowledged_which_version(http, couple_case, therapist, person, partner):
    from clinic.plans.planning import acknowledge, sign_version, start_review
    from tests.plans.plan_pages import signed_plan

    first = signed_plan(couple_case, therapist)
    review = start_review(plan=first.plan, by=therapist)
    review.goals.update(progress=Progress.SOME, progress_evidence="Better")
    PlanVersion.objects.filter(pk=review.pk).update(ask_acknowledgement=True)
    review.refresh_from_db()
    sign_version(version=review, by=therapist)
    acknowledge(version=review, client=person, typed_name="Robin Typed")
    shown = page(http.get(url("plan_detail", couple_case)))
    acks = shown.select_one(".plan-acknowledgements").text
    assert person.display_name in acks and "Robin Typed" in acks and "version 2" in acks
    assert f"Not yet acknowledged by: {partner.display_name}." in " ".join(acks.split())
    history = shown.select(".plan-history li")
    assert person.display_name in history[0].select_one(".version-acks").text
    assert history[1].select_one(".version-acks") is None


def test_enter_in_a_field_saves_rather_than_removing_a_goal(http, couple_case):
    http.get(url("plan_edit", couple_case))
    draft = draft_of(couple_case)
    http.post(url("plan_edit", couple_case), editor_data(draft, add="repair"))
    form = page(http.get(url("plan_edit", couple_case))).find("form", id="plan-form")
    first_button = form.find("button", attrs={"type": "submit"})
    assert (first_button["name"], first_button["value"]) == ("go", "save")


def test_a_version_whose_content_no_longer_matches_its_hash_says_so(http, couple_case, therapist, monkeypatch):
    from tests.plans.plan_pages import signed_plan

    signed_plan(couple_case, therapist)
    monkeypatch.setattr(PlanVersion, "compute_hash", lambda self: "0" * 64)
    shown = page(http.get(url("plan_detail", couple_case)))
    assert "does not match its signature" in shown.select_one(".hash-bad").text
    assert shown.select_one(".hash-ok") is None
