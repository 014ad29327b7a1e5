"""The issue's "done when", in the demo practice, through the pages as a browser posts them.

therapist1 reviews and signs the plan of client1+client2 under the four
practices, assigns an exercise to each partner, each partner checks in, the
therapist reads both check-ins beside the next session's note, links the note
to the plan's goals, signs it, and sees the progress on the case page. Each
partner sees only their own.
"""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import User
from clinic.clients.models import Client
from clinic.notes.models import SessionNote, TherapySession
from clinic.plans.models import Assignment, Goal, NoteGoal, PlanVersion
from tests.browserlike import BrowserLikeClient
from tests.conftest import sign_in

JO_WORDS = "Kept the pause at dinner twice, Quillon"
SAM_WORDS = "Tried the pause once, felt awkward, Marrowby"


def as_demo(username: str) -> BrowserLikeClient:
    http = BrowserLikeClient()
    http.raise_request_exception = True
    return sign_in(http, User.objects.get(username=username))


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return BeautifulSoup(response.content, "html.parser")


def text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def form_data(soup: BeautifulSoup, form) -> dict:
    """What the browser would post from `form` as it stands (checked boxes, selected options, typed text)."""
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def the_form(soup: BeautifulSoup, action: str):
    """The form posting to `action` (a form without an action posts to its own page, which is `action`)."""
    form = soup.find("form", action=action) or soup.select_one("main form[method=post]:not([action])")
    assert form is not None, action
    return form


def sessions_worked_on(http, case_url: str, goal: Goal) -> int:
    """How many signed sessions the case page says worked on `goal` (0 when it says "not yet")."""
    words = text(page(http.get(case_url)))
    found = re.search(re.escape(goal.statement) + r": (?:worked on in (\d+) signed session|not yet worked on)", words)
    assert found, goal.statement
    return int(found.group(1) or 0)


@pytest.fixture
def demo(db, settings):
    settings.TASKS_BACKEND = "immediate"
    call_command("seed_demo", stdout=io.StringIO())


def test_a_plan_guides_the_couples_work_and_each_partner_sees_only_their_own(demo):
    jo, sam = Client.objects.get(user__username="client1"), Client.objects.get(user__username="client2")
    case = jo.cases.get(kind="couple")
    assert sam in case.clients.all()
    therapist = as_demo("therapist1")
    plan_url = reverse("plan_detail", kwargs={"code": case.code})
    signed_before = case.plan.in_force()
    old_hash = signed_before.content_hash

    # A review: a new draft with every goal carried over, each marked with progress and evidence, then signed.
    response = therapist.post(reverse("plan_review_start", kwargs={"code": case.code}))
    assert response.status_code == 302
    edit_url = reverse("plan_edit", kwargs={"code": case.code})
    editor = page(therapist.get(edit_url))
    data = form_data(editor, the_form(editor, edit_url))
    draft = case.plan.draft()
    goals = list(draft.goals.all())
    assert {g.practice for g in goals if g.client_id is None} == set(Goal.Practice.values)
    assert {g.client_id for g in goals if g.client_id} == {jo.pk, sam.pk}
    for goal in goals:
        data[f"goal-{goal.code}-progress"] = "some"
        data[f"goal-{goal.code}-progress_evidence"] = "Named in two sessions, calmly"
    data["review_summary"] = "Steady movement; the pause helps both."
    data["go"] = "sign"
    response = therapist.post(edit_url, data)
    assert response.status_code == 302 and response["Location"] == reverse("plan_sign", kwargs={"code": case.code})
    sign_url = reverse("plan_sign", kwargs={"code": case.code})
    confirm = page(therapist.get(sign_url))
    response = therapist.post(sign_url, form_data(confirm, the_form(confirm, sign_url)))
    assert response.status_code == 302
    review = PlanVersion.objects.get(pk=draft.pk)
    assert review.is_signed and review.verify() and case.plan.in_force() == review
    signed_before.refresh_from_db()
    assert signed_before.content_hash == old_hash and signed_before.verify()
    assert "Steady movement" in text(page(therapist.get(plan_url)))

    # An exercise for both partners: two private assignments.
    assign_url = reverse("assignment_new", kwargs={"code": case.code})
    form_page = page(therapist.get(assign_url))
    data = form_data(form_page, the_form(form_page, assign_url))
    exercise = form_page.find("select", attrs={"name": "exercise"}).find_all("option")[1]["value"]
    data.update({"exercise": exercise, "who": "both", "personal_note": "Try it when things are calm."})
    response = therapist.post(assign_url, data)
    assert response.status_code == 302, page(response).get_text()[:2000]
    made = Assignment.objects.filter(exercise__code=exercise, personal_note="Try it when things are calm.")
    assert made.count() == 2
    jo_task, sam_task = made.get(client=jo), made.get(client=sam)

    # Each partner checks in on their own; the other's page is not there for them.
    for username, task, other, words in (
        ("client1", jo_task, sam_task, JO_WORDS),
        ("client2", sam_task, jo_task, SAM_WORDS),
    ):
        person = as_demo(username)
        home = text(page(person.get(reverse("client_home"))))
        assert "Something to try this week" in home
        url = reverse("my_practice", kwargs={"code": task.code})
        exercise_page = page(person.get(url))
        data = form_data(exercise_page, the_form(exercise_page, url))
        data.update({"tried": "yes", "text": words})
        answered = person.post(url, data)
        assert answered.status_code == 200 or answered["Location"] == url
        assert task.checkins.filter(sent_at__isnull=False, text=words).exists()
        assert person.get(reverse("my_practice", kwargs={"code": other.code})).status_code == 404

    # Each partner's pages hold their own words and goals, never the other's.
    jo_goal = Goal.objects.filter(version=review, client=jo).first().statement
    sam_goal = Goal.objects.filter(version=review, client=sam).first().statement
    for username, own, others in (
        ("client1", (JO_WORDS, jo_goal), (SAM_WORDS, sam_goal)),
        ("client2", (SAM_WORDS, sam_goal), (JO_WORDS, jo_goal)),
    ):
        person = as_demo(username)
        task = jo_task if username == "client1" else sam_task
        seen = " ".join(
            text(page(person.get(url)))
            for url in (reverse("client_home"), reverse("my_goals"), reverse("my_practice", kwargs={"code": task.code}))
        )
        assert own[0] in seen and own[1] in seen
        assert others[0] not in seen and others[1] not in seen

    case_url = reverse("case_detail", kwargs={"code": case.code})
    before = {
        goal.lineage: sessions_worked_on(therapist, case_url, goal) for goal in review.goals.all() if not goal.client_id
    }

    # The next session: its note shows both check-ins beside it, and is linked to the plan's goals.
    session_url = reverse("session_new", kwargs={"case_code": case.code})
    form_page = page(therapist.get(session_url))
    data = form_data(form_page, the_form(form_page, session_url))
    data.update({"starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "format": "conjoint"})
    if "override" in form_page.decode():
        data.update({"override": "on", "override_reason": "Both asked for a joint check-in on the pause."})
    response = therapist.post(session_url, data)
    assert response.status_code == 302, text(page(response))[:2000]
    session = TherapySession.objects.filter(case=case).order_by("-created_at").first()
    note_url = reverse("note_page", kwargs={"code": session.code})
    editor = page(therapist.get(note_url))
    sidebar = text(editor.find("aside"))
    assert JO_WORDS in sidebar and SAM_WORDS in sidebar
    save_url = reverse("note_save", kwargs={"code": session.code})
    data = form_data(editor, the_form(editor, save_url))
    shared = [g for g in review.goals.all() if g.client_id is None]
    for goal in shared:
        assert f"goal_{goal.code}" in data or editor.find("input", attrs={"name": f"goal_{goal.code}"})
        data[f"goal_{goal.code}"] = "on"
        data[f"movement_{goal.code}"] = "clear"
    data.update(
        {
            "c_subjective": "Both tried the pause; Sam found it awkward.",
            "c_plan": "Keep the pause; add one shared decision.",
            "focus_tolerating_disagreement": "3",
            "evidence_tolerating_disagreement": "Each held a different view without raising voices.",
            "go": "sign",
        }
    )
    response = therapist.post(save_url, data)
    assert response.status_code == 302
    confirm_url = reverse("note_sign", kwargs={"code": session.code})
    confirm = page(therapist.get(confirm_url))
    assert all(goal.statement[:30] in text(confirm) for goal in shared)
    therapist.post(confirm_url, form_data(confirm, the_form(confirm, confirm_url)))
    note = SessionNote.objects.get(session=session)
    assert note.is_signed and note.verify()
    assert set(NoteGoal.objects.filter(note=note).values_list("goal_id", flat=True)) == {g.pk for g in shared}

    # The case page shows each goal's progress, now with this session's movement.
    case_page = text(page(therapist.get(case_url)))
    assert "Progress on the plan's goals" in case_page
    for goal in shared:
        assert sessions_worked_on(therapist, case_url, goal) == before[goal.lineage] + 1
