"""An admin reads the audit log: rows in words, long names wrap inside their cells, nothing overflows."""

from django.urls import reverse
from playwright.sync_api import expect

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from tests.browser.signing import staff_sign_in


def test_the_audit_log_reads_in_words_and_long_text_wraps(
    page, live_server, admin_user, therapist, couple_case, person, screenshot, assert_accessible
):
    Client.objects.filter(pk=person.pk).update(
        full_name="Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh"
    )
    person.refresh_from_db()
    case = Case.objects.get(pk=couple_case.pk)
    record(action=Action.CASE_VIEWED, actor=therapist, target=case)
    record(
        action=Action.PDF_GENERATED,
        actor=therapist,
        target=person,
        client=person,
        detail={"report": "client_summary", "purpose": "continuity of care", "notes": "summary"},
    )
    for width in (1280, 800):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 1280:
            staff_sign_in(page, live_server.url, admin_user)
            page.wait_for_url("**/practice/")
        page.goto(live_server.url + reverse("audit_log"))
        expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
        table = page.locator("table.audit-table")
        expect(table.get_by_text("PDF generated (disclosure)")).to_be_visible()
        expect(table.get_by_text("Document: client summary; purpose: continuity of care").first).to_be_visible()
        assert "clients.case" not in table.inner_text()
        # The table fits its box: long words wrap instead of pushing it wide.
        widths = page.evaluate(
            "() => { const w = document.querySelector('.table-responsive'); return [w.scrollWidth, w.clientWidth]; }"
        )
        assert widths[0] <= widths[1] + 1, widths
        # An IP address never breaks in the middle.
        ip = table.locator(".audit-ip").first
        box = ip.bounding_box()
        assert box["height"] < 30
        assert_accessible()
        screenshot(f"audit-log-{width}")
    assert page.title().startswith("Audit log · ")


def test_an_admin_opens_a_clients_record_from_the_case_page(
    page, live_server, admin_user, couple_case, person, screenshot, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, admin_user)
    page.wait_for_url("**/practice/")
    page.goto(live_server.url + reverse("case_detail", kwargs={"code": couple_case.code}))
    page.get_by_role("link", name="Client record").first.click()
    expect(page.get_by_role("heading", name=person.full_name)).to_be_visible()
    expect(page.get_by_role("heading", name="Disclosures of this record")).to_be_visible()
    expect(page.get_by_role("heading", name="Risk flags")).to_have_count(0)
    assert page.title().startswith("Client record · ") and person.full_name not in page.title()
    assert_accessible()
    screenshot("admin-client-record-1280")
