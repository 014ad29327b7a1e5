"""The demo couple's plan as a PDF: every practice, both partners' goals, the safety section, the review."""

import io

from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from clinic.accounts.models import User
from clinic.clients.models import Case
from tests.conftest import sign_in


def test_the_demo_plan_prints_whole(client, db, first_page_png):
    call_command("seed_demo")
    case = Case.objects.get(clients__user__username="client1")
    http = sign_in(client, User.objects.get(username="therapist1"))
    response = http.post(reverse("plan_pdf", kwargs={"case_code": case.code}), {"purpose": "continuity", "version": 2})
    assert response["Content-Type"] == "application/pdf"
    first_page_png("treatment-plan-demo", response.content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    for words in (
        "Naming power",
        "Tolerating disagreement",
        "Restoring agency",
        "Repair",
        "Individual goals of Jo",
        "Individual goals of Sam",
        "Safety first",
        "Review: version 2",
        "Much progress",
        "acknowledged by Jo",
        "money below 50",
    ):
        assert words in text, words
