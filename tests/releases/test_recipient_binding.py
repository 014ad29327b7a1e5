"""An authorization is bound to who receives: the recipient of a release made under it is the one it names."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.releases.contents import build
from clinic.releases.models import Release
from clinic.releases.releasing import prepare as prepare_release
from tests.releases.flow import authorize, confirm, download, prepare, released_text, summary_url

LEGAL = {"purpose": "legal", "notes": "summaries"}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_typed_recipient_other_than_the_one_authorized_is_refused_in_words_and_nothing_is_made(
    as_user, therapist, couple_case, person, partner, couple_record
):
    authorization = authorize(case=couple_case, by_client=partner, third_party="Dr Ada Park", recorder=therapist)
    response = as_user(therapist).post(
        summary_url(couple_case, person),
        {**LEGAL, "recipient_name": "Bob Lawyer", "authorization": str(authorization.code)},
    )
    assert response.status_code == 200
    assert not Release.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.RELEASE_PREPARED).exists()
    summary = BeautifulSoup(response.content, "html.parser").find(id="error-summary").get_text(" ")
    assert "for Dr Ada Park only" in flat(summary) and "Bob Lawyer" in summary


@pytest.mark.parametrize("typed", ["", "dr  ada PARK", "Dr Ada Park"])
def test_the_recipient_is_taken_from_the_authorization_and_printed_and_accounted(
    as_user, therapist, couple_case, person, partner, couple_record, typed
):
    authorization = authorize(case=couple_case, by_client=partner, third_party="Dr Ada Park", recorder=therapist)
    http = as_user(therapist)
    release = prepare(
        http,
        summary_url(couple_case, person),
        {**LEGAL, "recipient_name": typed, "authorization": str(authorization.code)},
    )
    assert release.recipient_name == "Dr Ada Park"
    assert confirm(http, release).status_code == 302
    pdf = released_text(download(http, release))["pdf"]
    first_page = flat(pdf)[:600]
    assert "Released to: Dr Ada Park" in first_page
    assert "CONJOINT-NOTE-5c5c" in pdf
    handed = AuditEvent.objects.get(action=Action.RELEASE_DOWNLOADED, target_id=str(release.code))
    assert handed.detail["recipient"] == "Dr Ada Park"


def test_an_authorization_to_the_other_partner_carries_nothing_to_a_third_party(
    therapist, couple_case, person, partner, couple_record
):
    """Even set on the release directly (no form offers it), a partner's authorization opens nothing for others."""
    to_person = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    release = Release.objects.create(
        case=couple_case,
        client=person,
        kind="summary",
        purpose="legal",
        recipient_name=person.full_name,
        authorization=to_person,
        options={"notes": "summaries"},
        prepared_by=therapist,
    )
    contents = build(case=couple_case, client=person, options={"notes": "summaries"}, release=release)
    assert contents.authorization is None and contents.withheld == 2 and contents.relied_on == []


def test_a_release_whose_recipient_is_changed_after_confirmation_is_not_handed_out(
    as_user, therapist, couple_case, person, partner, couple_record
):
    authorization = authorize(case=couple_case, by_client=partner, third_party="Dr Ada Park", recorder=therapist)
    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {**LEGAL, "authorization": str(authorization.code)})
    confirm(http, release)
    Release.objects.filter(pk=release.pk).update(recipient_name="Bob Lawyer")
    refused = download(http, release)
    assert refused.status_code == 409 and not refused.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action=Action.RELEASE_REFUSED, target_id=str(release.code))
    assert event.detail["reason"] == "recipient"
    release.refresh_from_db()
    assert release.status == Release.Status.PREPARED


def test_preparing_in_code_refuses_a_recipient_the_authorization_does_not_name(therapist, couple_case, person, partner):
    authorization = authorize(case=couple_case, by_client=partner, third_party="Dr Ada Park", recorder=therapist)
    with pytest.raises(ValueError, match="authorization names"):
        prepare_release(
            case=couple_case,
            client=person,
            kind="summary",
            purpose="legal",
            recipient_name="Someone Else",
            authorization=authorization,
            options={},
            by=therapist,
        )
    assert not Release.objects.exists()


def test_the_review_page_says_the_recipient_comes_from_the_authorization(
    as_user, therapist, couple_case, person, partner, couple_record
):
    authorization = authorize(case=couple_case, by_client=partner, third_party="Dr Ada Park", recorder=therapist)
    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {**LEGAL, "authorization": str(authorization.code)})
    page = BeautifulSoup(http.get(reverse("release_detail", kwargs={"code": release.code})).content, "html.parser")
    assert "Dr Ada Park (as the other partner's authorization names them)" in flat(page.get_text(" "))
