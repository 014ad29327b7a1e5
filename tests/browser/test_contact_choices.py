"""How we contact you, in a real browser: the client's page, a staff edit, and a held inquiry for review."""

from django.test import Client as HttpClient
from django.urls import reverse
from playwright.sync_api import expect

from clinic.clients.models import Client
from intake.models import Inquiry
from tests.conftest import sign_in
from tests.factories import PASSWORD


def signed_in_as(page, live_server, user) -> None:
    """Carry a signed-in (and, for staff, verified) session into the browser."""
    http = sign_in(HttpClient(), user)
    page.context.add_cookies([{"name": "sessionid", "value": http.cookies["sessionid"].value, "url": live_server.url}])


def test_a_client_changes_how_we_contact_them(page, live_server, client_user, person, screenshot, assert_accessible):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(client_user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    page.goto(live_server.url + reverse("account"))
    page.get_by_role("link", name="Choose how your practice may contact you").click()
    expect(page.get_by_role("heading", name="How we contact you")).to_be_visible()
    assert page.title() == "Fulcrum"
    page.get_by_label("Phone calls").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error-summary")).to_contain_text("Add a phone number")
    assert_accessible()
    screenshot("contact-choices-error-360")
    page.get_by_label("Safe phone number").fill("(213) 555-0155")
    page.get_by_label("Times when it is safe to contact you").fill("Weekdays after 6pm")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("We will use only these ways from now on")).to_be_visible()
    screenshot("contact-choices-saved-360")
    person.refresh_from_db()
    assert (person.may_call, person.phone, person.safe_times) == (True, "(213) 555-0155", "Weekdays after 6pm")


def test_a_therapist_records_a_change_the_client_asked_for(
    page, live_server, therapist, couple_case, person, screenshot, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in_as(page, live_server, therapist)
    page.goto(live_server.url + reverse("case_detail", kwargs={"code": couple_case.code}))
    page.get_by_role("link", name="Change contact choices").first.click()
    page.get_by_label("Text messages").check()
    page.get_by_label("Phone number").fill("(213) 555-0156")
    page.get_by_label("Why you are changing it").fill("Asked in session")
    assert_accessible()
    screenshot("contact-edit-staff-1280")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".contact-changed").first).to_contain_text("at the client's request")
    screenshot("case-contact-changed-1280")
    assert Client.objects.get(pk=person.pk).may_text


def test_an_admin_reviews_a_held_inquiry(page, live_server, admin_user, screenshot, assert_accessible):
    inquiry = Inquiry.objects.create(
        name="Ash",
        contact_method="text",
        contact_value="(213) 555-0123",
        message="We keep going round in circles.",
        consent_to_contact=True,
        status="held",
        held_reason="address",
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in_as(page, live_server, admin_user)
    page.goto(live_server.url + reverse("inquiry_list") + "?status=held")
    expect(page.locator(".inquiry-held")).to_contain_text("Held")
    screenshot("inquiries-held-1280")
    page.get_by_role("link", name="Ash").click()
    assert_accessible()
    screenshot("inquiry-held-detail-1280")
    page.get_by_role("button", name="Accept into open inquiries").click()
    expect(page.get_by_text("Accepted: the inquiry is now with the open ones")).to_be_visible()
    inquiry.refresh_from_db()
    assert inquiry.status == "open"
