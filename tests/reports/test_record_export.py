"""A client's record export for a records request: their own material only, as JSON and PDF, recorded as a disclosure."""

import io
import json
import zipfile

from django.urls import reverse
from pypdf import PdfReader

from clinic.audit.models import Action, AuditEvent
from tests.releases.flow import authorize, confirm, download, prepare, release_through_review

OWN = ("OWN-SIGN-1a2b", "CONJOINT-NOTE-5c5c")
NEVER = ("PARTNER-SIGN-9z9z", "PARTNER-INDIVIDUAL-7x7x", "DRAFT-NOTE-3d3d", "PRIVATE-PROCESS-8q8q")


def export_url(case, client):
    return reverse("client_export", kwargs={"case_code": case.code, "client_code": client.code})


def test_the_export_holds_the_clients_own_record_as_json_and_pdf(
    as_user, therapist, couple_case, person, partner, record
):
    http = as_user(therapist)
    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    release = prepare(http, export_url(couple_case, person), {"purpose": "client_request"})
    confirm(http, release)
    response = download(http, release)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="record-')
    assert person.full_name not in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["record.json", "summary.pdf"]
    raw = archive.read("record.json").decode()
    data = json.loads(raw)
    assert (data["schema"], data["schema_version"]) == ("fulcrum.client-record", 3)
    assert data["client"]["reference"] == str(person.code)
    assert [w["description"] for w in data["warning_signs"]] == ["OWN-SIGN-1a2b"]
    assert [s["note"]["content"]["assessment"] for s in data["sessions"]] == ["CONJOINT-NOTE-5c5c"]
    assert all(s["note"]["content_hash"] for s in data["sessions"])
    assert data["risk_flags"] == []  # the partner's urgent flag is theirs alone
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("summary.pdf"))).pages)
    for marker in OWN:
        assert marker in raw and marker in pdf
    for marker in NEVER:
        assert marker not in raw and marker not in pdf


def test_every_export_is_a_recorded_disclosure_with_its_purpose(as_user, therapist, couple_case, person, record):
    http = as_user(therapist)
    missing = http.post(export_url(couple_case, person), {})
    assert missing.status_code == 200 and "error-summary" in missing.content.decode()
    assert not AuditEvent.objects.filter(action=Action.RELEASE_PREPARED).exists()
    release_through_review(http, export_url(couple_case, person), {"purpose": "client_request"})
    event = AuditEvent.objects.get(action=Action.RELEASE_DOWNLOADED)
    assert (event.actor, event.client, event.detail["document"]) == (therapist, person, "export")
    page = http.get(reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}))
    assert "record export (JSON and PDF)" in page.content.decode()


def test_only_the_treating_therapist_and_admins_export(as_user, colleague, admin_user, outsider, couple_case, person):
    assert as_user(colleague).post(export_url(couple_case, person), {"purpose": "client_request"}).status_code == 404
    assert as_user(outsider).get(export_url(couple_case, person)).status_code == 404
    assert as_user(admin_user).get(export_url(couple_case, person)).status_code == 200
    assert not AuditEvent.objects.filter(action=Action.RELEASE_PREPARED).exists()
