"""Reliable change in the client summary (the client's own only) and the case summary (both, and the gap)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.assessments.test_reliable_change_pages import DIGITAL_HIGH, MONEY_HIGH, power


@pytest.fixture
def history(person, partner):
    """`person` gets better on money; `partner` gets worse on digital control (the marker of their change)."""
    power(person, 90, **MONEY_HIGH)
    power(person, 2)
    power(partner, 88)
    power(partner, 1, **DIGITAL_HIGH)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_client_summary_holds_only_the_clients_own_change(
    as_user, therapist, couple_case, person, history, first_page_png
):
    url = reverse("client_summary", kwargs={"case_code": couple_case.code, "client_code": person.code})
    response = as_user(therapist).post(url, {"purpose": "continuity", "notes": "summaries"})
    first_page_png("client-summary-change", response.content)
    text = pdf_text(response.content)
    assert "Reliably better on Money and resources" in text
    assert "Reliably worse on Digital control" not in text and "Digital control (RCI" not in text


def test_the_case_summary_holds_both_partners_change_and_the_gap(
    as_user, therapist, couple_case, history, first_page_png
):
    url = reverse("case_summary", kwargs={"case_code": couple_case.code})
    response = as_user(therapist).post(url, {"purpose": "continuity"})
    first_page_png("case-summary-change", response.content)
    text = pdf_text(response.content)
    assert "Reliably better on Money and resources" in text and "Reliably worse on Digital control" in text
    assert "Perception gap over time" in text and "converging" in text
