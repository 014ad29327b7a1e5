from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from assessments.models import RiskFlag, SafetyInfo, WarningSign
from clinic.audit.models import Action, AuditEvent
from clinic.lib.dates import add_business_days


def new_sign_url(case, person):
    return reverse("warning_sign_new", kwargs={"case_code": case.code, "client_code": person.code})


SIGN = {
    "type": "fear",
    "observed_on": "2026-11-02",
    "severity": "moderate",
    "source": "observed",
    "description": "Looked to partner before answering; flinched when partner raised voice.",
    "action_taken": "individual_sessions",
}


def test_a_therapist_records_a_warning_sign(as_user, therapist, couple_case, person):
    c = as_user(therapist)
    response = c.post(new_sign_url(couple_case, person), SIGN)
    assert response.status_code == 302
    sign = WarningSign.objects.get()
    assert (sign.client, sign.type, sign.recorded_by, str(sign.observed_on)) == (
        person,
        "fear",
        therapist,
        "2026-11-02",
    )
    assert not RiskFlag.objects.exists()
    event = AuditEvent.objects.get(action=Action.WARNING_SIGN_RECORDED)
    assert event.detail == {"type": "fear", "severity": "moderate"}
    assert "flinched" not in str(event.detail)
    page = c.get(reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}))
    assert "flinched when partner raised voice" in page.content.decode()
    case_page = c.get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Warning signs in this case" in case_page and "Fear or safety concerns" in case_page


def test_an_admin_sees_no_warning_signs_on_the_case_page(as_user, therapist, admin_user, couple_case, person):
    as_user(therapist).post(new_sign_url(couple_case, person), SIGN)
    body = as_user(admin_user).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Warning signs in this case" not in body and "Fear or safety concerns" not in body


def test_a_severe_sign_raises_an_urgent_flag_and_pauses_conjoint_sessions(as_user, therapist, couple_case, person):
    c = as_user(therapist)
    c.post(new_sign_url(couple_case, person), {**SIGN, "type": "strangulation", "severity": "severe"})
    flag = RiskFlag.objects.get()
    assert (flag.severity, flag.status, flag.reasons) == ("urgent", "open", ["warning_sign:strangulation"])
    case_page = c.get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Conjoint sessions not advised until reviewed" in case_page
    dashboard = c.get(reverse("dashboard")).content.decode()
    assert "Urgent" in dashboard and person.display_name in dashboard


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"description": ""}, "Describe what was observed"),
        ({"observed_on": "2999-01-01"}, "cannot be in the future"),
        ({"observed_on": "yesterday"}, "Enter the date as year-month-day"),
        ({"type": "invented"}, "Select a valid choice"),
    ],
)
def test_warning_sign_errors_are_explained(as_user, therapist, couple_case, person, change, message):
    response = as_user(therapist).post(new_sign_url(couple_case, person), {**SIGN, **change})
    assert message in response.content.decode()
    assert not WarningSign.objects.exists()


def test_the_flag_lifecycle_is_audited_and_needs_notes(as_user, therapist, couple_case, person):
    c = as_user(therapist)
    c.post(new_sign_url(couple_case, person), {**SIGN, "severity": "severe"})
    flag = RiskFlag.objects.get()
    empty = c.post(reverse("flag_acknowledge", kwargs={"code": flag.code}), {"note": ""}, follow=True)
    assert "Add a short note" in empty.content.decode()
    flag.refresh_from_db()
    assert flag.status == "open"
    c.post(reverse("flag_acknowledge", kwargs={"code": flag.code}), {"note": "Spoke with client alone."})
    c.post(reverse("flag_resolve", kwargs={"code": flag.code}), {"note": "Safety plan in place."})
    flag.refresh_from_db()
    assert (flag.status, flag.acknowledge_note, flag.resolve_note) == (
        "resolved",
        "Spoke with client alone.",
        "Safety plan in place.",
    )
    actions = list(AuditEvent.objects.filter(target_id=str(flag.code)).values_list("action", flat=True))
    assert sorted(actions) == sorted([Action.FLAG_RAISED, Action.FLAG_ACKNOWLEDGED, Action.FLAG_RESOLVED])
    assert (
        "Conjoint sessions not advised"
        not in c.get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    )


@pytest.mark.parametrize("who", ["colleague", "admin_user", "client_user", "partner_user"])
def test_nobody_else_sees_or_changes_flags_and_signs(request, as_user, therapist, couple_case, person, who):
    as_user(therapist).post(new_sign_url(couple_case, person), {**SIGN, "severity": "severe"})
    flag = RiskFlag.objects.get()
    c = as_user(request.getfixturevalue(who))
    record_url = reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code})
    if who == "admin_user":
        # An admin opens the record's page, which holds none of its flags or signs.
        page = c.get(record_url).content.decode()
        assert SIGN["description"] not in page and reverse("flag_acknowledge", kwargs={"code": flag.code}) not in page
    else:
        assert c.get(record_url).status_code == 404
    assert c.get(new_sign_url(couple_case, person)).status_code == 404
    assert c.post(new_sign_url(couple_case, person), SIGN).status_code == 404
    assert c.post(reverse("flag_acknowledge", kwargs={"code": flag.code}), {"note": "x"}).status_code == 404
    flag.refresh_from_db()
    assert flag.status == "open"
    assert WarningSign.objects.count() == 1


def test_the_partner_learns_nothing_of_a_flag(as_user, therapist, couple_case, person, partner_user):
    as_user(therapist).post(new_sign_url(couple_case, person), {**SIGN, "severity": "severe"})
    c = as_user(partner_user)
    for url in (reverse("client_home"), reverse("safety_page"), reverse("account")):
        body = c.get(url).content.decode().lower()
        assert "flag" not in body and "warning" not in body and "conjoint" not in body


def test_admins_see_only_a_count_of_overdue_flags(as_user, therapist, admin_user, couple_case, person):
    # Raised on a Friday afternoon: due by Monday afternoon (one working day).
    friday = datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(friday, tick=False) as clock:
        as_user(therapist).post(new_sign_url(couple_case, person), {**SIGN, "severity": "severe"})
        clock.shift(timedelta(days=2))  # Sunday
        sunday = as_user(admin_user).get(reverse("practice_home"))
        assert sunday.status_code == 200
        assert "not acknowledged in time" not in sunday.content.decode()
        clock.shift(timedelta(days=1, hours=1))  # Monday 16:00: late, but the figures are the day's start
        monday = as_user(admin_user).get(reverse("practice_home")).content.decode()
        assert "not acknowledged in time" not in monday
        clock.shift(timedelta(days=1))  # Tuesday
        body = as_user(admin_user).get(reverse("practice_home")).content.decode()
    assert "<strong>1</strong> risk flag not acknowledged in time (at the start of today)" in body
    assert person.full_name not in body


def test_business_days_skip_weekends():
    tz = ZoneInfo("Europe/London")
    assert add_business_days(datetime(2026, 11, 20, 15, 0, tzinfo=tz), 1) == datetime(2026, 11, 23, 15, 0, tzinfo=tz)
    assert add_business_days(datetime(2026, 11, 21, 9, 0, tzinfo=tz), 1) == datetime(2026, 11, 24, 9, 0, tzinfo=tz)
    assert add_business_days(datetime(2026, 11, 18, 9, 0, tzinfo=tz), 2) == datetime(2026, 11, 20, 9, 0, tzinfo=tz)


def test_the_safety_page_is_public_calm_and_editable_by_admins(client, as_user, admin_user, therapist):
    page = client.get(reverse("safety_page"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Help and support" in body and "<title>Fulcrum</title>" in body
    assert 'href="tel:911"' in body
    admin = as_user(admin_user)
    bad = admin.post(reverse("safety_edit"), {"intro": "Hello", "hotlines": "Just a name"})
    assert "Line 1 needs at least a name and a phone number" in bad.content.decode()
    admin.post(
        reverse("safety_edit"),
        {"intro": "You are not alone.", "hotlines": "Local line | 0800 000 111 | 9 to 5 | Free"},
    )
    info = SafetyInfo.current()
    assert info.hotlines == [{"name": "Local line", "phone": "0800 000 111", "hours": "9 to 5", "note": "Free"}]
    assert "0800 000 111" in client.get(reverse("safety_page")).content.decode()
    assert as_user(therapist).get(reverse("safety_edit")).status_code == 404
    assert AuditEvent.objects.filter(action=Action.SAFETY_INFO_CHANGED).count() == 1


def test_every_client_page_links_to_help(as_user, client_user, couple_case):
    body = as_user(client_user).get(reverse("client_home")).content.decode()
    assert f'href="{reverse("safety_page")}"' in body


def test_dashboard_query_count_does_not_grow_with_flags(
    as_user, therapist, couple_case, person, django_assert_max_num_queries
):
    c = as_user(therapist)
    c.post(new_sign_url(couple_case, person), {**SIGN, "severity": "severe"})
    # 20 before the calendar; today's appointments (none here) add one.
    with django_assert_max_num_queries(21) as few:
        c.get(reverse("dashboard"))
    # Read now: the next request resets the connection's query log.
    baseline = len(few.captured_queries)
    for _ in range(8):
        c.post(new_sign_url(couple_case, person), {**SIGN, "severity": "severe"})
    with django_assert_max_num_queries(baseline):
        response = c.get(reverse("dashboard"))
    assert response.content.decode().count("Review</a>") == 9
