import re

import pytest
from django.urls import reverse

from assessments.models import RiskFlag
from clinic.audit.models import Action, AuditEvent
from tests.assessments.test_small_fixes_of_a_day import submitted_safety
from tests.audit.test_audit_log_in_words import flag_on


def record_url(case, client) -> str:
    return reverse("client_record", kwargs={"case_code": case.code, "client_code": client.code})


def test_an_admin_opens_a_clients_record_page_without_its_clinical_content(
    as_user, admin_user, therapist, couple_case, person
):
    submitted_safety(person)
    flag_on(person, therapist)
    response = as_user(admin_user).get(record_url(couple_case, person))
    body = response.content.decode()
    assert response.status_code == 200
    assert person.full_name in body
    assert (
        "Disclosures of this record" in body
        and reverse("client_summary", kwargs={"case_code": couple_case.code, "client_code": person.code}) in body
    )
    # No questionnaire results, flags or warning signs: admins read those only in a PDF made for a purpose.
    assert "Risk flags" not in body and "Warning signs" not in body and "Mentioned a gun" not in body
    assert "No concerns reported" not in body and "Acknowledge" not in body
    assert RiskFlag.objects.get(client=person).status == "open"
    event = AuditEvent.objects.get(action=Action.CLIENT_RECORD_VIEWED)
    assert event.actor == admin_user and event.client == person
    assert not AuditEvent.objects.filter(action=Action.WARNING_SIGNS_VIEWED).exists()


def test_the_case_page_links_an_admin_to_each_clients_record(as_user, admin_user, couple_case, person, partner):
    body = as_user(admin_user).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert record_url(couple_case, person) in body and record_url(couple_case, partner) in body


def test_the_therapist_still_reads_the_whole_record(as_user, therapist, couple_case, person):
    flag_on(person, therapist)
    body = as_user(therapist).get(record_url(couple_case, person)).content.decode()
    assert "Risk flags" in body and "Mentioned a gun" in body
    assert AuditEvent.objects.filter(action=Action.WARNING_SIGNS_VIEWED, client=person).count() == 1


def test_other_therapists_and_clients_still_get_404(as_user, colleague, client_user, couple_case, person):
    assert as_user(colleague).get(record_url(couple_case, person)).status_code == 404
    assert as_user(client_user).get(record_url(couple_case, person)).status_code == 404


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize(
    ("who", "page", "title"),
    [
        ("therapist", "dashboard", "Dashboard"),
        ("therapist", "case", "Case"),
        ("therapist", "record", "Client record"),
        ("therapist", "comparison", "Couple comparison"),
        ("admin_user", "audit", "Audit log"),
        ("admin_user", "record", "Client record"),
        ("admin_user", "practice", "Practice"),
    ],
)
def test_staff_page_titles_say_which_page_and_never_whose(
    request, as_user, couple_case, person, partner, settings, who, page, title
):
    urls = {
        "dashboard": reverse("dashboard"),
        "case": reverse("case_detail", kwargs={"code": couple_case.code}),
        "record": record_url(couple_case, person),
        "comparison": reverse("comparison", kwargs={"case_code": couple_case.code}),
        "audit": reverse("audit_log"),
        "practice": reverse("practice_home"),
    }
    response = as_user(request.getfixturevalue(who)).get(urls[page])
    assert response.status_code == 200
    shown = title_of(response)
    assert shown == f"{title} · {settings.SITE_TITLE}"
    for name in (person.full_name, partner.full_name, person.display_name):
        assert name not in shown


def test_client_pages_keep_the_neutral_title(as_user, client_user, person, settings):
    assert title_of(as_user(client_user).get(reverse("client_home"))) == settings.SITE_TITLE
