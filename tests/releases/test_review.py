"""Review before release: the treating therapist previews, redacts and confirms; only then can it be downloaded."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.notes.models import SessionNote
from clinic.releases.models import Release
from tests.releases.flow import authorize, confirm, download, export_url, json_of, prepare, released_text, summary_url
from tests.reports.conftest import signed_note

ODD = (
    "Moved to Rene\u0301e's flat at 12\u00a0Oak Str\u200beet. We agreed: call Sam on Friday; call Sam again if needed."
)


@pytest.fixture
def odd_note(couple_record, couple_case, therapist, person):
    return signed_note(couple_case, therapist, text=ODD, individual=person)


def redact(http, release, **data):
    return http.post(reverse("release_redact", kwargs={"code": release.code}), data)


def part_key(session, field="assessment") -> str:
    return f"note:{session.code}:{field}"


def test_the_therapist_previews_redacts_and_confirms_and_the_record_is_untouched(
    as_user, therapist, couple_case, person, partner, odd_note
):
    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "full"})
    review = BeautifulSoup(http.get(reverse("release_detail", kwargs={"code": release.code})).content, "html.parser")
    headings = [h.get_text(strip=True) for h in review.find_all("h3")]
    assert headings == ["Intake highlights", "Warning signs", "Sessions and notes"]
    assert "CONJOINT-NOTE-5c5c" in review.get_text() and "Oak" in review.get_text()
    assert download(http, release).status_code == 409  # not before it is confirmed

    missing = redact(http, release, part=part_key(odd_note), passage="not in the note", reason="r")
    assert missing.status_code == 400 and "not in the text you chose" in missing.content.decode()
    assert "not in the note" in missing.content.decode()  # what was typed is kept
    twice = redact(http, release, part=part_key(odd_note), passage="call Sam", reason="Third party")
    assert "appears 2 times" in twice.content.decode()
    assert (
        redact(
            http, release, part=part_key(odd_note), passage="call Sam", occurrence="2", reason="Third party"
        ).status_code
        == 302
    )
    # Typed plainly: precomposed é, an ordinary space, no invisible character.
    typed = "Renée's flat at 12 Oak Street"
    assert redact(http, release, part=part_key(odd_note), passage=typed, reason="Address").status_code == 302
    events = AuditEvent.objects.filter(action=Action.RELEASE_REDACTED)
    assert events.count() == 2 and all("Oak" not in str(e.detail) and "Sam" not in str(e.detail) for e in events)

    assert confirm(http, release).status_code == 302
    text = " ".join(released_text(download(http, release))["pdf"].split())
    assert "Moved to [redacted]. We agreed: call Sam on Friday; [redacted] again if needed." in text
    assert "Oak" not in text and "CONJOINT-NOTE-5c5c" in text
    assert SessionNote.objects.get(session=odd_note).content["assessment"] == ODD
    assert AuditEvent.objects.filter(action=Action.RELEASE_CONFIRMED, client=person).count() == 1
    downloaded = AuditEvent.objects.get(action=Action.RELEASE_DOWNLOADED)
    assert downloaded.detail["redactions"] == 2 and downloaded.detail["conjoint_included"] == 2


def test_a_redaction_leaves_the_export_json_and_pdf(as_user, therapist, couple_case, person, partner, couple_record):
    from clinic.notes.models import TherapySession

    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    http = as_user(therapist)
    session = TherapySession.objects.get(note__content__assessment="CONJOINT-NOTE-5c5c")
    release = prepare(http, export_url(couple_case, person), {"purpose": "client_request"})
    assert (
        redact(
            http, release, part=part_key(session), passage="CONJOINT-NOTE-5c5c", reason="Partner's words"
        ).status_code
        == 302
    )
    sign = person.warning_signs.get()
    assert redact(http, release, part=f"sign:{sign.pk}", passage="SIGN", occurrence="0", reason="r").status_code == 302
    confirm(http, release)
    released = released_text(download(http, release))
    for text in released.values():
        assert "CONJOINT-NOTE-5c5c" not in text and "OWN-SIGN-1a2b" not in text
        assert "CONJOINT-NOTE-2-8r8r" in text
    data = json_of(released)
    assert data["redactions"] == 2
    assert "[redacted]" in [s["note"]["content"]["assessment"] for s in data["sessions"]]
    assert data["warning_signs"][0]["description"] == "OWN-[redacted]-1a2b"
    assert SessionNote.objects.get(session=session).content["assessment"] == "CONJOINT-NOTE-5c5c"


def test_a_confirm_uses_the_authorizations_as_they_are_now(
    as_user, therapist, couple_case, person, partner, couple_record
):
    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    page = http.get(reverse("release_detail", kwargs={"code": release.code})).content.decode()
    assert 'id="withheld-count"' in page
    stale = BeautifulSoup(page, "html.parser").find("input", {"name": "reviewed"})["value"]
    # Granted between the preview and the confirm.
    authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    refused = http.post(reverse("release_confirm", kwargs={"code": release.code}), {"reviewed": stale})
    assert refused.status_code == 409
    body = refused.content.decode()
    assert 'id="contents-changed"' in body and 'id="withheld-count"' not in body and "CONJOINT-NOTE-5c5c" in body
    release.refresh_from_db()
    assert (
        release.status == Release.Status.PREPARED
        and not AuditEvent.objects.filter(action=Action.RELEASE_CONFIRMED).exists()
    )
    assert confirm(http, release).status_code == 302
    assert "CONJOINT-NOTE-5c5c" in released_text(download(http, release))["pdf"]


def test_a_cancelled_release_cannot_be_downloaded(as_user, therapist, couple_case, person, record):
    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    http.post(reverse("release_cancel", kwargs={"code": release.code}))
    release.refresh_from_db()
    assert release.status == Release.Status.CANCELLED
    assert AuditEvent.objects.filter(action=Action.RELEASE_CANCELLED, client=person).count() == 1
    assert confirm_refused(http, release) and download(http, release).status_code == 409


def confirm_refused(http, release) -> bool:
    response = http.post(reverse("release_confirm", kwargs={"code": release.code}), {"reviewed": "x"})
    release.refresh_from_db()
    return response.status_code == 302 and release.status == Release.Status.CANCELLED


@pytest.mark.parametrize("who", ["colleague", "client_user", "partner_user", "outsider"])
def test_others_get_404_on_every_release_url(request, as_user, therapist, couple_case, person, record, who):
    release = prepare(
        as_user(therapist), summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"}
    )
    http = as_user(request.getfixturevalue(who))
    assert http.get(reverse("release_detail", kwargs={"code": release.code})).status_code == 404
    for name in ("release_redact", "release_confirm", "release_cancel", "release_download"):
        assert http.post(reverse(name, kwargs={"code": release.code}), {}).status_code == 404
    release.refresh_from_db()
    assert release.status == Release.Status.PREPARED


def test_an_admin_may_not_review_and_wrong_methods_are_refused(
    as_user, admin_user, therapist, couple_case, person, record
):
    http = as_user(admin_user)
    release = prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    assert redact(http, release, part="x", passage="y", reason="z").status_code == 404
    assert http.post(reverse("release_confirm", kwargs={"code": release.code}), {"reviewed": "x"}).status_code == 404
    http = as_user(therapist)
    for name in ("release_redact", "release_confirm", "release_cancel", "release_download"):
        assert http.get(reverse(name, kwargs={"code": release.code})).status_code == 405
    assert http.post(reverse("release_detail", kwargs={"code": release.code})).status_code == 405


def test_the_dashboard_count_takes_the_same_queries_however_many_wait(
    as_user, admin_user, therapist, couple_case, person, record
):
    admin = as_user(admin_user)
    data = {"purpose": "client_request", "notes": "summaries"}
    prepare(admin, summary_url(couple_case, person), data)
    http = as_user(therapist)

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = http.get(reverse("dashboard")).content.decode()
        return len(captured), page

    one, page = queries()
    assert "1 release waiting for your review" in page
    for _ in range(3):
        prepare(admin, summary_url(couple_case, person), data)
    four, page = queries()
    assert "4 releases waiting for your review" in page and four == one
