"""A new client, on a phone-sized screen, from the invitation email to a submitted intake."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from clinic.clients.models import Case, Client
from intake.models import Intake
from tests.factories import make_case

NEUTRAL = "https://neutral.example/weather"
PASSWORD = "tidal-basin-forty-lanterns"


@pytest.fixture
def neutral_site(page, settings):
    settings.QUICK_EXIT_URL = NEUTRAL
    page.context.route(
        "https://neutral.example/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"
        ),
    )


@pytest.fixture
def invitation_link(live_server, as_user, therapist, django_capture_on_commit_callbacks):
    case = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL)
    person = case.clients.get()
    Client.objects.filter(pk=person.pk).update(full_name="Robin Hale", email="robin@example.org", may_email=True)
    staff = as_user(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("invite_client", kwargs={"case_code": case.code, "client_code": person.code}))
    path = re.search(r"http://testserver(/welcome/\S+/)", mail.outbox[-1].body).group(1)
    return live_server.url + path, person


def section(page, title: str) -> None:
    """Wait until the section titled `title` is shown and its autosave is listening."""
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)


def fill(page, values: dict) -> None:
    for label, value in values.items():
        page.get_by_label(label).fill(value)


def test_a_new_client_completes_intake_without_losing_a_word(
    page, live_server, invitation_link, neutral_site, screenshot, assert_accessible
):
    link, person = invitation_link
    page.set_viewport_size({"width": 360, "height": 740})

    # The invitation: choose a sign-in name and password.
    page.goto(link)
    expect(page.get_by_role("heading", name="Set up your account")).to_be_visible()
    assert page.title() == "Fulcrum"
    assert_accessible()
    screenshot("intake-welcome-360")
    fill(page, {"Choose a sign-in name": "robin-h", "Choose a password": PASSWORD, "Type the password again": PASSWORD})
    page.get_by_role("button", name="Create my account").click()

    # Section 1.
    section(page, "About you")
    expect(page.get_by_text("Step 1 of 7")).to_be_visible()
    assert_accessible()
    fill(page, {"Full legal name": "Robin Hale", "Date of birth": "1990-04-02"})
    screenshot("intake-about-360")
    page.get_by_role("button", name="Save and continue").click()

    # Section 2, with a validation error first: the typed text survives it.
    section(page, "How we may contact you")
    page.get_by_label("Text messages").check()
    page.get_by_label("Safe phone number").fill("")
    page.get_by_label("Times when it is safe to contact you").fill("Weekday mornings")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#error-summary")).to_contain_text("Add a phone number")
    expect(page.get_by_label("Times when it is safe to contact you")).to_have_value("Weekday mornings")
    screenshot("intake-contact-error-360")
    assert_accessible()
    page.get_by_label("Text messages").uncheck()
    page.get_by_role("button", name="Save and continue").click()

    # Section 3: type, let it autosave, type more and close the page mid-section.
    section(page, "Emergency contact")
    page.get_by_label("Their name").fill("Priya Shah")
    page.get_by_label("How you know them").press_sequentially("my neighbour")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_label("Their phone number").press_sequentially("(213) 555-01")
    page.close(run_before_unload=True)

    page = page.context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + reverse("client_home"))
    expect(page.get_by_role("link", name="Continue your forms")).to_be_visible()
    page.get_by_role("link", name="Continue your forms").click()
    section(page, "Emergency contact")
    expect(page.get_by_label("Their name")).to_have_value("Priya Shah")
    expect(page.get_by_label("How you know them")).to_have_value("my neighbour")
    expect(page.get_by_label("Their phone number")).to_have_value("(213) 555-01")

    # The session ends while the page is open: what is typed stays, and saves after signing in again.
    Session.objects.all().delete()
    phone = page.get_by_label("Their phone number")
    phone.click()
    phone.press("End")
    phone.press_sequentially("99")
    expect(page.locator("#signed-out")).to_be_visible(timeout=15000)
    screenshot("intake-signed-out-360", on=page)
    other = page.context.new_page()
    other.goto(live_server.url + reverse("login"))
    other.get_by_label("Username").fill("robin-h")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", name="Your tasks")).to_be_visible()
    other.close()
    page.get_by_role("button", name="Save now").click()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    intake = Intake.objects.get(client=person)
    assert intake.answers["emergency"]["phone"] == "(213) 555-0199"
    page.get_by_role("button", name="Save and continue").click()

    # The rest, then sign and send.
    page.get_by_label("What brings you here now?").fill("We want to decide things together again.")
    page.get_by_role("button", name="Save and continue").click()
    section(page, "Your relationship")
    page.get_by_role("button", name="Save and continue").click()
    section(page, "Health and history")
    page.get_by_role("button", name="Save and continue").click()
    section(page, "Agreement")
    page.get_by_label("I have read both texts above and agree to take part").check()
    page.get_by_label("Type your full name as your signature").fill("Robin Hale")
    assert_accessible(on=page)
    screenshot("intake-agreement-360", on=page)
    page.get_by_role("button", name="Sign and send my forms").dblclick()
    expect(page.get_by_role("heading", name="Your forms")).to_be_visible()
    expect(page.get_by_text("We want to decide things together again.")).to_be_visible()
    assert_accessible(on=page)
    screenshot("intake-copy-360", on=page)
    intake.refresh_from_db()
    assert intake.is_submitted
    assert Intake.objects.filter(client=person).count() == 1

    # Quick exit by the button: a neutral page, signed out, and Back does not return.
    page.get_by_role("link", name=re.compile("Exit this site")).click()
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    expect(page.get_by_text("We want to decide things together again.")).to_have_count(0)
    assert not Session.objects.exists()


def test_quick_exit_by_keyboard_and_the_exit_comes_first(page, live_server, client_user, neutral_site, screenshot):
    from tests.factories import PASSWORD as CLIENT_PASSWORD

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill("clientone")
    page.get_by_label("Password").fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    screenshot("client-home-1280")
    # The first Tab lands on the exit control.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    expect(page.get_by_role("heading", name="Your tasks")).to_have_count(0)
    assert not Session.objects.exists()


def test_intake_pages_at_desktop_width(page, live_server, client_user, couple_case, screenshot, assert_accessible):
    from tests.factories import PASSWORD as CLIENT_PASSWORD

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill("clientone")
    page.get_by_label("Password").fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + reverse("intake_section", kwargs={"step": 2}))
    section(page, "How we may contact you")
    assert_accessible()
    screenshot("intake-contact-1280")


def test_other_client_pages_pass_axe(page, live_server, client_user, couple_case, screenshot, assert_accessible):
    from tests.factories import PASSWORD as CLIENT_PASSWORD

    page.set_viewport_size({"width": 360, "height": 740})
    public = [
        ("/welcome/not-a-real-link/", "invitation-problem-360"),
        (reverse("password_reset"), "password-reset-360"),
        (reverse("safety_page"), "help-360"),
        (reverse("inquiry_start"), "get-started-360"),
    ]
    for path, name in public:
        page.goto(live_server.url + path)
        assert page.title() == "Fulcrum"
        assert_accessible()
        screenshot(name)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill("clientone")
    page.get_by_label("Password").fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    for path, name in [(reverse("account"), "account-360"), (reverse("password_change"), "password-change-360")]:
        page.goto(live_server.url + path)
        assert page.title() == "Fulcrum"
        assert_accessible()
        screenshot(name)


def test_words_typed_before_the_page_finished_loading_are_saved(page, live_server, invitation_link):
    link, person = invitation_link
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(link)
    fill(page, {"Choose a sign-in name": "robin-h", "Choose a password": PASSWORD, "Type the password again": PASSWORD})
    page.get_by_role("button", name="Create my account").click()
    section(page, "About you")
    # A slow phone: the saving script arrives only after the client has typed.
    held = []
    page.route(re.compile(r"/js/autosave[^/]*\.js"), lambda route: held.append(route))
    page.reload(wait_until="commit")
    page.get_by_label("Full legal name").fill("Robin Hale-Ortiz")
    assert held, "the autosave script was not requested"
    held[0].continue_()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    intake = Intake.objects.get(client=person)
    assert "Robin Hale-Ortiz" in str(intake.answers)
