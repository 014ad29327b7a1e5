"""With an urgent flag unresolved, a therapist adding a conjoint session sees why and must override with a reason."""

from django.urls import reverse
from playwright.sync_api import expect

from assessments.flags import raise_flag
from assessments.models import RiskFlag, WarningSign
from clinic.notes.models import TherapySession
from tests.browser.signing import staff_sign_in


def test_a_conjoint_session_needs_the_override_and_keeps_what_was_typed(
    page, live_server, therapist, couple_case, partner, screenshot, assert_accessible
):
    sign = WarningSign.objects.create(
        client=partner, recorded_by=therapist, type="threats", observed_on="2026-11-01", severity="severe",
        source="client_report", description="Threatened in the car park.", action_taken="safety_plan",
    )  # fmt: skip
    raise_flag(client=partner, severity=RiskFlag.Severity.URGENT, reasons=["warning_sign:threats"], warning_sign=sign)
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("session_new", kwargs={"case_code": couple_case.code}))
    expect(page.get_by_text("Conjoint sessions not advised until reviewed.")).to_be_visible()
    page.get_by_label("Date and start time").fill("2026-11-20T14:00")
    page.get_by_label("Duration (minutes)").fill("75")
    page.get_by_role("button", name="Add and write the note").click()
    expect(page.get_by_text("tick this box and give your reason").first).to_be_visible()
    expect(page.get_by_label("Duration (minutes)")).to_have_value("75")
    assert_accessible()
    screenshot("session-conjoint-refused-1280")
    page.get_by_label("Hold this conjoint session although conjoint sessions are not advised").check()
    page.get_by_label("Why a conjoint session now").fill(
        "Both asked to agree the handover; checked with Jo alone first."
    )
    page.get_by_role("button", name="Add and write the note").click()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    session = TherapySession.objects.get()
    assert session.conjoint_override_reason.startswith("Both asked") and session.duration_minutes == 75
