"""One gate for every byte of a release: after a withdrawal, a replacement, an expiry, a cancellation or a change,
no address hands anything out, the stored copies are gone, and the accounting records the refusal.

The walk does not trust a list of "download" addresses: it asks every address of the project that takes a code
(the release's, and each of its background files'), by GET and POST, as the therapist and the admin, and fails on
any answer that carries a PDF or a ZIP.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.releases.authorizations import revoke, save_authorization
from clinic.releases.models import Release, ReleaseAuthorization
from clinic.releases.releasing import REFUSALS
from clinic.reports.models import ReportJob
from tests.releases.flow import authorize, confirm, download, export_url, prepare, summary_url

FILE_MAGIC = (b"%PDF", b"PK\x03\x04")


def code_patterns(resolver=None, prefix=""):
    """Every URL name whose only parameter is `code`: the addresses a release or a file can be asked for by."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from code_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name and set(entry.pattern.converters) == {"code"}:
            yield entry.name


def carried_files(http, codes, names=None) -> list[str]:
    """Every address (name, method, code) that answered with a file's bytes; the download addresses first, since
    the walk also posts to addresses that change the release (cancel, confirm)."""
    found = []
    for name in names or sorted(set(code_patterns()), key=lambda name: ("download" not in name, name)):
        for code in codes:
            url = reverse(name, kwargs={"code": code})
            for method in ("get", "post"):
                response = getattr(http, method)(url)
                body = response.content if not response.streaming else b"".join(response.streaming_content)
                if body.startswith(FILE_MAGIC):
                    found.append(f"{method.upper()} {name}")
    return found


def released_release(http, url, data, therapist):
    release = prepare(http, url, data)
    assert confirm(http, release).status_code == 302
    return release


def file_job(http, release) -> ReportJob:
    """Download once (making the background file where there is one) and return the stored job, if any."""
    response = download(http, release)
    assert response.content.startswith(FILE_MAGIC), response.status_code
    return ReportJob.objects.filter(kind="release", options__release=str(release.code)).first()


# What ends a release's right to leave, each done the way people do it.
def withdraw(authorization, person, partner, therapist):
    revoke(authorization=authorization, by=partner.user, reason="")


def replace(authorization, person, partner, therapist):
    newer = ReleaseAuthorization(
        case=authorization.case,
        authorizing_client=partner,
        recipient_kind=authorization.recipient_kind,
        recipient_client=authorization.recipient_client,
        third_party_name=authorization.third_party_name,
        scope="shared_material",
        signed_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=30),
        method="paper",
    )
    save_authorization(authorization=newer, by=therapist)


def cancel_it(authorization, person, partner, therapist, release=None):
    from clinic.releases.releasing import cancel

    cancel(release=release, by=therapist)


def change_record(authorization, person, partner, therapist):
    from clinic.notes.models import Addendum, TherapySession

    session = TherapySession.objects.get(note__content__assessment="CONJOINT-NOTE-5c5c")
    Addendum.add(note=session.note, by=therapist, text="LATER-ADDENDUM-4u4u")


ENDINGS = {"withdrawn": withdraw, "replaced": replace, "cancelled": cancel_it, "changed": change_record}
KINDS = {
    "summary": (summary_url, {"purpose": "client_request", "notes": "summaries"}),
    "summary-full": (summary_url, {"purpose": "client_request", "notes": "full"}),
    "export": (export_url, {"purpose": "client_request"}),
    "export-third-party": (export_url, {"purpose": "legal", "recipient_name": ""}),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_nothing_of_a_release_leaves_by_any_address_once_its_ground_is_gone(
    as_user, therapist, admin_user, couple_case, person, partner, couple_record, kind, ending
):
    url, data = KINDS[kind]
    third_party = kind == "export-third-party"
    if third_party:
        authorization = authorize(case=couple_case, by_client=partner, third_party="County Court", recorder=therapist)
        data = {**data, "authorization": str(authorization.code)}
    else:
        authorization = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    http = as_user(therapist)
    release = released_release(http, url(couple_case, person), data, therapist)
    assert list(release.relied_on.all()) == [authorization]
    job = file_job(http, release)
    codes = [release.code] + ([job.code] if job else [])
    # While the release stands its two download addresses hand the file out, and the walk sees it.
    assert carried_files(http, codes, names=["release_download", "report_download"])

    disclosures = AuditEvent.objects.filter(action=Action.RELEASE_DOWNLOADED, target_id=str(release.code))
    assert disclosures.count() == 1
    if ending == "cancelled":
        cancel_it(authorization, person, partner, therapist, release=release)
    else:
        ENDINGS[ending](authorization, person, partner, therapist)

    for user in (therapist, admin_user):
        assert carried_files(as_user(user), codes) == []
    assert disclosures.count() == 1  # a refusal is not a disclosure
    refused = AuditEvent.objects.filter(action=Action.RELEASE_REFUSED, target_id=str(release.code))
    assert refused.exists()
    assert all(set(e.detail) == {"release", "reason"} for e in refused)
    if job:
        job.refresh_from_db()
        assert job.pdf is None  # the stored copy itself is gone, not only its address
        answer = as_user(therapist).get(reverse("report_download", kwargs={"code": job.code}))
        assert answer.status_code == 410
        words = " ".join(answer.content.decode().split())
        assert REFUSALS[ending] in words  # why, in words, and what to do
    release.refresh_from_db()
    assert release.status in (Release.Status.PREPARED, Release.Status.CANCELLED)
    assert release.relied_on.count() == 0


def test_an_expired_authorization_stops_a_stored_file_kept_from_yesterday(
    as_user, therapist, couple_case, person, partner, couple_record
):
    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist, days=2)
    http = as_user(therapist)
    release = released_release(http, export_url(couple_case, person), {"purpose": "client_request"}, therapist)
    job = file_job(http, release)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        answer = as_user(therapist).get(reverse("report_download", kwargs={"code": job.code}))
        words = " ".join(answer.content.decode().split())
    assert answer.status_code == 410 and not answer.content.startswith(FILE_MAGIC)
    assert "has expired" in words or "kept for a limited time" in words
    assert AuditEvent.objects.filter(action=Action.RELEASE_REFUSED, target_id=str(release.code)).exists()


def test_a_withdrawal_reaches_a_stored_file_whose_reason_the_page_names(
    as_user, therapist, couple_case, person, partner, couple_record
):
    authorization = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    http = as_user(therapist)
    release = released_release(http, export_url(couple_case, person), {"purpose": "client_request"}, therapist)
    job = file_job(http, release)
    revoke(authorization=authorization, by=partner.user)
    answer = http.get(reverse("report_download", kwargs={"code": job.code}))
    words = " ".join(answer.content.decode().split())
    assert answer.status_code == 410
    assert "withdrew the authorization this release relied on" in words
    refusal = AuditEvent.objects.get(action=Action.RELEASE_REFUSED, target_id=str(release.code))
    assert refusal.detail == {"release": str(release.code), "reason": "withdrawn"}


def test_a_retry_after_withdrawal_makes_nothing(
    as_user, therapist, couple_case, person, partner, couple_record, settings
):
    from clinic.reports.tasks import make_report

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    authorization = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    http = as_user(therapist)
    release = released_release(http, export_url(couple_case, person), {"purpose": "client_request"}, therapist)
    http.post(reverse("release_download", kwargs={"code": release.code}))
    job = ReportJob.objects.get(kind="release")
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error="worker stopped")
    revoke(authorization=authorization, by=partner.user)
    http.post(reverse("report_retry", kwargs={"code": job.code}))
    make_report.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.pdf is None and "review again" in job.error


def test_a_file_made_for_an_earlier_confirmation_is_not_handed_out(
    as_user, therapist, couple_case, person, partner, couple_record
):
    """Sent back to review and confirmed again: yesterday's file of the first confirmation stays refused."""
    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    http = as_user(therapist)
    release = released_release(http, export_url(couple_case, person), {"purpose": "client_request"}, therapist)
    job = file_job(http, release)
    kept = bytes(ReportJob.objects.get(pk=job.pk).pdf)
    change_record(None, person, partner, therapist)
    assert download(http, release).status_code == 409  # back to review
    assert confirm(http, release).status_code == 302
    # Someone kept the old bytes' row alive (as a restored backup would): still refused.
    ReportJob.objects.filter(pk=job.pk).update(pdf=kept, options={**job.options, "purged": ""})
    answer = http.get(reverse("report_download", kwargs={"code": job.code}))
    assert answer.status_code == 410 and not answer.content.startswith(FILE_MAGIC)


def test_a_check_in_sent_after_confirmation_sends_the_export_back_to_review(
    as_user, therapist, couple_case, person, partner, couple_record
):
    from tests.factories import checkins_sent

    http = as_user(therapist)
    release = released_release(http, export_url(couple_case, person), {"purpose": "client_request"}, therapist)
    checkins_sent(couple_case, therapist, {person: ("SENT-LATER-7k7k", 3), partner: ("", 3)})
    refused = download(http, release)
    assert refused.status_code == 409 and not refused.content.startswith(FILE_MAGIC)
    release.refresh_from_db()
    assert release.status == Release.Status.PREPARED
    # Reviewed again, the new check-in is one of the pieces listed, and redactable.
    page = http.get(reverse("release_detail", kwargs={"code": release.code})).content.decode()
    assert "SENT-LATER-7k7k" in page
