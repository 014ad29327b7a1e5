"""Issue "measurement-based care", done when — in the demo practice, in a real browser.

After a session, each partner of the couple answers a check-in on a phone-sized window; therapist1 sees the
balance alert and reliable change on the case page and in the case summary; client5 sees their own
progress; the admin makes the outcomes report; neither partner sees anything of the other's.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import BalanceAlert, SessionCheckIn
from clinic.accounts.models import User
from clinic.clients.models import Client
from clinic.demo import DEMO_PASSWORD
from tests.conftest import sign_in as http_sign_in
from tests.factories import current_code, make_device

JO_LINE = "Sam spoke for both of us again, Tamberlow"


@pytest.fixture
def demo(transactional_db, settings):
    settings.TASKS_BACKEND = "immediate"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())


def sign_in(page, base: str, username: str) -> None:
    user = User.objects.get(username=username)
    device = make_device(user) if user.is_staff_member else None
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.get_by_label("Code").fill(current_code(device))
        page.keyboard.press("Enter")


def answer_on_a_phone(browser, base: str, username: str, values: tuple, line: str, screenshot) -> str:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, base, username)
    page.get_by_role("link", name="About your last appointment").click()
    for fieldset, value in zip(page.locator("fieldset.question").all(), values, strict=True):
        fieldset.locator(f"label[for$='-{value}']").click()
    if line:
        page.get_by_label("Anything you would like your therapist to know? (optional)").fill(line)
    screenshot(f"demo-checkin-{username}-360", on=page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you. Your answers have reached your therapist.")).to_be_visible()
    home = page.content()
    context.close()
    return home


def test_measurement_based_care_in_the_demo(demo, browser, page, live_server, screenshot, assert_accessible):
    base = live_server.url
    jo = Client.objects.get(user__username="client1")
    case = jo.cases.get(kind="couple")
    assert BalanceAlert.objects.filter(case=case, client=jo, resolved_at__isnull=True).exists()

    # therapist1 records today's session, held an hour ago.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "therapist1")
    expect(page.locator(".balance-alerts li")).to_contain_text("Jo")
    screenshot("demo-dashboard-balance-alert-1280")
    page.goto(base + reverse("session_new", kwargs={"case_code": case.code}))
    held = timezone.localtime() - timedelta(hours=1, minutes=50)
    page.get_by_label("Date and start time").fill(held.strftime("%Y-%m-%dT%H:%M"))
    # A partner's urgent flag is open in the demo: a conjoint session needs the override and a reason.
    page.get_by_label("Hold this conjoint session although conjoint sessions are not advised").check()
    page.get_by_label("Why a conjoint session now").fill("Both asked to meet together; checked with each alone first.")
    page.get_by_role("button", name="Add and write the note").click()
    expect(page.locator("#session-checkins")).to_contain_text("Not answered yet")
    session = case.sessions.order_by("-created_at").first()
    assert session.checkins.count() == 2

    # Each partner answers on a phone; Jo's answers run lower again.
    answer_on_a_phone(browser, base, "client1", (5, 4, 5, 6, 5), JO_LINE, screenshot)
    sam_home = answer_on_a_phone(browser, base, "client2", (8, 9, 8, 8, 8), "", screenshot)
    assert JO_LINE not in sam_home
    assert set(SessionCheckIn.objects.filter(session=session).values_list("mean", flat=True)) == {5.0, 8.2}

    # The therapist: both answers on the session, the alert and reliable change on the case page.
    page.goto(base + reverse("note_page", kwargs={"code": session.code}))
    expect(page.locator("#session-checkins")).to_contain_text(JO_LINE)
    expect(page.locator("#session-checkins")).to_contain_text("average 8.2")
    page.goto(base + reverse("case_detail", kwargs={"code": case.code}))
    expect(page.locator("#balance-alerts")).to_contain_text("Jo: rates sessions lower than their partner")
    expect(page.locator("#reliable-change")).to_contain_text("Reliably better")
    assert_accessible()
    screenshot("demo-case-page-1280")

    # The case summary (internal) carries both.
    therapist = http_sign_in(HttpClient(), User.objects.get(username="therapist1"))
    pdf = therapist.post(reverse("case_summary", kwargs={"case_code": case.code}), {"purpose": "continuity"})
    summary = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Balance alert: Jo rates sessions lower than their partner" in summary
    assert "Reliably better" in summary and "INTERNAL — NOT FOR RELEASE" in summary

    # Neither partner's pages say anything of the alert or the other's answers.
    for username in ("client1", "client2"):
        http = http_sign_in(HttpClient(), User.objects.get(username=username))
        for url in (reverse("client_home"), reverse("my_progress")):
            body = http.get(url).content.decode()
            assert "alert" not in body.lower() and "lower than" not in body
            if username == "client2":
                assert JO_LINE not in body

    # client5 reads their own progress on a phone.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    casey = context.new_page()
    sign_in(casey, base, "client5")
    casey.get_by_role("link", name="Your progress").click()
    expect(casey.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(casey.locator("figure.chart svg").first).to_be_visible()
    assert casey.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("demo-client5-progress-360", on=casey)
    context.close()

    # The admin makes the outcomes report from the practice's home page.
    admin_context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = admin_context.new_page()
    sign_in(desk, base, "admin")  # an admin lands on the practice's home
    expect(desk.get_by_role("link", name="Outcomes report")).to_be_visible()
    desk.get_by_role("link", name="Outcomes report").click()
    expect(desk.get_by_role("heading", name="Outcomes report")).to_be_visible()
    desk.get_by_label("Internal (exact counts, admins only)").check()
    desk.get_by_role("button", name="Make the PDF").click()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Download").click()
    report = PdfReader(download.value.path())
    words = " ".join(" ".join(p.extract_text() for p in report.pages).split())
    assert "Internal outcomes report" in words and "Balance alerts raised" in words
    assert "practice's own" in words  # alpha from the practice's own questionnaires
    for client in Client.objects.all():
        assert client.full_name not in words
    admin_context.close()
