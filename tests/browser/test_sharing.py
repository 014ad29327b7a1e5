"""A client signs an agreement to share joint-session notes, on a phone and on a desktop, then withdraws it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.clients.models import Client
from clinic.releases.models import ReleaseAuthorization
from tests.browser.signing import sign_in, staff_sign_in


@pytest.mark.parametrize("width", [360, 1280])
def test_a_client_signs_and_withdraws_an_agreement_in_the_portal(
    page, live_server, client_user, couple_case, screenshot, assert_accessible, width
):
    person = Client.objects.get(user=client_user)
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, "clientone")
    page.get_by_role("link", name="Sharing your records").click()
    expect(page).to_have_title("Fulcrum")
    page.get_by_role("link", name="Give an agreement").click()
    assert_accessible()

    # A wrong name: refused, everything else kept.
    page.get_by_label("Someone else (a named person or organisation)").check()
    page.get_by_label("Their name").fill("Dr Ada Park")
    page.get_by_label("Their organisation, or how they relate to you").fill("Family doctor")
    page.get_by_label("Notes of joint sessions").check()
    until = timezone.localdate() + timedelta(days=120)
    page.get_by_label("Until (the last day it applies)").fill(until.isoformat())
    page.get_by_label("Type your full name as your signature").fill("Not Me")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator("#error-summary")).to_contain_text("Type your full name exactly")
    expect(page.get_by_label("Their name")).to_have_value("Dr Ada Park")
    screenshot(f"sharing-error-{width}")

    page.get_by_label("Type your full name as your signature").fill(person.full_name)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text("Signed. You can withdraw it here at any time.")).to_be_visible()
    expect(page.get_by_text("To Dr Ada Park (Family doctor)")).to_be_visible()
    screenshot(f"sharing-signed-{width}")
    a = ReleaseAuthorization.objects.get()
    assert (a.method, a.third_party_name, a.expires_on, a.signature_name) == (
        "portal",
        "Dr Ada Park",
        until,
        person.full_name,
    )

    page.get_by_role("link", name="Withdraw it").click()
    page.get_by_label("Why (optional)").fill("Changed my mind")
    page.get_by_role("button", name="Withdraw it").click()
    expect(page.get_by_text("Withdrawn on")).to_be_visible()
    screenshot(f"sharing-withdrawn-{width}")
    a.refresh_from_db()
    assert a.revoked_by == client_user and a.revoke_reason == "Changed my mind"


def test_the_therapist_reviews_a_release_and_redacts_a_passage(
    page, live_server, therapist, admin_user, couple_case, screenshot, assert_accessible
):

    from clinic.releases.models import Release
    from tests.reports.conftest import signed_note

    person = couple_case.clients.order_by("memberships__id").first()
    signed_note(couple_case, therapist, text="They argued about money; Sam's number is 555-0100.", individual=person)
    signed_note(couple_case, therapist, text="Joint session words", sign=True)
    release = Release.objects.create(
        case=couple_case,
        client=person,
        kind="summary",
        purpose="client_request",
        recipient_name=person.full_name,
        options={"notes": "summaries"},
        prepared_by=admin_user,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_text("1 release waiting for your review")).to_be_visible()
    page.get_by_role("link", name="Review", exact=True).last.click()
    page.get_by_role("link", name="Waiting for the therapist's review").click()
    expect(page.locator("#withheld-count")).to_contain_text("1 joint-session note withheld")
    page.get_by_label("Where").select_option(index=1)  # the first text: the individual note's assessment
    page.get_by_label("The exact passage to redact").fill("Sam's number is 555-0100")
    page.get_by_label("Reason for the redaction").fill("A third party's number")
    page.get_by_role("button", name="Redact").click()
    expect(page.locator("del.redacted")).to_have_text("Sam's number is 555-0100")
    assert_accessible()
    screenshot("release-review-1280")
    page.get_by_role("button", name="Confirm: it may be released as shown").click()
    expect(page.locator("#release-status")).to_contain_text("Reviewed and confirmed")
    release.refresh_from_db()
    assert release.status == "confirmed" and release.redactions.get().reason == "A third party's number"
