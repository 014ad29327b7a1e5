"""Session check-ins: offered after each attended session, answered once, expiring, read by the treating therapist."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import checkins
from assessments.checkin_v1 import COMMENT_MAX
from assessments.models import BalanceAlert, RiskFlag, SessionCheckIn
from clinic.accounts.models import Role
from clinic.audit.models import Action, AuditEvent
from clinic.notes.models import TherapySession
from tests.factories import attended_session, checkins_sent, make_case, make_user

pytestmark = pytest.mark.django_db


def page_url(checkin) -> str:
    return reverse("session_checkin", kwargs={"code": checkin.code})


def save_url(checkin) -> str:
    return reverse("session_checkin_save", kwargs={"code": checkin.code})


def all_lines(checkin, value: int, **extra) -> dict:
    return {item.id: str(value) for item in checkins.instrument_of(checkin).items} | extra


def home_links(c) -> list[str]:
    page = BeautifulSoup(c.get(reverse("client_home")).content, "html.parser")
    return [a["href"] for a in page.find_all("a", href=True)]


# Offered after a session


def test_both_partners_get_one_after_a_conjoint_session_and_nobody_twice(therapist, couple_case, person, partner):
    session = attended_session(couple_case, by=therapist)
    offered = session.checkins.order_by("client__memberships__id")
    assert [c.client for c in offered] == [person, partner]
    assert {c.instrument_key for c in offered} == {"checkin"}
    assert all(c.expires_at == checkins.session_ends(session) + timedelta(days=4) for c in offered)
    assert checkins.offer_after_session(session=session) == []
    assert session.checkins.count() == 2
    assert AuditEvent.objects.filter(action=Action.SESSION_CHECKIN_ASSIGNED).count() == 2


def test_after_an_individual_session_only_that_partner_gets_the_four_line_form(therapist, couple_case, person):
    session = attended_session(couple_case, by=therapist, individual_client=person)
    (checkin,) = session.checkins.all()
    assert checkin.client == person and checkin.instrument_key == "checkin_individual"
    assert [i.id for i in checkins.instrument_of(checkin).items] == ["heard", "say", "disagree", "pace"]


@pytest.mark.parametrize(
    ("hours_ago", "attendance"),
    [(-24, "attended"), (2, "cancelled"), (2, "no_show"), (24 * 5, "attended")],
    ids=["not-held-yet", "cancelled", "no-show", "ended-longer-ago-than-the-check-in-time"],
)
def test_nothing_is_asked_about_a_session_not_held_or_long_past(therapist, couple_case, person, hours_ago, attendance):
    session = TherapySession.objects.create(
        case=couple_case,
        starts_at=timezone.now() - timedelta(hours=hours_ago),
        attendance=attendance,
        created_by=therapist,
    )
    assert checkins.offer_after_session(session=session) == []
    assert not SessionCheckIn.objects.exists()


def test_a_client_without_a_sign_in_is_not_asked(therapist):
    case = make_case(therapist=therapist, kind="individual")
    session = attended_session(case, by=therapist, individual_client=case.clients.get())
    assert not session.checkins.exists()


def test_adding_a_session_offers_it_with_a_neutral_notice_only_where_email_is_safe(
    as_user, therapist, couple_case, person, partner, django_capture_on_commit_callbacks
):
    person.email, person.may_email = "jo@example.org", True
    person.save(update_fields=["email", "may_email"])
    partner.email, partner.may_email = "sam@example.org", False
    partner.save(update_fields=["email", "may_email"])
    starts = timezone.localtime() - timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(therapist).post(
            reverse("session_new", kwargs={"case_code": couple_case.code}),
            {
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": "50",
                "format": "conjoint",
                "modality": "in_person",
                "attendance": "attended",
            },
        )
    assert response.status_code == 302
    assert SessionCheckIn.objects.filter(client__in=[person, partner]).count() == 2
    (message,) = mail.outbox
    assert message.to == ["jo@example.org"]
    assert message.subject == "You have something new from your practice"
    for word in ("session", "therap", "check-in", "couple", "partner"):
        assert word not in (message.subject + message.body).lower()


# The client's side


def test_the_home_lists_it_in_neutral_words_until_it_expires(as_user, therapist, couple_case, person, client_user):
    session = attended_session(couple_case, by=therapist)
    checkin = session.checkins.get(client=person)
    c = as_user(client_user)
    home = c.get(reverse("client_home")).content.decode()
    assert page_url(checkin) in home_links(c)
    assert "About your last appointment" in home and "Under a minute" in home
    for word in ("therap", "session", "couple"):
        assert word not in BeautifulSoup(home, "html.parser").find("main").get_text().lower()
    with time_machine.travel(checkin.expires_at + timedelta(minutes=1)):
        c = as_user(client_user)  # signed in again: the earlier sign-in has timed out by then
        assert page_url(checkin) not in home_links(c)
        response = c.get(page_url(checkin), follow=True)
        assert "This one has closed" in response.content.decode()
        assert c.post(save_url(checkin), {"heard": "5"}).status_code == 409
        c.post(page_url(checkin), all_lines(checkin, 6))
    checkin.refresh_from_db()
    assert not checkin.is_submitted and checkin.answers == {}


def test_answers_are_saved_as_chosen_and_sent_once(as_user, therapist, couple_case, person, client_user):
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=person)
    c = as_user(client_user)
    assert c.post(save_url(checkin), {"heard": "7", "comment": "  half a thought  "}).json()["saved"]
    checkin.refresh_from_db()
    assert checkin.answers == {"heard": "7"} and checkin.comment == "half a thought"
    # A reload shows what was chosen and typed.
    page = BeautifulSoup(c.get(page_url(checkin)).content, "html.parser")
    assert page.find("input", id="heard-7").has_attr("checked")
    assert page.find("textarea", id="comment").get_text() == "half a thought"
    response = c.post(page_url(checkin), all_lines(checkin, 8, heard="7"))
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.is_submitted and checkin.mean == 8.0 - 0.2  # 7, 8, 8, 8, 8
    again = c.post(page_url(checkin), all_lines(checkin, 1), follow=True)
    assert "already sent" in again.content.decode()
    assert c.post(save_url(checkin), {"heard": "1"}).status_code == 409
    checkin.refresh_from_db()
    assert checkin.scores["items"]["heard"] == 7
    assert AuditEvent.objects.filter(action=Action.SESSION_CHECKIN_SENT, client=person).count() == 1


def test_a_missing_line_is_named_and_nothing_chosen_or_typed_is_lost(
    as_user, therapist, couple_case, person, client_user
):
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=person)
    c = as_user(client_user)
    response = c.post(page_url(checkin), {"heard": "3", "say": "4", "comment": "mine"})
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert "3 questions still need an answer" in page.find(id="error-summary").get_text(" ", strip=True)
    assert page.find("input", id="say-4").has_attr("checked")
    assert page.find("textarea", id="comment").get_text() == "mine"


def test_a_line_too_long_is_refused_with_the_text_kept_on_the_page(
    as_user, therapist, couple_case, person, client_user
):
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=person)
    c = as_user(client_user)
    long = "Ŝ" * (COMMENT_MAX + 1)
    response = c.post(page_url(checkin), all_lines(checkin, 6, comment=long))
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert f"under {COMMENT_MAX} characters" in page.find(id="error-summary").get_text()
    assert page.find("textarea", id="comment").get_text() == long
    assert page.find("input", id="pace-6").has_attr("checked")
    saved = c.post(save_url(checkin), {"comment": long})
    assert saved.status_code == 400 and "Not saved" in saved.json()["message"]
    checkin.refresh_from_db()
    assert not checkin.is_submitted and checkin.comment == ""


def test_odd_characters_in_the_line_are_kept_and_a_nul_is_dropped(as_user, therapist, couple_case, person, client_user):
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=person)
    line = "Jo\x00 — \u202eright-to-left\u202c, 👩🏽‍🤝‍👨🏻, Ω̃"
    response = as_user(client_user).post(save_url(checkin), {"comment": line})
    assert response.status_code == 200
    checkin.refresh_from_db()
    assert checkin.comment == line.replace("\x00", "")


@pytest.mark.parametrize("value", ["11", "-1", "٣", "5.5", "", "ten"])
def test_an_answer_off_the_scale_is_refused(as_user, therapist, couple_case, person, client_user, value):
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=person)
    response = as_user(client_user).post(save_url(checkin), {"heard": value})
    checkin.refresh_from_db()
    if value == "":
        assert response.status_code == 200 and checkin.answers == {}
    else:
        assert response.status_code == 400 and checkin.answers == {}


def test_a_client_cannot_open_the_partners_check_in(as_user, therapist, couple_case, partner, client_user):
    theirs = attended_session(couple_case, by=therapist).checkins.get(client=partner)
    c = as_user(client_user)
    assert c.get(page_url(theirs)).status_code == 404
    assert c.post(save_url(theirs), {"heard": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.answers == {}


# What answers do


def test_not_feeling_safe_to_disagree_raises_an_elevated_flag_and_offers_the_safety_questions_again(
    as_user, therapist, couple_case, person, client_user, django_capture_on_commit_callbacks
):
    person.email, person.may_email = "jo@example.org", True
    person.save(update_fields=["email", "may_email"])
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=person)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(client_user).post(page_url(checkin), all_lines(checkin, 8, disagree="3"))
    flag = RiskFlag.objects.get(session_checkin=checkin)
    assert (flag.client, flag.severity, flag.reasons) == (person, "elevated", [checkins.UNSAFE_TO_DISAGREE])
    assert person.screenings.open().filter(instrument_key="safety").exists()
    assert mail.outbox == []  # no email just after the client said the room did not feel safe
    record = as_user(therapist).get(
        reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code})
    )
    assert "did not feel safe to disagree" in record.content.decode()


def test_four_out_of_ten_for_safe_to_disagree_raises_nothing(therapist, couple_case, person, partner):
    checkins_sent(couple_case, therapist, {person: ("", 4), partner: ("", 4)})
    assert not RiskFlag.objects.exists()


def test_the_threshold_is_the_practices(therapist, couple_case, person, partner, settings):
    settings.SESSION_CHECKIN = checkins.Rules(safe_low=5)
    checkins_sent(couple_case, therapist, {person: ("", 5), partner: ("", 6)})
    assert list(RiskFlag.objects.values_list("client", flat=True)) == [person.pk]


def test_the_therapist_reads_each_partners_answers_on_the_session_audited(
    as_user, therapist, couple_case, person, partner
):
    (session,) = checkins_sent(couple_case, therapist, {person: ("Jo's own line", 5), partner: ("", 9)})
    body = as_user(therapist).get(reverse("note_page", kwargs={"code": session.code})).content
    panel = BeautifulSoup(body, "html.parser").find(id="session-checkins")
    text = panel.get_text(" ", strip=True)
    assert f"{person.display_name} · average 5.0" in text and f"{partner.display_name} · average 9.0" in text
    assert "Jo's own line" in text and "It felt safe to disagree here." in text
    assert AuditEvent.objects.filter(action=Action.SESSION_CHECKINS_VIEWED, target_id=str(session.code)).exists()
    other = make_user(role=Role.THERAPIST)
    assert as_user(other).get(reverse("note_page", kwargs={"code": session.code})).status_code == 404


def test_an_unanswered_check_in_says_so_on_the_session(as_user, therapist, couple_case, person, partner):
    session = attended_session(couple_case, by=therapist)
    body = as_user(therapist).get(reverse("note_page", kwargs={"code": session.code})).content
    text = BeautifulSoup(body, "html.parser").find(id="session-checkins").get_text(" ", strip=True)
    assert text.count("Not answered yet; open until") == 2
    assert not AuditEvent.objects.filter(action=Action.SESSION_CHECKINS_VIEWED).exists()


# Balance alerts on staff pages


def test_a_partner_rating_lower_in_two_of_three_sessions_shows_on_the_dashboard_and_case_page(
    as_user, therapist, couple_case, person, partner
):
    checkins_sent(couple_case, therapist, {person: ("", 5), partner: ("", 8)}, sessions=2)
    alert = BalanceAlert.objects.get()
    assert (alert.client, alert.reason, alert.is_open) == (person, "lower", True)
    assert alert.detail == {"own": [5.0, 5.0], "other": [8.0, 8.0]}
    c = as_user(therapist)
    dashboard = BeautifulSoup(c.get(reverse("dashboard")).content, "html.parser")
    item = dashboard.select_one(".balance-alerts").get_text(" ", strip=True)
    assert person.display_name in item and "Rates sessions lower than their partner" in item
    case_page = BeautifulSoup(c.get(reverse("case_detail", kwargs={"code": couple_case.code})).content, "html.parser")
    box = case_page.find(id="balance-alerts").get_text(" ", strip=True)
    assert f"{person.display_name} : rates sessions lower" in box
    assert case_page.find(id="checkins-h") is not None and case_page.find("figure", class_="chart") is not None


def test_resolving_an_alert_needs_a_note_and_is_audited(as_user, therapist, couple_case, person, partner):
    checkins_sent(couple_case, therapist, {person: ("", 5), partner: ("", 8)}, sessions=2)
    alert = BalanceAlert.objects.get()
    url = reverse("balance_alert_resolve", kwargs={"code": alert.code})
    c = as_user(therapist)
    c.post(url, {"note": ""})
    alert.refresh_from_db()
    assert alert.is_open
    c.post(url, {"note": "Slowed down; asked Jo first."})
    alert.refresh_from_db()
    assert (alert.resolved_by, alert.resolve_note) == (therapist, "Slowed down; asked Jo first.")
    assert AuditEvent.objects.filter(action=Action.BALANCE_ALERT_RESOLVED, target_id=str(alert.code)).exists()
    assert (
        "None open."
        in BeautifulSoup(c.get(reverse("dashboard")).content, "html.parser").select_one(".balance-alerts").get_text()
    )
    assert as_user(make_user(role=Role.THERAPIST)).post(url, {"note": "x"}).status_code == 404


def test_the_same_pattern_is_not_raised_again_from_the_same_session_after_it_is_resolved(
    therapist, couple_case, person, partner
):
    sessions = checkins_sent(couple_case, therapist, {person: ("", 5), partner: ("", 8)}, sessions=2)
    alert = BalanceAlert.objects.get()
    assert alert.session == sessions[-1]
    alert.resolved_at, alert.resolved_by = timezone.now(), therapist
    alert.save()
    checkins.evaluate_balance(case=couple_case, client=person)
    assert BalanceAlert.objects.count() == 1
    # A further session where the gap goes on: the pattern is raised again, from that session.
    checkins_sent(couple_case, therapist, {person: ("", 5), partner: ("", 8)})
    assert BalanceAlert.objects.filter(resolved_at__isnull=True).count() == 1


def test_the_internal_case_summary_carries_the_check_ins_and_the_alert(
    as_user, therapist, couple_case, person, partner
):
    import io

    from pypdf import PdfReader

    checkins_sent(couple_case, therapist, {person: ("", 5), partner: ("", 8)}, sessions=2)
    response = as_user(therapist).post(
        reverse("case_summary", kwargs={"case_code": couple_case.code}), {"purpose": "continuity"}
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "INTERNAL — NOT FOR RELEASE" in text and "Session check-ins" in text
    assert f"{person.display_name} {partner.display_name} " in text and "Conjoint (both partners) 5.0 8.0" in text
    assert f"Balance alert: {person.display_name} rates sessions lower than their partner" in text


def test_the_record_export_holds_the_clients_own_check_ins_and_never_the_partners(
    as_user, therapist, couple_case, person, partner
):
    from tests.releases.flow import export_url, json_of, release_through_review

    checkins_sent(couple_case, therapist, {person: ("OWN-LINE-4u4u", 5), partner: ("PARTNER-LINE-8e8e", 9)})
    released = release_through_review(
        as_user(therapist), export_url(couple_case, person), {"purpose": "client_request"}
    )
    (own,) = json_of(released)["session_checkins"]
    assert (own["comment"], own["mean"], own["answers"]["heard"]) == ("OWN-LINE-4u4u", 5.0, 5)
    assert all("PARTNER-LINE-8e8e" not in text for text in released.values())


def test_a_sharp_fall_raises_an_alert_in_an_individual_case_too(therapist):
    case = make_case(therapist=therapist, kind="individual")
    client = case.clients.get()
    client.user = make_user(role=Role.CLIENT)
    client.save(update_fields=["user"])
    for value in (9, 9, 8):
        checkins_sent(case, therapist, {client: ("", value)})
    assert not BalanceAlert.objects.exists()
    checkins_sent(case, therapist, {client: ("", 5)})  # 3.7 below the three before (8.7)
    alert = BalanceAlert.objects.get()
    assert (alert.client, alert.reason, alert.detail) == (client, "drop", {"latest": 5.0, "before": 8.7})


def test_two_windows_never_write_over_each_others_line(as_user, therapist, couple_case, person, client_user):
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=person)
    c = as_user(client_user)
    start = BeautifulSoup(c.get(page_url(checkin)).content, "html.parser").find("input", attrs={"name": "revision"})
    first_window = second_window = start["value"]
    # The second window saves twice (each answer carries the revision its next save starts from).
    saved = c.post(save_url(checkin), {"comment": "Words from the phone", "revision": second_window}).json()
    saved = c.post(save_url(checkin), {"comment": "Words from the phone, more", "revision": saved["revision"]})
    assert saved.status_code == 200
    # The first window, opened before, autosaves: refused, and the other window's words stay.
    stale = c.post(save_url(checkin), {"heard": "4", "comment": "Words from the laptop", "revision": first_window})
    assert stale.status_code == 409 and "another window" in stale.json()["message"]
    checkin.refresh_from_db()
    assert checkin.comment == "Words from the phone, more" and checkin.answers == {}
    # Sending from it shows both lines, keeps what it holds, and a second send keeps the words chosen.
    response = c.post(page_url(checkin), all_lines(checkin, 7, comment="Words from the laptop", revision=first_window))
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 409
    assert "Words from the phone, more" in page.find(id="other-line").get_text()
    assert page.find("textarea", id="comment").get_text() == "Words from the laptop"
    assert page.find("input", id="pace-7").has_attr("checked")
    again = form_fields(page)
    assert c.post(page_url(checkin), again).status_code == 302
    checkin.refresh_from_db()
    assert checkin.is_submitted and checkin.comment == "Words from the laptop" and checkin.mean == 7.0


def form_fields(page) -> dict:
    """What the browser would send from the check-in form as it stands."""
    form = page.find("form", id="intake-form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("type") in ("hidden", None)}
    data |= {i["name"]: i["value"] for i in form.find_all("input", type="radio") if i.has_attr("checked")}
    data["comment"] = form.find("textarea").get_text()
    return data
