"""The calendar in a real browser: the week by keyboard on a laptop and a tablet, and issue "appointments"
done when, in the demo practice."""

import contextlib
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from clinic.appointments.models import Appointment, ConsultationSlot, Reminder
from clinic.appointments.reminders import send_due
from clinic.clients.models import Client
from clinic.lib.neutral import care_words
from intake import inquiries
from intake.models import Inquiry
from tests.browser.test_measurement_in_the_demo import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings, monkeypatch):
    settings.TASKS_BACKEND = "immediate"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    # The demo's session "that has just ended" began 62 minutes ago: run just after midnight, that was yesterday
    # and today's list is empty. Such a run moves to 02:00 (forward only: a browser clock ahead of the server's
    # would find the sign-in cookie already out of date).
    now = timezone.localtime()
    early = now.hour < 2
    with time_machine.travel(now.replace(hour=2, minute=0), tick=True) if early else contextlib.nullcontext():
        call_command("seed_demo", stdout=io.StringIO())
        yield


def test_the_week_by_keyboard_on_a_laptop_and_a_tablet(demo, page, live_server, screenshot, assert_accessible):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "therapist1")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", name=re.compile("^Week of"))).to_be_visible()
    assert_accessible()
    screenshot("calendar-week-1280")
    # From the top of the page, Tab reaches every appointment in order, and Enter opens it.
    first = page.locator("a.appointment-link").first
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('appointment-link')"):
            break
    else:
        pytest.fail("Tab never reached an appointment")
    expect(first).to_be_focused()
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none", "the focused appointment shows no outline"
    screenshot("calendar-week-focus-1280", full_page=False)
    target = first.get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # A booked appointment opens its page; an attended one, its note.
    assert page.url.endswith(target) or "/sessions/" in page.url, page.url
    # The next week, by keyboard too.
    page.goto(base + reverse("calendar_week"))
    page.get_by_role("link", name="Next week →").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("^Week of"))).to_be_visible()
    # A tablet: the days stack in two columns, nothing runs off the side.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(base + reverse("calendar_week"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    assert_accessible()
    screenshot("calendar-week-768")


def test_appointments_in_the_demo(demo, browser, page, live_server, screenshot, assert_accessible):
    base = live_server.url
    jo = Client.objects.get(user__username="client1")
    case = jo.cases.get(kind="couple")

    # therapist1 opens the dashboard to today's appointments and records the session that just ended.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "therapist1")
    today = page.locator("#today")
    expect(today).to_contain_text("Jo & Sam")
    expect(today).to_contain_text("Record what happened")
    screenshot("demo-dashboard-today-1280")
    today.get_by_role("link").filter(has_text="Jo & Sam").first.click()
    page.get_by_label("Attended").check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded as attended. Write the note here.")).to_be_visible()
    ended = Appointment.objects.get(case=case, status="attended")
    assert ended.session is not None and f"/{ended.session.code}/" in page.url
    screenshot("demo-note-of-the-session-just-ended-1280")

    # ... books next week's conjoint session, and is warned while Jo's urgent flag is open.
    page.goto(base + reverse("appointment_book", kwargs={"case_code": case.code}))
    expect(page.locator("#conjoint-paused")).to_contain_text("An urgent flag on a partner is not resolved")
    next_week = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    when = f"{(next_week + timedelta(days=2)).isoformat()}T11:00"
    page.get_by_label("Date and start time").fill(when)
    page.get_by_role("button", name="Book").click()
    expect(page.locator("#error-summary")).to_contain_text("Conjoint sessions are not advised")
    assert page.get_by_label("Date and start time").input_value() == when
    page.get_by_label("Hold this conjoint appointment although conjoint sessions are not advised").check()
    page.get_by_label("Why a conjoint session now").fill("Both asked; Jo's individual check first, same day.")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("Booked:")).to_be_visible()
    expect(page.locator(".appointment-paused").first).to_contain_text("Urgent flag open")
    assert_accessible()
    screenshot("demo-week-after-booking-1280")

    # ... and subscribes to their feed, which a calendar app reads without signing in.
    page.goto(base + reverse("calendar_feed"))
    page.get_by_role("button", name="Turn it on").click()
    address = page.locator("#feed-url").input_value()
    screenshot("demo-feed-on-1280")
    feed = HttpClient().get(address.replace(base, ""))
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert events and all(str(e["SUMMARY"]).startswith("Appointment ") for e in events)
    assert "Avery" not in feed.content.decode() and care_words(feed.content.decode()) == []

    # client1 sees their next appointment in neutral words on a phone, and gets reminders only by email.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    phone = context.new_page()
    sign_in(phone, base, "client1")
    expect(phone.locator(".next-appointment")).to_contain_text("Appointment with your practice —")
    phone.get_by_role("link", name="Your appointments").click()
    expect(phone.locator(".my-appointment").first).to_be_visible()
    words = phone.locator("main").inner_text()
    assert care_words(words) == [] and "Sam" not in words
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(on=phone)
    screenshot("demo-client1-appointments-360", on=phone)
    context.close()
    jo_reminders = Reminder.objects.filter(client=jo)
    assert jo_reminders.exists() and set(jo_reminders.values_list("channel", flat=True)) == {"email"}
    assert not Reminder.objects.filter(client__user__username="client2").exists()
    first = jo_reminders.filter(status="pending").order_by("due_at").first()
    mail.outbox.clear()
    send_due(now=first.due_at)
    assert [m.to for m in mail.outbox if m.to == [jo.email]]
    assert all(care_words(m.subject + m.body) == [] for m in mail.outbox)

    # A visitor books a free consultation on Get started.
    visitor = browser.new_context(viewport={"width": 360, "height": 740})
    start = visitor.new_page()
    start.goto(base + reverse("inquiry_start"))
    start.get_by_label("Your name, or a name we can use").fill("Robin")
    start.get_by_role("radio", name="Email").check()
    start.get_by_label("Phone number or email address").fill("robin@example.org")
    start.get_by_label("A few lines about what brings you").fill("We would like to talk about how we decide things.")
    times = start.locator("#consultation-times input[type=radio]")
    times.nth(1).check()
    start.get_by_label("I agree to be contacted in the way I chose above").check()
    screenshot("demo-get-started-consultation-360", on=start)
    start.get_by_role("button", name="Send").click()
    expect(start).to_have_url(re.compile(reverse("inquiry_thanks")))
    # The thank-you names the time asked for, with the time zone, and how it will be confirmed.
    expect(start.locator("#consultation-asked")).to_contain_text("Los Angeles time")
    expect(start.locator("#consultation-asked")).to_contain_text("by email")
    screenshot("demo-get-started-thanks-360", on=start)
    # Kept from others while it waits for the visitor to confirm it by the link sent to them.
    chosen = ConsultationSlot.objects.get(status="pending")
    assert chosen.inquiry == Inquiry.objects.get(name="Robin")
    (asking,) = [m for m in mail.outbox if m.to == ["robin@example.org"]]
    link = re.search(r"https?://\S+/start/confirm/\S+/", asking.body)[0]
    start.goto(link)
    expect(start.get_by_role("heading", name="Confirm your time")).to_be_visible()
    assert_accessible(on=start)
    screenshot("demo-consultation-confirm-360", on=start)
    start.get_by_role("button", name="Confirm").click()
    expect(start.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(start.locator("main")).to_contain_text("You have confirmed")
    screenshot("demo-consultation-confirmed-360", on=start)
    chosen.refresh_from_db()
    assert chosen.status == "held"
    visitor.close()
    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    again = wide.new_page()
    again.goto(link)
    expect(again.locator("main")).to_contain_text("You have confirmed")
    screenshot("demo-consultation-confirmed-1280", on=again)
    wide.close()
