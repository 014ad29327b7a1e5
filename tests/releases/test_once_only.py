"""Giving, replacing and withdrawing an agreement, confirming and downloading each happen once however often
they are sent (the races on PostgreSQL are in test_release_races.py)."""

from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.releases.models import ReleaseAuthorization
from clinic.reports.models import ReportJob
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

NEW = reverse("sharing_new")


def test_the_same_agreement_sent_three_times_is_kept_once(as_user, client_user, person, partner):
    http = as_user(client_user)
    for _ in range(3):
        assert http.post(NEW, portal_signing(person)).status_code == 302
    assert ReleaseAuthorization.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.RELEASE_AUTHORIZED).count() == 1


def test_a_newer_agreement_to_the_same_person_replaces_the_older(as_user, client_user, person, partner):
    http = as_user(client_user)
    http.post(NEW, portal_signing(person))
    http.post(NEW, portal_signing(person, conjoint_notes="", shared_material="on"))
    older, newer = ReleaseAuthorization.objects.order_by("created_at", "id")
    assert older.superseded_at is not None and older.state == "replaced" and not older.is_in_force()
    assert newer.superseded_at is None and newer.is_in_force()
    assert list(ReleaseAuthorization.objects.in_force()) == [newer]
    page = http.get(reverse("sharing_home")).content.decode()
    assert "Replaced by a newer agreement to the same person." in page
    # The form says so before anyone signs.
    form = http.get(NEW).content.decode()
    assert "If you already gave an agreement to the same person, this one replaces it." in form


def test_withdrawing_shows_and_withdraws_every_agreement_to_that_person(as_user, client_user, person, partner):
    http = as_user(client_user)
    http.post(NEW, portal_signing(person, recipient_kind="third_party", third_party_name="Dr Ada Park"))
    http.post(
        NEW,
        portal_signing(
            person,
            recipient_kind="third_party",
            third_party_name="DR  ADA PARK",
            conjoint_notes="",
            shared_material="on",
        ),
    )
    http.post(NEW, portal_signing(person))  # to the partner: someone else
    to_park = ReleaseAuthorization.objects.filter(recipient_kind="third_party").order_by("created_at")
    assert to_park.count() == 2
    url = reverse("sharing_revoke", kwargs={"code": to_park.last().code})
    page = BeautifulSoup(http.get(url).content, "html.parser")
    listed = page.find(id="same-recipient").find_next("ul").find_all("li")
    assert len(listed) == 2
    for _ in range(2):  # a double click
        http.post(url, {"reason": ""})
    assert all(a.is_revoked for a in to_park.all())
    assert ReleaseAuthorization.objects.get(recipient_kind="partner").is_in_force()
    assert AuditEvent.objects.filter(action=Action.RELEASE_AUTHORIZATION_REVOKED).count() == 2


def test_confirming_twice_confirms_once(as_user, therapist, couple_case, person, couple_record):
    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    fingerprint = reviewed_fingerprint(http, release)
    for _ in range(2):
        http.post(reverse("release_confirm", kwargs={"code": release.code}), {"reviewed": fingerprint})
    assert AuditEvent.objects.filter(action=Action.RELEASE_CONFIRMED).count() == 1


def test_downloading_again_is_one_disclosure_and_one_background_file(
    as_user, therapist, couple_case, person, partner, couple_record
):
    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    http = as_user(therapist)
    release = prepare(http, export_url(couple_case, person), {"purpose": "client_request"})
    confirm(http, release)
    for _ in range(3):
        assert download(http, release).content.startswith(b"PK")
    assert ReportJob.objects.filter(kind="release").count() == 1
    events = AuditEvent.objects.filter(target_id=str(release.code))
    assert events.filter(action=Action.RELEASE_DOWNLOADED).count() == 1
    assert events.filter(action=Action.RELEASE_DOWNLOADED_AGAIN).count() == 2
    # The accounting of disclosures the client may ask for lists it once.
    record_page = http.get(reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}))
    rows = (
        BeautifulSoup(record_page.content, "html.parser")
        .find("section", attrs={"aria-labelledby": "disclosures-h"})
        .find("tbody")
        .find_all("tr")
    )
    assert len(rows) == 1
