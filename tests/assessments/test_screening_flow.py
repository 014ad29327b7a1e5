import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import assessments.catalogue  # noqa: F401
from assessments.framework import registry
from assessments.models import RiskFlag, Screening
from assessments.screenings import assign, compare, submit
from clinic.audit.models import Action, AuditEvent

POWER = registry.get("power", 1)
SAFETY = registry.get("safety", 1)


def answers(instrument, **overrides):
    base = {i.id: str(0 if i.scale == "who" else (4 if i.reversed else 0)) for i in instrument.items}
    base.update({k: str(v) for k, v in overrides.items()})
    return base


def questions_url(screening):
    return reverse("questions", kwargs={"code": screening.code})


def test_after_intake_the_client_sees_questionnaires_to_complete(as_user, client_user, person):
    screening = assign(client=person, key="power")
    body = as_user(client_user).get(reverse("client_home")).content.decode()
    assert "Questions about your relationship" in body and "How things are between you" not in body
    page = as_user(client_user).get(questions_url(screening)).content.decode()
    assert "Think about the last 3 months" in page
    assert page.count('type="radio"') == 27 * 5 - 0  # 27 questions, 5 choices each


def test_answers_autosave_and_a_complete_set_is_scored_once(as_user, client_user, person):
    screening = assign(client=person, key="power")
    c = as_user(client_user)
    saved = c.post(
        reverse("questions_save", kwargs={"code": screening.code}),
        {"dec1": "2", "zzz": "9"},
        HTTP_ACCEPT="application/json",
    )
    assert saved.status_code == 200
    screening.refresh_from_db()
    assert screening.answers == {"dec1": "2"}
    response = c.post(questions_url(screening), answers(POWER, dec1=2, mon1=2))
    assert response.url == reverse("client_home")
    screening.refresh_from_db()
    assert screening.is_submitted and screening.result == "balanced"
    assert (screening.scores["instrument"], screening.scores["version"]) == ("power", 1)
    assert screening.scores["direction"] == "toward_partner"
    again = c.post(questions_url(screening), answers(POWER))
    assert again.url == reverse("client_home")
    assert Screening.objects.filter(client=person).count() == 1
    assert AuditEvent.objects.filter(action=Action.SCREENING_SUBMITTED).count() == 1


def test_unanswered_questions_are_listed_and_answers_kept(as_user, client_user, person):
    screening = assign(client=person, key="power")
    data = answers(POWER)
    del data["voi2"], data["pre3"]
    response = as_user(client_user).post(questions_url(screening), data)
    body = response.content.decode()
    assert "2 questions still need an answer" in body
    assert body.count("(not answered yet)") == 2
    assert 'href="#q-voi2"' in body and 'href="#q-pre3"' in body
    screening.refresh_from_db()
    assert not screening.is_submitted
    assert len(screening.answers) == 25


def test_an_urgent_answer_shows_the_safety_page_and_raises_a_flag(as_user, client_user, person):
    screening = assign(client=person, key="safety")
    c = as_user(client_user)
    response = c.post(questions_url(screening), answers(SAFETY, dg_strangling=1), follow=True)
    assert response.redirect_chain[-1][0] == reverse("safety_page")
    assert "Help and support" in response.content.decode()
    flag = RiskFlag.objects.get()
    assert (flag.client, flag.severity, flag.reasons, flag.screening) == (person, "urgent", ["U4"], screening)
    event = AuditEvent.objects.get(action=Action.FLAG_RAISED)
    assert event.detail == {"severity": "urgent", "reasons": ["U4"]}


def test_an_elevated_answer_raises_a_quiet_flag(as_user, client_user, person):
    screening = assign(client=person, key="safety")
    response = as_user(client_user).post(questions_url(screening), answers(SAFETY, ws_conflict=4))
    assert response.url == reverse("client_home")
    assert RiskFlag.objects.get().severity == "elevated"


def test_the_partner_cannot_reach_or_learn_of_the_other_screening(as_user, client_user, partner_user, person, partner):
    screening = assign(client=person, key="safety")
    as_user(client_user).post(questions_url(screening), answers(SAFETY, dg_physical=1))
    c = as_user(partner_user)
    assert c.get(questions_url(screening)).status_code == 404
    assert c.post(reverse("questions_save", kwargs={"code": screening.code}), {"dg_physical": "0"}).status_code == 404
    home = c.get(reverse("client_home")).content.decode().lower()
    assert "flag" not in home and "safety" not in home
    screening.refresh_from_db()
    assert screening.answers["dg_physical"] == "1"


def submitted_power(client, **overrides):
    screening = assign(client=client, key="power")
    screening.save_answers(answers(POWER, **overrides))
    submit(screening=screening)
    screening.refresh_from_db()
    return screening


def test_the_therapist_reads_results_and_each_read_is_audited(as_user, therapist, couple_case, person):
    screening = submitted_power(person, dig1=4, dig2=4, dig3=4)
    url = reverse(
        "screening_result", kwargs={"case_code": couple_case.code, "client_code": person.code, "code": screening.code}
    )
    body = as_user(therapist).get(url).content.decode()
    assert "Digital control" in body and "<svg" in body
    assert AuditEvent.objects.filter(action=Action.SCREENING_VIEWED, client=person).count() == 1


def test_the_comparison_highlights_perception_gaps_and_opposite_views(as_user, therapist, couple_case, person, partner):
    submitted_power(person, dec1=2, dec2=2, mon1=2, dig1=4, dig2=4, dig3=4)
    submitted_power(partner, dec1=2, dec2=1, mon1=2)
    body = as_user(therapist).get(reverse("comparison", kwargs={"case_code": couple_case.code})).content.decode()
    assert "perception gap" in body
    assert "Opposite views" in body
    assert AuditEvent.objects.filter(action=Action.COMPARISON_VIEWED).count() == 2


def test_compare_reports_gaps_by_domain(person, partner):
    a = submitted_power(person, dig1=4, dig2=4, dig3=4)
    b = submitted_power(partner)
    result = compare(a, b)
    digital = next(r for r in result["rows"] if r["key"] == "digital")
    assert (digital["a"], digital["b"], digital["gap"], digital["wide"]) == (100.0, 0.0, 100.0, True)
    assert result["wide_count"] == 1
    assert result["opposite_directions"] is False


@pytest.mark.parametrize("who", ["colleague", "admin_user", "client_user", "partner_user"])
def test_results_and_comparison_are_for_the_treating_therapist_only(
    request, as_user, couple_case, person, partner, who
):
    screening = submitted_power(person)
    c = as_user(request.getfixturevalue(who))
    url = reverse(
        "screening_result", kwargs={"case_code": couple_case.code, "client_code": person.code, "code": screening.code}
    )
    assert c.get(url).status_code == 404
    assert c.get(reverse("comparison", kwargs={"case_code": couple_case.code})).status_code == 404
    rescreen = reverse("rescreen", kwargs={"case_code": couple_case.code, "client_code": person.code, "key": "power"})
    assert c.post(rescreen).status_code == 404
    assert Screening.objects.filter(client=person).count() == 1


def test_a_rescreen_is_assigned_once_and_old_scores_stay(as_user, therapist, couple_case, person):
    first = submitted_power(person, dig1=4)
    c = as_user(therapist)
    url = reverse("rescreen", kwargs={"case_code": couple_case.code, "client_code": person.code, "key": "power"})
    c.post(url)
    c.post(url)
    assert Screening.objects.filter(client=person).open().count() == 1
    first.refresh_from_db()
    assert first.is_submitted and first.scores["domains"][5]["score"] == 33.3


def test_the_public_self_check_scores_without_storing_anything(client, db):
    data = {item_id: "4" for item_id in ("mon2", "fea1", "soc1", "dig1", "pre1")}
    data.update({"dec1": "2", "voi1": "0", "bou1": "0", "lab3": "0"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("self_check"), data)
    body = response.content.decode()
    assert response.status_code == 200 and response.answered_by_redirect
    assert "one of you may hold much more of the power" in body
    assert "Nothing you answered here has been saved" in body
    # The page rode from the POST to the GET in a visitor's session, which then went, row and cookie.
    tables = {
        table for q in queries.captured_queries for table in re.findall(r'(?:INTO|UPDATE|FROM) "(\w+)"', q["sql"])
    }
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes and tables - {"django_session"} == set(), tables
    assert Session.objects.count() == 0
    assert client.cookies["sessionid"].value == "" and set(response.cookies) <= {"csrftoken", "sessionid"}
    assert Screening.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_the_self_check_asks_again_for_missing_answers(client, db):
    body = client.post(reverse("self_check"), {"dec1": "0"}).content.decode()
    assert "8 questions still need an answer" in body
