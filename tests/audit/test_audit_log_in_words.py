import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.flags import raise_flag
from assessments.models import RiskFlag, WarningSign
from clinic.audit.events import record
from clinic.audit.models import Action, AuditEvent
from clinic.audit.reading import short_agent
from clinic.audit.views import safe_cell
from clinic.clients.models import Case, Client
from clinic.reports.models import ReportJob
from clinic.reports.tasks import make_report
from tests.factories import make_case

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def flag_on(client, by) -> RiskFlag:
    sign = WarningSign.objects.create(
        client=client, recorded_by=by, type="weapons", observed_on="2026-11-01", severity="severe",
        source="observed", description="Mentioned a gun in the house.", action_taken="safety_plan",
    )  # fmt: skip
    return raise_flag(client=client, severity=RiskFlag.Severity.ELEVATED, reasons=["U5"], warning_sign=sign)


def body_of(response) -> str:
    return response.content.decode()


def table_of(response) -> str:
    page = body_of(response)
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_each_row_says_who_did_what_to_which_client_when_and_from_where(as_user, admin_user, therapist, person):
    case = Case.objects.get(clients=person)
    record(action=Action.CASE_VIEWED, actor=therapist, target=case)
    record(action=Action.WARNING_SIGNS_VIEWED, actor=therapist, target=person, client=person)
    c = as_user(admin_user)
    response = c.get(reverse("audit_log"), HTTP_USER_AGENT=CHROME)
    table = table_of(response)

    assert "clients.case" not in table and "clients.client" not in table
    assert not UUID.search(table)
    assert escape(f"case {case.label}") in table
    assert person.full_name in table
    assert str(therapist) in table and "Therapist" in table
    assert "Case viewed" in table and "Warning signs read" in table
    # The time in the practice's zone, written the US way.
    event = AuditEvent.objects.get(action=Action.CASE_VIEWED)
    local = timezone.localtime(event.at)
    assert f"{local:%b} {local.day}, {local.year}, " in table


def test_details_are_words_and_leave_out_what_is_clinical(as_user, admin_user, therapist, person):
    record(
        action=Action.PDF_GENERATED,
        actor=therapist,
        target=person,
        client=person,
        detail={"report": "client_summary", "purpose": "continuity of care", "notes": "summary", "from": "2026-05-01"},
    )
    record(action=Action.CASE_REASSIGNED, actor=admin_user, detail={"from": "owner", "to": "colleague"})
    record(
        action=Action.SUPERVISION_CHANGED,
        actor=admin_user,
        target=therapist,
        detail={"supervisor": str(therapist.code)},
    )
    record(action=Action.CHECKIN_SENT, client=person, detail={"worse": True})
    record(
        action=Action.RETENTION_REVIEWED, actor=admin_user, detail={"keep_until": "2033-05-01", "note": "Typed words"}
    )
    table = table_of(as_user(admin_user).get(reverse("audit_log")))
    assert "from: owner; to: colleague" in table
    assert "Document: client summary; purpose: continuity of care; notes included: summary; from: May 1, 2026" in table
    assert "kept until: May 1, 2033" in table
    # What a client answered, a typed note and a record's code are not words of the log.
    assert "worse" not in table and "Typed words" not in table
    assert str(therapist.code) not in table
    assert "{" not in table and "[" not in table


def test_where_shows_the_address_and_a_short_browser_name(as_user, admin_user):
    as_user(admin_user).get(reverse("audit_log"), HTTP_USER_AGENT=CHROME, REMOTE_ADDR="203.0.113.9")
    table = table_of(as_user(admin_user).get(reverse("audit_log")))
    assert "203.0.113.9" in table and "Chrome 131 on Windows" in table
    assert CHROME not in table


@pytest.mark.parametrize(
    ("agent", "words"),
    [
        (CHROME, "Chrome 131 on Windows"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133 on Linux"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari 17 on iPhone",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", ""),
    ],
)
def test_user_agents_are_shortened(agent, words):
    assert short_agent(agent) == words


def test_filters_by_person_client_action_and_dates(as_user, admin_user, therapist, colleague, person, partner):
    case = Case.objects.get(clients=person)
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        record(action=Action.INTAKE_VIEWED, actor=colleague, client=partner)
    record(action=Action.INTAKE_VIEWED, actor=therapist, client=person)
    record(action=Action.CASE_VIEWED, actor=therapist, target=case)
    c = as_user(admin_user)

    def events(**params):
        found = c.get(reverse("audit_log"), params).context["events"]
        return [(e.actor, e.action) for e in found if e.action != Action.CASE_CREATED]

    assert events(actor=therapist.last_name) == [(therapist, Action.CASE_VIEWED), (therapist, Action.INTAKE_VIEWED)]
    assert events(actor="COLLEAGUE") == [(colleague, Action.INTAKE_VIEWED)]
    # A client's name finds events about them and about their cases.
    by_client = events(client=person.full_name.split()[-1].upper())
    assert (therapist, Action.INTAKE_VIEWED) in by_client and (therapist, Action.CASE_VIEWED) in by_client
    assert (colleague, Action.INTAKE_VIEWED) not in by_client
    assert events(action=Action.CASE_VIEWED) == [(therapist, Action.CASE_VIEWED)]
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert (colleague, Action.INTAKE_VIEWED) not in events(date_from=since)
    assert events(date_to=since, actor="colleague") == [(colleague, Action.INTAKE_VIEWED)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "31/31/2026"}, "Enter a date as month/day/year"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "The end date is before the start date"),
        ({"action": "delete_everything"}, "Select a valid choice"),
    ],
)
def test_bad_filters_are_explained_on_the_page_and_refused_for_export(as_user, admin_user, params, message):
    c = as_user(admin_user)
    response = c.get(reverse("audit_log"), params)
    assert message in body_of(response) and response.context["events"] == []
    export = c.get(reverse("audit_export"), params)
    assert export.status_code == 400 and message in body_of(export)
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).exists()


def export_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_holds_the_filtered_rows_in_words_and_is_itself_audited(as_user, admin_user, therapist, person):
    case = Case.objects.get(clients=person)
    record(action=Action.CASE_VIEWED, actor=therapist, target=case)
    record(action=Action.LOGIN, actor=therapist)
    c = as_user(admin_user)
    response = c.get(reverse("audit_export"), {"action": Action.CASE_VIEWED})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    header, *rows = export_rows(response)
    assert header[:4] == ["When", "Who", "Role", "Action"]
    assert [row[1:5] for row in rows] == [[str(therapist), "Therapist", "Case viewed", f"case {case.label}"]]
    exported = AuditEvent.objects.get(action=Action.AUDIT_EXPORTED)
    assert exported.actor == admin_user and exported.detail["rows"] == 1
    assert exported.detail["filters"] == [f"action={Action.CASE_VIEWED}"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_is_made_text(start):
    assert safe_cell(start + "1+1") == "'" + start + "1+1"
    assert safe_cell("Jane " + start) == "Jane " + start


def test_a_client_named_like_a_formula_cannot_run_in_a_spreadsheet(as_user, admin_user, therapist):
    names = ['=HYPERLINK("http://example.com/x","click")', "+1-2", "-3", "@SUM(A1)", "\tTab", "\rReturn"]
    for name in names:
        client = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL).clients.get()
        Client.objects.filter(pk=client.pk).update(full_name=name)
        client.refresh_from_db()
        record(action=Action.INTAKE_VIEWED, actor=therapist, client=client, detail={"purpose": name})
    response = as_user(admin_user).get(reverse("audit_export"), {"action": Action.INTAKE_VIEWED})
    _, *rows = export_rows(response)
    assert len(rows) == len(names)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    clients_column = {row[5] for row in rows}
    assert clients_column == {"'" + name for name in names}
    assert {row[8] for row in rows} == {"purpose: " + name for name in names}


def test_only_admins_export(request, as_user, therapist, supervisor):
    for user in (therapist, supervisor):
        assert as_user(user).get(reverse("audit_export")).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).exists()


def many_events(n: int, therapist, admin_user) -> None:
    for _ in range(n):
        case = make_case(therapist=therapist, by=admin_user)
        client = case.clients.first()
        record(action=Action.CASE_VIEWED, actor=therapist, target=case)
        record(action=Action.INTAKE_VIEWED, actor=therapist, target=client, client=client)
        record(action=Action.STAFF_UPDATED, actor=admin_user, target=therapist)


def test_the_log_page_resolves_names_in_a_fixed_number_of_queries(
    as_user, admin_user, therapist, django_assert_num_queries
):
    c = as_user(admin_user)
    many_events(2, therapist, admin_user)
    with CaptureQueriesContext(connection) as small:
        first = c.get(reverse("audit_log"))
    assert "case " in table_of(first)
    many_events(12, therapist, admin_user)
    with django_assert_num_queries(len(small.captured_queries)):
        c.get(reverse("audit_log"))


def test_the_export_runs_a_fixed_number_of_queries_per_chunk(as_user, admin_user, therapist, django_assert_num_queries):
    c = as_user(admin_user)
    many_events(2, therapist, admin_user)
    with CaptureQueriesContext(connection) as small:
        export_rows(c.get(reverse("audit_export")))
    many_events(12, therapist, admin_user)
    with django_assert_num_queries(len(small.captured_queries)):
        rows = export_rows(c.get(reverse("audit_export")))
    assert len(rows) > 40


# Reads of clinical content that are recorded


def test_the_dashboard_records_one_read_of_its_flag_list(as_user, therapist, person, partner):
    flags = [flag_on(person, therapist), flag_on(partner, therapist)]
    as_user(therapist).get(reverse("dashboard"))
    event = AuditEvent.objects.get(action=Action.FLAGS_LISTED)
    assert event.actor == therapist and event.detail["count"] == 2
    assert sorted(event.detail["flags"]) == sorted(str(f.code) for f in flags)


def test_a_dashboard_without_flags_records_no_flag_read(as_user, therapist, couple_case):
    as_user(therapist).get(reverse("dashboard"))
    assert not AuditEvent.objects.filter(action=Action.FLAGS_LISTED).exists()


def test_downloading_a_background_pdf_is_recorded(as_user, therapist, admin_user, person):
    case = Case.objects.get(clients=person)
    job = ReportJob.objects.create(
        kind="client_summary",
        requested_by=therapist,
        options={
            "case": str(case.code),
            "client": str(person.code),
            "notes": "full",
            "internal": True,
            "purpose": "continuity of care",
            "from": "",
            "to": "",
            "report": "client_summary",
        },
    )
    make_report.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    c = as_user(therapist)
    page = c.get(reverse("report_job", kwargs={"code": job.code}))
    assert page.status_code == 200
    viewed = AuditEvent.objects.get(action=Action.REPORT_VIEWED)
    assert viewed.actor == therapist and viewed.detail["report"] == "client_summary"
    response = c.get(reverse("report_download", kwargs={"code": job.code}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action=Action.PDF_DOWNLOADED)
    assert event.actor == therapist and event.client == person and event.detail["notes"] == "full"


def test_the_waiting_page_of_a_pdf_records_nothing(as_user, admin_user):
    today = timezone.localdate()
    job = ReportJob.objects.create(
        kind="practice", requested_by=admin_user, options={"from": today.isoformat(), "to": today.isoformat()}
    )
    as_user(admin_user).get(reverse("report_job", kwargs={"code": job.code}))
    assert not AuditEvent.objects.filter(action=Action.REPORT_VIEWED).exists()
