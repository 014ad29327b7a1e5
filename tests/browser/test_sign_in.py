import re

from playwright.sync_api import expect

from clinic.accounts.models import Role
from tests.browser.signing import sign_in
from tests.factories import current_code, make_device, make_user


def test_a_therapist_signs_in_with_two_factor_and_sees_the_dashboard(live_server, page, screenshot, assert_accessible):
    therapist = make_user(Role.THERAPIST, username="therapist1", first_name="Theo", last_name="Marsh")
    device = make_device(therapist)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, "therapist1")

    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    screenshot("therapist-two-factor-1280")
    assert_accessible()
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Theo Marsh")).to_be_visible()
    # Staff tabs name the page (never a client); client pages keep the neutral title.
    assert page.title() == "Dashboard · Fulcrum"
    screenshot("therapist-dashboard-1280")
    assert_accessible()


def test_a_client_lands_on_their_tasks_on_a_phone(live_server, page, screenshot, assert_accessible):
    make_user(Role.CLIENT, username="client1", first_name="Jo")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/account/login/")
    screenshot("login-360")
    assert_accessible()
    sign_in(page, live_server.url, "client1")
    expect(page).to_have_url(re.compile(r"/my/$"))
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    assert page.title() == "Fulcrum"
    # Nothing is kept in browser storage.
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    screenshot("client-home-360")
    assert_accessible()


def test_a_new_staff_member_enrols_two_factor_in_the_browser(live_server, page, screenshot, assert_accessible):
    make_user(Role.ADMIN, username="admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "admin")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    screenshot("admin-two-factor-setup-1280")
    assert_accessible()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="admin", confirmed=False)
    page.get_by_label("Code from your app").fill(current_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name=re.compile("I have saved them")).click()
    expect(page.get_by_role("heading", name="Practice")).to_be_visible()
    screenshot("admin-practice-1280")
    assert_accessible()
