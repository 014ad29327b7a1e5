import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clinic.audit.models import Action, AuditEvent
from tests.releases.flow import confirm, download, prepare, release_through_review


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def summary_url(case, person):
    return reverse("client_summary", kwargs={"case_code": case.code, "client_code": person.code})


def test_the_summary_holds_only_the_clients_own_material(
    as_user, therapist, couple_case, person, record, first_page_png
):
    c = as_user(therapist)
    queued = c.post(summary_url(couple_case, person), {"purpose": "continuity", "notes": "full"}, follow=True)
    assert "Download the PDF" in queued.content.decode()
    job_code = queued.redirect_chain[-1][0].split("/")[2]
    response = c.get(reverse("report_download", kwargs={"code": job_code}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="summary-')
    assert person.full_name not in response["Content-Disposition"]
    assert first_page_png("client-summary", response.content).stat().st_size > 1000
    text = pdf_text(response)
    assert "OWN-SIGN-1a2b" in text and "CONJOINT-NOTE-5c5c" in text
    assert "Confidential" in text and "Page 1 of" in text
    for marker in ("PARTNER-SIGN-9z9z", "PARTNER-INDIVIDUAL-7x7x", "DRAFT-NOTE-3d3d", "PRIVATE-PROCESS-8q8q"):
        assert marker not in text
    assert "Urgent flag" not in text  # the partner's urgent flag


def test_every_summary_is_a_recorded_disclosure_with_its_purpose(as_user, therapist, couple_case, person, record):
    c = as_user(therapist)
    missing = c.post(summary_url(couple_case, person), {"notes": "full"})
    assert "every PDF is a disclosure" in missing.content.decode()
    other = c.post(summary_url(couple_case, person), {"purpose": "other", "notes": "full"})
    assert "Say what the purpose is" in other.content.decode()
    nobody = c.post(summary_url(couple_case, person), {"purpose": "legal", "notes": "full"})
    assert "Say who receives it" in nobody.content.decode()
    assert not AuditEvent.objects.filter(action__in=[Action.PDF_GENERATED, Action.RELEASE_PREPARED]).exists()
    c.post(summary_url(couple_case, person), {"purpose": "continuity", "notes": "summaries"})
    event = AuditEvent.objects.get(action=Action.PDF_GENERATED)
    assert (event.client, event.detail["purpose"], event.detail["notes"]) == (person, "Continuity of care", "summaries")
    # Outside the treating team: prepared, reviewed, then downloaded; the download is the disclosure.
    release_through_review(
        c,
        summary_url(couple_case, person),
        {"purpose": "other", "purpose_other": "Court request ref 12", "notes": "summaries", "recipient_name": "Court"},
    )
    prepared = AuditEvent.objects.get(action=Action.RELEASE_PREPARED)
    downloaded = AuditEvent.objects.get(action=Action.RELEASE_DOWNLOADED)
    assert (downloaded.client, downloaded.detail["purpose"], downloaded.detail["recipient"]) == (
        person,
        "Court request ref 12",
        "Court",
    )
    assert prepared.detail["release"] == downloaded.detail["release"]
    page = c.get(reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}))
    assert "Court request ref 12" in page.content.decode()


def test_summaries_only_leave_out_full_note_text(as_user, therapist, couple_case, person, record):
    response = as_user(therapist).post(
        summary_url(couple_case, person), {"purpose": "supervision", "notes": "summaries"}
    )
    text = pdf_text(response)
    assert "CONJOINT-NOTE-5c5c" in text  # the assessment is part of a summary


@pytest.mark.parametrize("who", ["colleague", "client_user", "partner_user"])
def test_only_the_treating_therapist_and_admins_make_summaries(request, as_user, couple_case, person, who):
    c = as_user(request.getfixturevalue(who))
    assert c.post(summary_url(couple_case, person), {"purpose": "continuity", "notes": "full"}).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.PDF_GENERATED).exists()


def test_an_admin_prepares_one_and_it_waits_for_the_therapists_review(
    as_user, admin_user, therapist, couple_case, person, record
):
    admin = as_user(admin_user)
    release = prepare(admin, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    waiting = admin.get(reverse("release_detail", kwargs={"code": release.code})).content.decode()
    assert "Waiting for" in waiting and "CONJOINT-NOTE-5c5c" not in waiting  # no preview of content for admins
    assert download(admin, release).status_code == 409
    assert admin.post(reverse("release_confirm", kwargs={"code": release.code})).status_code == 404
    staff = as_user(therapist)
    dashboard = staff.get(reverse("dashboard")).content.decode()
    assert "1 release waiting for your review" in dashboard
    assert confirm(staff, release).status_code == 302
    response = download(as_user(admin_user), release)
    assert response["Content-Type"] == "application/pdf"
    assert "waiting for your review" not in as_user(therapist).get(reverse("dashboard")).content.decode()
