"""A flag raised by a check-in ("made things worse") shows wherever staff see flags, said as what it is."""

import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import RiskFlag
from clinic.reports.documents import case_summary_pdf, client_summary_pdf
from clinic.reports.export import record_data
from clinic.reports.practice import build
from tests.plans.practice_helpers import assign_to, sent_checkin

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(couple_case, person, therapist):
    sent_checkin(assign_to(couple_case, person, by=therapist), tried="partly", worse=True)
    return RiskFlag.objects.get(exercise_checkin__isnull=False)


def pdf_text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_dashboard_lists_it_with_what_raised_it_and_a_link_to_the_client(
    as_user, therapist, couple_case, person, flag
):
    soup = BeautifulSoup(as_user(therapist).get(reverse("dashboard")).content, "html.parser")
    item = soup.select_one("section[aria-labelledby=flags-h] li")
    assert "Elevated" in item.get_text() and person.display_name in item.get_text()
    assert "raised by a check-in on an exercise" in " ".join(item.get_text().split())
    review = reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code})
    assert item.select_one("a")["href"] == review


def test_the_client_record_says_a_check_in_raised_it_and_why(as_user, therapist, couple_case, person, flag):
    url = reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code})
    card = BeautifulSoup(as_user(therapist).get(url).content, "html.parser").select_one(".flag")
    text = card.get_text(" ", strip=True)
    assert "by a check-in on an exercise" in text and "by a warning sign" not in text
    assert "The client said an exercise made things worse or did not feel safe to do." in text
    assert "exercise_checkin:" not in text


def test_it_can_be_acknowledged_and_resolved(as_user, therapist, flag):
    http = as_user(therapist)
    http.post(reverse("flag_acknowledge", kwargs={"code": flag.code}), {"note": "Called; stopped the exercise."})
    http.post(reverse("flag_resolve", kwargs={"code": flag.code}), {"note": "Talked it through in session."})
    flag.refresh_from_db()
    assert flag.status == RiskFlag.Status.RESOLVED


def test_the_case_page_and_reports_cope_with_it(as_user, therapist, admin_user, couple_case, person, flag):
    page = as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code}))
    assert page.status_code == 200 and "checkin-worse" in page.content.decode()
    case_text = pdf_text(case_summary_pdf(case=couple_case, options={"purpose": "supervision"}, by=therapist)[0])
    assert "Elevated" in case_text and person.display_name in case_text
    options = {"from": "", "to": "", "notes": "none", "purpose": "continuity of care"}
    summary = pdf_text(client_summary_pdf(case=couple_case, client=person, options=options, by=therapist)[0])
    assert "Elevated flag raised" in summary
    data = record_data(case=couple_case, client=person, by=admin_user, purpose="client request", release=None)
    assert [f["severity"] for f in data["risk_flags"]] == ["elevated"]
    assert as_user(admin_user).get(reverse("practice_home")).status_code == 200
    report = build(start=timezone.localdate(flag.raised_at), end=timezone.localdate(flag.raised_at))
    assert report is not None
