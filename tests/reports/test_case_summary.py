import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from clinic.accounts.models import User
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case
from tests.conftest import sign_in


def test_the_internal_case_summary_compares_partners_and_is_a_recorded_disclosure(client, db, first_page_png):
    call_command("seed_demo")
    case = Case.objects.get(clients__user__username="client1")
    c = sign_in(client, User.objects.get(username="therapist1"))
    url = reverse("case_summary", kwargs={"case_code": case.code})
    assert "every PDF is a disclosure" in c.post(url, {}).content.decode()
    response = c.post(url, {"purpose": "supervision"})
    assert response["Content-Type"] == "application/pdf"
    assert first_page_png("case-summary", response.content).stat().st_size > 1000
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "INTERNAL — NOT FOR RELEASE" in text.upper()
    assert "perception gap" in text and "Practices across sessions" in text and "Urgent" in text
    assert AuditEvent.objects.filter(action=Action.PDF_GENERATED, detail__report="case_summary").count() == 2


@pytest.mark.parametrize("who", ["colleague", "client_user"])
def test_outsiders_cannot_make_a_case_summary(request, as_user, couple_case, who):
    response = as_user(request.getfixturevalue(who)).post(
        reverse("case_summary", kwargs={"case_code": couple_case.code}), {"purpose": "supervision"}
    )
    assert response.status_code == 404
