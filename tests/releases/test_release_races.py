"""Double clicks and two tabs at once, on PostgreSQL: an agreement given or withdrawn, a release confirmed or
downloaded, each happens once."""

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.releases.models import ReleaseAuthorization
from clinic.reports.models import ReportJob
from tests.concurrency import at_once
from tests.conftest import sign_in
from tests.releases.flow import (
    authorize,
    confirm,
    download,
    export_url,
    portal_signing,
    prepare,
    reviewed_fingerprint,
    summary_url,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def tabs(user, count: int) -> list:
    return [sign_in(HttpClient(), user) for _ in range(count)]


def test_an_agreement_sent_from_three_tabs_at_once_is_kept_once(client_user, person, partner):
    data = portal_signing(person)
    results = at_once(
        *[lambda http=http: http.post(reverse("sharing_new"), data).status_code for http in tabs(client_user, 3)]
    )
    assert results == [302, 302, 302]
    assert ReleaseAuthorization.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.RELEASE_AUTHORIZED).count() == 1


def test_withdrawing_from_two_tabs_at_once_withdraws_each_agreement_once(therapist, client_user, person, partner):
    given = authorize(case=person.cases.get(), by_client=person, to_client=partner, recorder=therapist)
    url = reverse("sharing_revoke", kwargs={"code": given.code})
    results = at_once(*[lambda http=http: http.post(url, {"reason": ""}).status_code for http in tabs(client_user, 2)])
    assert results == [302, 302]
    given.refresh_from_db()
    assert given.is_revoked
    assert AuditEvent.objects.filter(action=Action.RELEASE_AUTHORIZATION_REVOKED).count() == 1


def test_confirming_from_two_tabs_at_once_confirms_once(therapist, couple_case, person, record):
    first, second = tabs(therapist, 2)
    release = prepare(first, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    fingerprint = reviewed_fingerprint(first, release)
    url = reverse("release_confirm", kwargs={"code": release.code})
    results = at_once(
        *[lambda http=http: http.post(url, {"reviewed": fingerprint}).status_code for http in (first, second)]
    )
    assert all(status in (302, 409) for status in results), results
    assert AuditEvent.objects.filter(action=Action.RELEASE_CONFIRMED).count() == 1


@pytest.mark.parametrize(
    ("url", "data"),
    [(summary_url, {"purpose": "client_request", "notes": "summaries"}), (export_url, {"purpose": "client_request"})],
    ids=["pdf", "zip"],
)
def test_three_downloads_at_once_are_one_disclosure_and_one_file(
    therapist, couple_case, person, partner, record, url, data
):
    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    clicks = tabs(therapist, 3)
    release = prepare(clicks[0], url(couple_case, person), data)
    confirm(clicks[0], release)
    results = at_once(*[lambda http=http: download(http, release).content[:4] for http in clicks])
    assert all(first in (b"%PDF", b"PK\x03\x04") for first in results), results
    assert ReportJob.objects.filter(kind="release").count() == (1 if url is export_url else 0)
    events = AuditEvent.objects.filter(target_id=str(release.code))
    assert events.filter(action=Action.RELEASE_DOWNLOADED).count() == 1
    assert events.filter(action=Action.RELEASE_DOWNLOADED_AGAIN).count() == 2
