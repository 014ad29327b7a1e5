"""Every release path: the partner's own material never; conjoint notes only under the other partner's authorization.

Paths: the client summary (note summaries, made at once; full notes, made by
the background job) for the client's own request, a legal and an other
purpose, and the record export (its JSON and its PDF).
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.releases.models import Release
from tests.releases.flow import (
    authorize,
    confirm,
    download,
    export_url,
    json_of,
    prepare,
    release_through_review,
    released_text,
    summary_url,
)
from tests.reports.conftest import CONJOINT, CONJOINT_DAYS_AGO, NEVER, OWN

NOTICE = "2 conjoint-session notes are withheld until the other partner authorizes their release."

# (name, url maker, posted data, whether the recipient is a third party)
PATHS = [
    ("summary-own-request", summary_url, {"purpose": "client_request", "notes": "summaries"}, False),
    ("summary-own-request-full", summary_url, {"purpose": "client_request", "notes": "full"}, False),
    ("summary-legal-full", summary_url, {"purpose": "legal", "notes": "full", "recipient_name": "County Court"}, True),
    (
        "summary-other",
        summary_url,
        {"purpose": "other", "purpose_other": "Insurer", "notes": "summaries", "recipient_name": "Insurer Ltd"},
        True,
    ),
    ("export-own-request", export_url, {"purpose": "client_request"}, False),
    ("export-legal", export_url, {"purpose": "legal", "recipient_name": "County Court"}, True),
]
IDS = [p[0] for p in PATHS]


def flat(text: str) -> str:
    return " ".join(text.split())


def texts_of(released: dict) -> list[str]:
    return list(released.values())


def authorize_for(path_is_third_party, couple_case, partner, person, therapist, recipient=""):
    if path_is_third_party:
        # To the recipient the path names: an authorization carries nothing to anyone else.
        return authorize(case=couple_case, by_client=partner, third_party=recipient, recorder=therapist)
    return authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)


@pytest.mark.parametrize(("name", "url", "data", "third_party"), PATHS, ids=IDS)
def test_the_partners_own_material_is_never_released_and_conjoint_notes_go_with_authorization(
    as_user, therapist, couple_case, person, partner, couple_record, name, url, data, third_party
):
    authorization = authorize_for(
        third_party, couple_case, partner, person, therapist, recipient=data.get("recipient_name", "")
    )
    if third_party:
        data = {**data, "authorization": str(authorization.code)}
    released = release_through_review(as_user(therapist), url(couple_case, person), data)
    for text in texts_of(released):
        for marker in (*OWN, *CONJOINT):
            assert marker in text, (name, marker)
        for marker in NEVER:
            assert marker not in text, (name, marker)
        assert "are withheld" not in text and "Internal" not in text
    if "json" in released:
        data = json_of(released)
        assert data["withheld"]["conjoint_session_notes"] == 0
        assert data["risk_flags"] == []  # the partner's urgent flag is theirs alone
    assert "Urgent flag" not in released["pdf"]


@pytest.mark.parametrize(("name", "url", "data", "third_party"), PATHS, ids=IDS)
def test_without_the_partners_authorization_conjoint_notes_are_withheld_without_any_detail(
    as_user, therapist, couple_case, person, partner, couple_record, name, url, data, third_party
):
    # The client's own authorization to the partner does not open the partner's words.
    authorize(case=couple_case, by_client=person, to_client=partner, recorder=therapist)
    released = release_through_review(as_user(therapist), url(couple_case, person), data)
    conjoint_day = timezone.localtime(timezone.now() - timedelta(days=CONJOINT_DAYS_AGO))
    for text in texts_of(released):
        for marker in (*CONJOINT, *NEVER):
            assert marker not in text, (name, marker)
        for marker in OWN:
            assert marker in text, (name, marker)
        for day in (f"{conjoint_day.day} {conjoint_day:%b %Y}", conjoint_day.date().isoformat()):
            assert day not in text
    assert NOTICE in flat(released["pdf"])
    if "json" in released:
        data = json_of(released)
        assert data["withheld"] == {"conjoint_session_notes": 2, "notice": NOTICE}
        assert [s["format"] for s in data["sessions"]] == ["individual"]
        assert "Conjoint" not in released["json"] and 'conjoint"' not in released["json"]


def test_an_authorization_that_does_not_fit_this_recipient_withholds(
    as_user, therapist, couple_case, person, partner, couple_record
):
    http = as_user(therapist)
    # To a third party only, or for the shared material only: neither lets the client have the notes.
    authorize(case=couple_case, by_client=partner, third_party="County Court", recorder=therapist)
    authorize(case=couple_case, by_client=partner, to_client=person, scope="shared_material", recorder=therapist)
    released = release_through_review(
        http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"}
    )
    assert NOTICE in flat(released["pdf"]) and "CONJOINT-NOTE-5c5c" not in released["pdf"]
    # A legal release with no authorization chosen withholds too, even though one to that court exists.
    released = release_through_review(
        http, summary_url(couple_case, person), {"purpose": "legal", "notes": "summaries", "recipient_name": "Court"}
    )
    assert NOTICE in flat(released["pdf"]) and "CONJOINT-NOTE-5c5c" not in released["pdf"]


def test_an_expired_authorization_withholds_again(as_user, therapist, couple_case, person, partner, couple_record):
    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist, days=10)
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        released = release_through_review(
            as_user(therapist), summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"}
        )
    assert NOTICE in flat(released["pdf"]) and "CONJOINT-NOTE-5c5c" not in released["pdf"]


def test_after_revocation_conjoint_notes_are_withheld_again(
    as_user, therapist, couple_case, person, partner, couple_record
):
    http = as_user(therapist)
    authorization = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    data = {"purpose": "client_request", "notes": "summaries"}
    assert "CONJOINT-NOTE-5c5c" in release_through_review(http, summary_url(couple_case, person), data)["pdf"]
    # Confirmed while the authorization stood; revoked before the download.
    release = prepare(http, summary_url(couple_case, person), data)
    confirm(http, release)
    authorization.revoke(by=partner.user, reason="")
    refused = download(http, release)
    assert refused.status_code == 409 and "contents-changed" in refused.content.decode()
    release.refresh_from_db()
    assert release.status == Release.Status.PREPARED  # back with the therapist
    assert NOTICE in flat(released_text_after_review(http, release)["pdf"])


def released_text_after_review(http, release) -> dict:
    assert confirm(http, release).status_code == 302
    return released_text(download(http, release))


def test_a_revocation_after_the_job_was_queued_fails_the_job(
    as_user, therapist, couple_case, person, partner, couple_record, settings
):
    """The background job re-checks what it may release when it runs, not when it was asked for."""
    from clinic.reports.models import ReportJob
    from clinic.reports.tasks import make_report

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    http = as_user(therapist)
    authorization = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    release = prepare(http, export_url(couple_case, person), {"purpose": "client_request"})
    confirm(http, release)
    queued = http.post(reverse("release_download", kwargs={"code": release.code}))
    job = ReportJob.objects.get(kind="release")
    assert queued["Location"] == reverse("report_job", kwargs={"code": job.code})
    authorization.revoke(by=therapist, reason="Client phoned")
    make_report.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "review again" in job.error and job.pdf is None
    release.refresh_from_db()
    assert release.status == Release.Status.PREPARED


@pytest.mark.parametrize("notes", ["summaries", "full"])
@pytest.mark.parametrize("purpose", ["continuity", "supervision"])
def test_internal_summaries_are_unchanged_and_marked_internal(
    as_user, therapist, couple_case, person, couple_record, notes, purpose
):
    from tests.releases.flow import pdf_text

    http = as_user(therapist)
    response = http.post(summary_url(couple_case, person), {"purpose": purpose, "notes": notes})
    if notes == "full":
        code = response["Location"].rstrip("/").split("/")[-1]
        response = http.get(reverse("report_download", kwargs={"code": code}))
    text = pdf_text(response.content)
    assert "INTERNAL — FOR THE TREATING TEAM" in text.upper()
    for marker in (*OWN, *CONJOINT):
        assert marker in text
    for marker in NEVER:
        assert marker not in text
    assert not Release.objects.exists()


def test_an_individual_case_has_nothing_to_withhold(as_user, therapist, outsider, colleague):
    from clinic.clients.models import Client

    client = Client.objects.get(user=outsider)
    case = client.cases.get()
    http = as_user(colleague)
    released = release_through_review(http, export_url(case, client), {"purpose": "client_request"})
    data = json.loads(released["json"])
    assert data["withheld"]["conjoint_session_notes"] == 0 and "withheld" not in released["pdf"]


def test_a_released_pdf_shows_the_notice_in_place_of_the_notes(
    as_user, therapist, couple_case, person, couple_record, first_page_png
):
    from tests.releases.flow import pdf_text

    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "full"})
    confirm(http, release)
    response = download(http, release)
    assert first_page_png("release-withheld", response.content).stat().st_size > 1000
    text = flat(pdf_text(response.content))
    assert text.index("Sessions and notes") < text.index(NOTICE) < text.index("OWN-INDIVIDUAL-2m2m")


def test_the_job_page_of_a_record_export_names_a_zip_file_not_a_pdf(
    as_user, therapist, couple_case, person, couple_record, settings
):
    from clinic.reports.models import ReportJob

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    http = as_user(therapist)
    release = prepare(http, export_url(couple_case, person), {"purpose": "client_request"})
    confirm(http, release)
    http.post(reverse("release_download", kwargs={"code": release.code}))
    job = ReportJob.objects.get(kind="release")
    waiting = http.get(reverse("report_job", kwargs={"code": job.code})).content.decode()
    assert "Your ZIP file" in waiting and "PDF" not in waiting.split("<main", 1)[1]
