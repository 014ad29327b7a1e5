"""Dates read by people follow the practice's country: a US practice writes Dec 2, 2026 and 2:30 PM
(Los Angeles time), a UK one 2 Dec 2026 and 14:30 (London time), on pages, in emails and in PDFs."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from clinic.clients.models import Case
from clinic.lib.dates import show
from clinic.reports.documents import client_summary_pdf
from intake.invitations import send_invitation
from intake.models import Inquiry
from tests.country import use_country

# 22:30 UTC on 2 December is 2:30 PM in Los Angeles and 22:30 in London.
RECEIVED = datetime(2026, 12, 2, 22, 30, tzinfo=UTC)
EXPECTED = {
    "US": {"day": "Dec 2, 2026", "moment": "Dec 2, 2026, 2:30 PM", "long": "December 2, 2026"},
    "GB": {"day": "2 Dec 2026", "moment": "2 Dec 2026, 22:30", "long": "2 December 2026"},
}


@pytest.fixture(params=["US", "GB"])
def practice_country(request, settings):
    use_country(settings, request.param)
    return request.param


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def test_a_staff_page_writes_dates_and_times_the_country_s_way(as_user, admin_user, couple_case, practice_country):
    Case.objects.filter(pk=couple_case.pk).update(opened_on=date(2026, 12, 2))
    inquiry = Inquiry.objects.create(
        name="Ash", contact_method="email", contact_value="ash@example.org", message="Hello", consent_to_contact=True
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(received_at=RECEIVED)
    c = as_user(admin_user)
    case_page = text_of(c.get(reverse("case_detail", kwargs={"code": couple_case.code})))
    assert f"opened {EXPECTED[practice_country]['day']}" in case_page
    inquiry_page = text_of(c.get(reverse("inquiry_detail", kwargs={"code": inquiry.code})))
    assert f"Received {EXPECTED[practice_country]['moment']}" in inquiry_page


def test_python_text_uses_the_same_formats(practice_country):
    assert show(date(2026, 12, 2)) == EXPECTED[practice_country]["day"]
    assert show(RECEIVED, "DATETIME_FORMAT") == EXPECTED[practice_country]["moment"]
    assert show(date(2026, 12, 2), "DATE_FORMAT") == EXPECTED[practice_country]["long"]


def test_the_invitation_email_gives_its_end_date_the_country_s_way(
    therapist, couple_case, person, practice_country, django_capture_on_commit_callbacks, monkeypatch
):
    from intake import invitations

    person.email, person.may_email = "jo@example.org", True
    person.save(update_fields=["email", "may_email"])
    monkeypatch.setattr(invitations.timezone, "now", lambda: datetime(2026, 11, 25, 22, 30, tzinfo=UTC))
    request = RequestFactory().post("/")
    request.user = therapist
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(client=person, by=therapist, request=request)
    (message,) = mail.outbox
    # Seven days later, written as the country writes a date.
    assert f"until {EXPECTED[practice_country]['long']}." in message.body


def test_a_pdf_writes_dates_the_country_s_way(therapist, couple_case, person, practice_country):
    options = {"from": "2026-01-05", "to": "2026-12-02", "notes": "full", "purpose": "continuity of care"}
    pdf, filename = client_summary_pdf(case=couple_case, client=person, options=options, by=therapist)
    text = " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    if practice_country == "US":
        assert "Jan 5, 2026 to Dec 2, 2026" in text
        assert re.search(r"on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} (AM|PM)", text)
    else:
        assert "5 Jan 2026 to 2 Dec 2026" in text
        assert re.search(r"on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", text)
    # The file name keeps its sortable stamp, the same in every country.
    assert re.fullmatch(r"summary-\d{8}-\d{4}\.pdf", filename)
