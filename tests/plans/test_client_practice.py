"""The client's side: a neutral item on their home, the exercise page, autosaved check-ins, and sending."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.models import RiskFlag
from clinic.audit.models import Action, AuditEvent
from clinic.lib.neutral import unneutral_words
from clinic.plans.exercises import draft_of
from clinic.plans.models import CheckIn
from tests.plans.practice_helpers import an_exercise, assign_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(couple_case, person, therapist):
    exercise = an_exercise(title="Count to five first", instructions="Breathe out, then count to five.")
    return assign_to(couple_case, person, by=therapist, exercise=exercise, personal_note="Start small, Robin.")


def page_url(assignment) -> str:
    return reverse("my_practice", kwargs={"code": assignment.code})


def save_url(assignment) -> str:
    return reverse("checkin_autosave", kwargs={"code": assignment.code})


def test_the_home_shows_one_neutral_item_per_current_assignment(as_user, client_user, assignment):
    soup = BeautifulSoup(as_user(client_user).get(reverse("client_home")).content, "html.parser")
    links = [a for a in soup.select("main a") if a["href"] == page_url(assignment)]
    assert [a.get_text(strip=True) for a in links] == ["Something to try this week"]
    home = soup.select_one("main").get_text(" ", strip=True)
    assert not unneutral_words(home)
    assert "Count to five" not in home and "Tolerating" not in home and "therapy" not in home.lower()


def test_the_page_shows_the_instructions_the_words_and_the_period_and_is_audited(as_user, client_user, assignment):
    response = as_user(client_user).get(page_url(assignment))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.title.get_text() == "Fulcrum"
    text = soup.select_one("main").get_text(" ", strip=True)
    assert "Breathe out, then count to five." in text and "Start small, Robin." in text
    assert "Tolerating disagreement" not in text
    assert soup.select_one("#quick-exit") is not None
    form = soup.select_one("form#checkin-form")
    assert form["autocomplete"] == "off" and form["data-autosave-url"] == save_url(assignment)
    assert all(f.get("autocomplete") == "off" for f in form.select("input:not([type=hidden]), textarea"))
    assert {i["value"] for i in form.select("input[name=tried]")} == {"yes", "partly", "not_yet"}
    assert form.select_one("label[for=made-things-worse]").get_text() == (
        "This made things worse or did not feel safe to do"
    )
    event = AuditEvent.objects.get(action=Action.EXERCISE_OPENED)
    assert event.target_id == str(assignment.code) and event.client_id == assignment.client_id


def test_autosave_keeps_every_word_on_the_server_and_refuses_a_stale_version(as_user, client_user, assignment):
    http = as_user(client_user)
    http.get(page_url(assignment))
    draft = draft_of(assignment)
    saved = http.post(save_url(assignment), {"tried": "partly", "text": "Counted twice", "version": draft.revision})
    assert saved.status_code == 200 and saved.json()["version"] == draft.revision + 1
    draft.refresh_from_db()
    assert (draft.tried, draft.text, draft.sent_at) == ("partly", "Counted twice", None)
    # Another window saved since: 409, and nothing is overwritten.
    stale = http.post(save_url(assignment), {"tried": "yes", "text": "Older words", "version": 1})
    assert stale.status_code == 409 and "another window" in stale.json()["message"]
    draft.refresh_from_db()
    assert draft.text == "Counted twice"
    page = BeautifulSoup(http.get(page_url(assignment)).content, "html.parser")
    assert page.select_one("textarea[name=text]").get_text() == "Counted twice"
    assert page.select_one("input[name=tried][value=partly]").has_attr("checked")
    bad = http.post(save_url(assignment), {"tried": "maybe", "version": draft.revision})
    assert bad.status_code == 400
    not_form = http.post(save_url(assignment), '{"text": ""}', content_type="application/json")
    assert not_form.status_code == 400
    draft.refresh_from_db()
    assert draft.text == "Counted twice"


def test_send_shows_what_was_sent_and_a_fresh_check_in(as_user, client_user, assignment):
    http = as_user(client_user)
    draft = draft_of(assignment)
    response = http.post(page_url(assignment), {"tried": "yes", "text": "It helped a bit", "version": draft.revision})
    assert response.status_code == 302 and response.url == page_url(assignment)
    sent = CheckIn.objects.get(assignment=assignment, sent_at__isnull=False)
    assert (sent.tried, sent.text, sent.made_things_worse) == ("yes", "It helped a bit", False)
    assert AuditEvent.objects.filter(action=Action.CHECKIN_SENT).count() == 1
    assert not RiskFlag.objects.exists()
    page = BeautifulSoup(http.get(page_url(assignment)).content, "html.parser")
    assert "It helped a bit" in page.select_one(".sent-checkins").get_text()
    assert page.select_one("textarea[name=text]").get_text() == ""
    assert page.select_one("#checkin-h").get_text() == "Another check-in"


def test_sending_without_saying_whether_you_tried_keeps_the_words_and_says_what_to_do(as_user, client_user, assignment):
    http = as_user(client_user)
    draft = draft_of(assignment)
    response = http.post(page_url(assignment), {"text": "Not sure yet", "version": draft.revision})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Choose whether you tried it: yes, partly or not yet." in soup.select_one("#error-summary").get_text()
    assert soup.select_one("textarea[name=text]").get_text() == "Not sure yet"
    draft.refresh_from_db()
    assert draft.text == "Not sure yet" and draft.sent_at is None


def test_made_things_worse_raises_an_elevated_flag_and_shows_the_help_page(as_user, client_user, assignment, person):
    http = as_user(client_user)
    draft = draft_of(assignment)
    data = {"tried": "partly", "text": "It went badly", "made_things_worse": "on", "version": draft.revision}
    response = http.post(page_url(assignment), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("safety_page")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("h1").get_text() == "Help and support"
    assert "Thank you for telling us" in soup.get_text()
    assert soup.select(".safety-page a[href^='tel:']"), "the hotlines of the practice's country"
    flag = RiskFlag.objects.get()
    assert flag.client == person and flag.severity == RiskFlag.Severity.ELEVATED
    assert flag.exercise_checkin.assignment == assignment and flag.exercise_checkin.made_things_worse


def test_a_partner_an_outsider_and_staff_get_404_and_a_wrong_method_405(
    as_user, client_user, partner_user, outsider, therapist, assignment
):
    for user in (partner_user, outsider, therapist):
        http = as_user(user)
        assert http.get(page_url(assignment)).status_code == 404, user
        assert http.post(page_url(assignment), {"tried": "yes"}).status_code == 404, user
        assert http.post(save_url(assignment), {"tried": "yes", "text": "x"}).status_code == 404, user
    assert not CheckIn.objects.filter(text="x").exists() and not CheckIn.objects.filter(sent_at__isnull=False).exists()
    own = as_user(client_user)
    assert own.get(save_url(assignment)).status_code == 405
    assert own.put(page_url(assignment)).status_code == 405


def test_the_home_takes_the_same_queries_with_ten_times_the_assignments(
    as_user, client_user, couple_case, person, therapist, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clinic.plans.exercise_views import client_home_tasks

    http = as_user(client_user)
    exercise = an_exercise()
    assign_to(couple_case, person, by=therapist, exercise=exercise)
    http.get(reverse("client_home"))
    with CaptureQueriesContext(connection) as once:
        http.get(reverse("client_home"))
    with django_assert_num_queries(1):
        assert len(client_home_tasks(client=person)) == 1
    for _ in range(9):
        assign_to(couple_case, person, by=therapist, exercise=exercise)
    with CaptureQueriesContext(connection) as ten:
        page = http.get(reverse("client_home"))
    assert page.content.decode().count("Something to try this week") == 10
    assert len(ten) == len(once)
    with django_assert_num_queries(1):
        assert len(client_home_tasks(client=person)) == 10


def test_sending_from_a_page_older_than_the_draft_sends_nothing_until_confirmed(as_user, client_user, assignment):
    http = as_user(client_user)
    draft = draft_of(assignment)
    opened = draft.revision
    http.post(save_url(assignment), {"tried": "yes", "text": "From the other window", "version": opened})
    response = http.post(page_url(assignment), {"tried": "partly", "text": "From this window", "version": opened})
    assert response.status_code == 409
    soup = BeautifulSoup(response.content, "html.parser")
    assert "changed in another window" in soup.select_one(".alert-warning").get_text()
    assert soup.select_one("textarea[name=text]").get_text() == "From this window"
    draft.refresh_from_db()
    assert draft.text == "From the other window" and draft.sent_at is None
    # Send again from that page: its version is now the draft's.
    version = soup.select_one("input[name=version]")["value"]
    http.post(page_url(assignment), {"tried": "partly", "text": "From this window", "version": version})
    sent = CheckIn.objects.get(assignment=assignment, sent_at__isnull=False)
    assert sent.text == "From this window"
