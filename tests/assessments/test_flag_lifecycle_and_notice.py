"""An urgent flag protects the person at risk until it is resolved, and reaches the treating therapist at once.

The "conjoint sessions not advised" banner stays through acknowledgement and
goes only when the flag is resolved. The therapist gets one neutral email per
flag (nothing in it names the client, the case or what happened), through
the task queue; nobody else gets it.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import RiskFlag
from assessments.tasks import FLAG_NOTICE_SUBJECT, notify_urgent_flag
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Client

SEVERE = {
    "type": "strangulation",
    "observed_on": "2026-11-02",
    "severity": "severe",
    "source": "client_report",
    "description": "Described being choked during an argument last week.",
    "action_taken": "safety_plan",
}
BANNER = "Conjoint sessions not advised until reviewed"
# Words that would tell a reader over the therapist's shoulder what this is about.
TELLING_WORDS = re.compile(
    r"flag|risk|urgent|safety|danger|warning|abuse|harm|fear|violence|choke|strangl|screen|client|case|partner",
    re.IGNORECASE,
)


def raise_severe_sign(c, case, person, django_capture_on_commit_callbacks):
    url = reverse("warning_sign_new", kwargs={"case_code": case.code, "client_code": person.code})
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(url, SEVERE).status_code == 302
    return RiskFlag.objects.get(client=person)


def case_page(c, case) -> str:
    return c.get(reverse("case_detail", kwargs={"code": case.code})).content.decode()


def test_the_banner_stays_through_acknowledgement_and_goes_when_the_flag_is_resolved(
    as_user, therapist, couple_case, person, django_capture_on_commit_callbacks
):
    c = as_user(therapist)
    assert BANNER not in case_page(c, couple_case)
    flag = raise_severe_sign(c, couple_case, person, django_capture_on_commit_callbacks)
    assert BANNER in case_page(c, couple_case)
    c.post(reverse("flag_acknowledge", kwargs={"code": flag.code}), {"note": "Spoke with them alone."})
    flag.refresh_from_db()
    assert flag.status == "acknowledged"
    assert BANNER in case_page(c, couple_case)
    c.post(reverse("flag_resolve", kwargs={"code": flag.code}), {"note": "Safety plan in place; reviewed."})
    flag.refresh_from_db()
    assert flag.status == "resolved"
    assert BANNER not in case_page(c, couple_case)


def test_an_elevated_flag_does_not_pause_conjoint_sessions(as_user, therapist, couple_case, person):
    from assessments.flags import raise_flag
    from assessments.models import WarningSign

    sign = WarningSign.objects.create(client=person, recorded_by=therapist, **{**SEVERE, "severity": "moderate"})
    raise_flag(client=person, severity="elevated", reasons=["x"], warning_sign=sign)
    assert BANNER not in case_page(as_user(therapist), couple_case)


def test_an_urgent_flag_sends_one_neutral_email_to_the_treating_therapist_only(
    as_user, therapist, supervisor, colleague, admin_user, couple_case, person, partner,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    Client.objects.filter(pk__in=[person.pk, partner.pk]).update(email="home@example.org", may_email=True)
    flag = raise_severe_sign(as_user(therapist), couple_case, person, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [therapist.email]
    assert message.subject == FLAG_NOTICE_SUBJECT == "Something in Fulcrum needs your attention"
    text = message.subject + "\n" + message.body
    for name in (person.full_name, person.display_name, partner.full_name, couple_case.label, "Person"):
        assert name not in text
    assert str(couple_case.code) not in text and str(person.code) not in text and str(flag.code) not in text
    assert not TELLING_WORDS.search(text), TELLING_WORDS.search(text)
    links = re.findall(r"https?://\S+", message.body)
    assert links == ["http://testserver" + reverse("dashboard")]
    flag.refresh_from_db()
    assert flag.notified_at is not None
    event = AuditEvent.objects.get(action=Action.FLAG_NOTIFIED)
    assert (event.target_id, event.detail) == (str(flag.code), {"to": str(therapist.code)})
    everyone_else = {supervisor.email, colleague.email, admin_user.email, "home@example.org"}
    assert not everyone_else & {address for m in mail.outbox for address in m.to + m.cc + m.bcc}


def test_the_notice_is_sent_once_however_often_the_task_runs(
    as_user, therapist, couple_case, person, django_capture_on_commit_callbacks
):
    flag = raise_severe_sign(as_user(therapist), couple_case, person, django_capture_on_commit_callbacks)
    notify_urgent_flag.call(flag.pk, "http://testserver/dashboard/")  # a retry, or a second delivery
    notify_urgent_flag.enqueue(flag.pk, "")
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action=Action.FLAG_NOTIFIED).count() == 1


def test_a_second_urgent_flag_is_a_second_notice(
    as_user, therapist, couple_case, person, partner, django_capture_on_commit_callbacks
):
    c = as_user(therapist)
    raise_severe_sign(c, couple_case, person, django_capture_on_commit_callbacks)
    url = reverse("warning_sign_new", kwargs={"case_code": couple_case.code, "client_code": partner.code})
    with django_capture_on_commit_callbacks(execute=True):
        c.post(url, SEVERE)
    assert [m.to for m in mail.outbox] == [[therapist.email], [therapist.email]]


def test_an_urgent_screening_result_sends_the_notice_too(
    as_user, client_user, therapist, person, django_capture_on_commit_callbacks
):
    from assessments.screenings import assign, instrument_of
    from tests.assessments.test_screening_flow import answers

    screening = assign(client=person, key="safety")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(client_user).post(
            reverse("questions", kwargs={"code": screening.code}), answers(instrument_of(screening), dg_strangling=1)
        )
    assert response.status_code == 302
    assert RiskFlag.objects.get(client=person).severity == "urgent"
    assert [m.to for m in mail.outbox] == [[therapist.email]]


def test_a_flag_that_is_not_urgent_sends_nothing(therapist, couple_case, person, django_capture_on_commit_callbacks):
    from assessments.flags import raise_flag
    from assessments.models import WarningSign

    sign = WarningSign.objects.create(client=person, recorded_by=therapist, **{**SEVERE, "severity": "moderate"})
    with django_capture_on_commit_callbacks(execute=True):
        raise_flag(client=person, severity="elevated", reasons=["x"], warning_sign=sign)
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["therapist", "admin_user"])
def test_what_a_treating_therapist_and_an_admin_see_of_a_flagged_case(
    request, as_user, therapist, couple_case, person, django_capture_on_commit_callbacks, who
):
    raise_severe_sign(as_user(therapist), couple_case, person, django_capture_on_commit_callbacks)
    body = case_page(as_user(request.getfixturevalue(who)), couple_case)
    assert BANNER in body
    if who == "therapist":
        assert "urgent risk flag" in body and "Flags and warning signs" in body
    else:
        # Scheduling needs to know joint sessions wait; nothing says whose flag, why, or what was noted.
        assert "Book individual appointments only" in body
        for hidden in ("risk flag", "urgent", "Flags and warning signs", "Choking", "choked", "Warning signs"):
            assert hidden not in body, hidden


def test_an_admin_sees_flags_as_counts_on_the_practice_page(
    as_user, therapist, admin_user, couple_case, person, partner, django_capture_on_commit_callbacks
):
    c = as_user(therapist)
    first = raise_severe_sign(c, couple_case, person, django_capture_on_commit_callbacks)
    c.post(reverse("flag_acknowledge", kwargs={"code": first.code}), {"note": "Seen."})
    url = reverse("warning_sign_new", kwargs={"case_code": couple_case.code, "client_code": partner.code})
    with django_capture_on_commit_callbacks(execute=True):
        c.post(url, SEVERE)

    def figures() -> str:
        body = as_user(admin_user).get(reverse("practice_home")).content.decode()
        assert person.display_name not in body and partner.display_name not in body
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))
        return text[text.index("Risk flags") : text.index(". Only")]

    # Today's flags and their handling show from tomorrow: a figure that moved at once would date them.
    assert figures() == "Risk flags at the start of today: 0 not acknowledged, 0 not resolved"
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert figures() == "Risk flags at the start of today: 1 not acknowledged, 2 not resolved"


def test_nobody_but_therapists_of_the_case_gets_the_notice_for_a_client_of_two_cases(
    as_user, therapist, colleague, couple_case, person, django_capture_on_commit_callbacks
):
    from clinic.clients.models import Membership
    from tests.factories import make_case

    other = make_case(therapist=colleague, kind="individual")
    Membership.objects.create(case=other, client=person)
    raise_severe_sign(as_user(therapist), couple_case, person, django_capture_on_commit_callbacks)
    assert sorted(mail.outbox[0].to + [a for m in mail.outbox[1:] for a in m.to]) == sorted(
        [therapist.email, colleague.email]
    )
