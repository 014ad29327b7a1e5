"""Driving a release through its steps as staff would, and reading what it released."""

import io
import json
import re
import zipfile
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clinic.releases.models import Release, ReleaseAuthorization


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def authorize(*, case, by_client, to_client=None, third_party="", scope="conjoint_notes", recorder, days=90):
    """The other partner's authorization, as recorded from paper (the portal path has its own tests)."""
    return ReleaseAuthorization.objects.create(
        case=case,
        authorizing_client=by_client,
        recipient_kind="third_party" if third_party else "partner",
        recipient_client=None if third_party else to_client,
        third_party_name=third_party,
        scope=scope,
        signed_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=days),
        method="paper",
        recorded_by=recorder,
    )


def portal_signing(person, **extra) -> dict:
    """What a client posts to sign an agreement in their portal (to the other partner unless `extra` says)."""
    return {
        "recipient_kind": "partner",
        "conjoint_notes": "on",
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "signature": person.full_name,
        **extra,
    }


def summary_url(case, client) -> str:
    return reverse("client_summary", kwargs={"case_code": case.code, "client_code": client.code})


def export_url(case, client) -> str:
    return reverse("client_export", kwargs={"case_code": case.code, "client_code": client.code})


def prepare(http, url: str, data: dict) -> Release:
    before = set(Release.objects.values_list("pk", flat=True))
    response = http.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (release,) = Release.objects.exclude(pk__in=before)
    assert response["Location"] == reverse("release_detail", kwargs={"code": release.code})
    return release


def reviewed_fingerprint(http, release) -> str:
    page = http.get(reverse("release_detail", kwargs={"code": release.code})).content.decode()
    return re.search(r'name="reviewed" value="([0-9a-f]{64})"', page).group(1)


def confirm(http, release):
    fingerprint = reviewed_fingerprint(http, release)
    return http.post(reverse("release_confirm", kwargs={"code": release.code}), {"reviewed": fingerprint})


def download(http, release):
    """The released file's bytes (following a background job), or the refusing response."""
    response = http.post(reverse("release_download", kwargs={"code": release.code}))
    if response.status_code == 302 and "/reports/" in response["Location"]:
        code = response["Location"].rstrip("/").split("/")[-1]
        response = http.get(reverse("report_download", kwargs={"code": code}))
    return response


def released_text(response) -> dict:
    """{"pdf": text} for a PDF; {"pdf": text, "json": raw} for a record export."""
    if response["Content-Type"] == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        return {"pdf": pdf_text(archive.read("summary.pdf")), "json": archive.read("record.json").decode()}
    assert response["Content-Type"] == "application/pdf"
    return {"pdf": pdf_text(response.content)}


def release_through_review(http, url: str, data: dict) -> dict:
    release = prepare(http, url, data)
    assert confirm(http, release).status_code == 302
    return released_text(download(http, release))


def json_of(texts: dict) -> dict:
    return json.loads(texts["json"])
