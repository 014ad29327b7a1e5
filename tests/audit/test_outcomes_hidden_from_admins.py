"""An admin's view of the audit log says nothing of what a client's answers brought about.

A client's check-in that says the room did not feel safe raises a flag, offers the safety questionnaire
again and (after an earlier low rating) a balance alert; the therapist then reads the flags, acknowledges
the flag, resolves the alert and records a severe warning sign (an urgent flag and its email). Every exit
of the log an admin has — the page, each of its filters, its older pages, its CSV and the count recorded
with it, the practice page's figures — is walked: none holds a row, a word, a count or an order that
differs from a client whose answers raised nothing. The compliance export, made for a stated purpose,
holds it all.
"""

import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from assessments import checkins
from assessments.models import BalanceAlert, RiskFlag
from assessments.rescreening import SAFETY
from assessments.screenings import instrument_of
from clinic.accounts.models import Role
from clinic.audit.events import record
from clinic.audit.models import ALWAYS_OUTCOMES, OUTCOMES, Action, AuditEvent
from clinic.audit.reading import OutcomeInAdminView, describe
from clinic.clients.models import Client
from clinic.plans.exercises import draft_of
from tests.factories import attended_session, checkins_sent, make_case, make_user
from tests.plans.practice_helpers import an_exercise, assign_to

OUTCOME_WORDS = [Action(action).label for action in ALWAYS_OUTCOMES] + [
    "severity",
    "elevated",
    "urgent",
    "session checkin",  # the reason the safety questionnaire was offered again
    "questionnaire: safety",
    "lower",
    "made things worse",
    "rows in the full record",
]
SEVERE_SIGN = {
    "type": "strangulation",
    "observed_on": "2026-11-02",
    "severity": "severe",
    "source": "client_report",
    "description": "Described being choked during an argument last week.",
    "action_taken": "safety_plan",
}


def lines(checkin, value: int, disagree: int) -> dict:
    return {item.id: str(value) for item in checkins.instrument_of(checkin).items} | {"disagree": str(disagree)}


def answered(as_user, therapist, *, alarming: bool, users) -> tuple[Client, Client]:
    """A couple case after two joint sessions; its first partner answers the second check-in in the app.

    Alarming: the first partner rated the earlier session low too, and now says disagreeing did not feel
    safe — a flag, the safety questionnaire again and a balance alert. Otherwise nothing follows.
    """
    low = 5 if alarming else 8
    case = make_case(therapist=therapist, users=users)
    first, second = case.clients.order_by("memberships__id")
    checkins_sent(case, therapist, {first: ("", low), second: ("", 8)})
    session = attended_session(case, by=therapist)
    theirs = session.checkins.get(client=second)
    data = QueryDict(mutable=True)
    data.update(lines(theirs, 8, 8))
    checkins.save_answers(theirs, data)
    checkins.submit(theirs)
    mine = session.checkins.get(client=first)
    response = as_user(users[0]).post(
        reverse("session_checkin", kwargs={"code": mine.code}), lines(mine, low, 3 if alarming else 8)
    )
    assert response.status_code in (200, 302)
    assert mine.__class__.objects.get(pk=mine.pk).submitted_at is not None
    return first, second


def log(c, **filters):
    response = c.get(reverse("audit_log"), filters)
    assert response.status_code == 200
    return response


def table_of(response) -> str:
    page = response.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def shape(rows, names: dict[str, str]) -> list[tuple]:
    """Rows without their times, each client's name replaced by a stand-in: what two cases can be compared by."""

    def plain(text: str) -> str:
        for name, stand_in in names.items():
            text = text.replace(name, stand_in)
        return text

    return [(plain(r.who), r.role, r.did, plain(r.record), plain(r.client), r.details) for r in rows]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))[1:]


@pytest.fixture
def worlds(as_user, therapist):
    """Two couples: Ann's answers raise a flag, an alert and the safety questionnaire; Bea's raise nothing."""
    ann, ann_partner = answered(
        as_user, therapist, alarming=True, users=[make_user(Role.CLIENT), make_user(Role.CLIENT)]
    )
    bea, bea_partner = answered(
        as_user, therapist, alarming=False, users=[make_user(Role.CLIENT), make_user(Role.CLIENT)]
    )
    # The answers did what they do (checked, so the walk below walks something).
    assert RiskFlag.objects.filter(client=ann).count() == 1 and not RiskFlag.objects.filter(client=bea).exists()
    assert BalanceAlert.objects.filter(client=ann).count() == 1 and not BalanceAlert.objects.exclude(client=ann)
    assert ann.screenings.open().filter(instrument_key=SAFETY).exists()
    assert not bea.screenings.open().filter(instrument_key=SAFETY).exists()
    return ann, ann_partner, bea, bea_partner


def test_the_admins_log_of_a_client_whose_answers_raised_a_flag_reads_as_one_whose_answers_raised_nothing(
    as_user, admin_user, worlds
):
    ann, ann_partner, bea, bea_partner = worlds
    c = as_user(admin_user)
    ann_rows = log(c, client=ann.full_name).context["rows"]
    bea_rows = log(c, client=bea.full_name).context["rows"]

    def names(first, second) -> dict[str, str]:
        return {
            str(first.user): "X's login",
            str(second.user): "Y's login",
            first.full_name: "X",
            second.full_name: "Y",
        }

    assert shape(ann_rows, names(ann, ann_partner)) == shape(bea_rows, names(bea, bea_partner))
    assert "Session check-in sent by the client" in [r.did for r in ann_rows]
    # The exports of each, and the number of rows each export recorded.
    ann_csv = csv_rows(c.get(reverse("audit_export"), {"client": ann.full_name}))
    bea_csv = csv_rows(c.get(reverse("audit_export"), {"client": bea.full_name}))
    assert len(ann_csv) == len(ann_rows) and [row[2:4] + row[8:] for row in ann_csv] == [
        row[2:4] + row[8:] for row in bea_csv
    ]
    counts = [e.detail["rows"] for e in AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).order_by("id")]
    assert counts == [len(ann_csv), len(bea_csv)] and counts[0] == counts[1]


def test_an_exercise_check_in_that_made_things_worse_leaves_the_rows_a_calm_one_leaves(as_user, therapist, admin_user):
    # A calm one ends on the exercise's page, one that made things worse on the help page: only the opening
    # of the exercise page by the client is recorded, and the page that answers a send is not an opening.
    exercise = an_exercise()
    shapes = {}
    for worse in (True, False):
        user = make_user(Role.CLIENT)
        case = make_case(therapist=therapist, kind="individual", users=[user])
        client = case.clients.get()
        assignment = assign_to(case, client, by=therapist, exercise=exercise)
        http = as_user(user)
        page = reverse("my_practice", kwargs={"code": assignment.code})
        assert http.get(page).status_code == 200
        data = {"tried": "partly", "text": "It went as it went", "version": draft_of(assignment).revision}
        http.post(page, data | ({"made_things_worse": "on"} if worse else {}), follow=True)
        assert RiskFlag.objects.filter(client=client).exists() == worse
        rows = log(as_user(admin_user), client=client.full_name).context["rows"]
        shapes[worse] = shape(rows, {str(user): "X's login", client.full_name: "X"})
    assert shapes[True] == shapes[False]
    assert [did for _, _, did, *_ in shapes[True]][:2] == [
        "Exercise check-in sent by the client",
        "Exercise opened by the client",
    ]


def therapist_handles_it(c, ann, django_capture_on_commit_callbacks):
    """The treating therapist reads the flags, acknowledges and resolves the flag, resolves the alert, records a
    severe warning sign (an urgent flag, its email) and still holds a joint session, over the urgent flag."""
    flag = RiskFlag.objects.get(client=ann)
    assert c.get(reverse("dashboard")).status_code == 200
    c.post(reverse("flag_acknowledge", kwargs={"code": flag.code}), {"note": "Called; safe for now."})
    c.post(reverse("flag_resolve", kwargs={"code": flag.code}), {"note": "Talked it through alone."})
    alert = BalanceAlert.objects.get(client=ann)
    c.post(reverse("balance_alert_resolve", kwargs={"code": alert.code}), {"note": "Asked Ann first."})
    case = ann.cases.get()
    url = reverse("warning_sign_new", kwargs={"case_code": case.code, "client_code": ann.code})
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(url, SEVERE_SIGN).status_code == 302
    yesterday = timezone.localtime() - timedelta(days=1)
    session = {
        "starts_at": yesterday.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "50",
        "format": "conjoint",
        "individual_client": "",
        "modality": "in_person",
        "attendance": "attended",
        "override": "on",
        "override_reason": "Both asked to agree the handover together.",
    }
    assert c.post(reverse("session_new", kwargs={"case_code": case.code}), session).status_code == 302
    assert RiskFlag.objects.get(pk=flag.pk).status == RiskFlag.Status.RESOLVED


def ann_answers_again_and_it_is_read(as_user, therapist, ann) -> None:
    """Ann answers the safety questionnaire she was offered again; the therapist reads the answers."""
    screening = ann.screenings.open().get(instrument_key=SAFETY)
    calm = {i.id: str(4 if i.reversed else 0) for i in instrument_of(screening).items}
    as_user(ann.user).post(reverse("questions", kwargs={"code": screening.code}), calm)
    screening.refresh_from_db()
    assert screening.is_submitted
    kwargs = {"case_code": ann.cases.get().code, "client_code": ann.code, "code": screening.code}
    assert as_user(therapist).get(reverse("screening_result", kwargs=kwargs)).status_code == 200
    follows = AuditEvent.objects.filter(target_id=str(screening.code))
    assert {e.action for e in follows} == {
        Action.SCREENING_ASSIGNED,
        Action.SCREENING_SUBMITTED,
        Action.SCREENING_VIEWED,
    }


def test_no_exit_of_the_admins_log_holds_an_outcome(
    as_user, therapist, admin_user, worlds, django_capture_on_commit_callbacks
):
    ann = worlds[0]
    therapist_handles_it(as_user(therapist), ann, django_capture_on_commit_callbacks)
    ann_answers_again_and_it_is_read(as_user, therapist, ann)
    kept = set(AuditEvent.objects.values_list("action", flat=True))
    assert set(ALWAYS_OUTCOMES) <= kept, set(ALWAYS_OUTCOMES) - kept
    assert AuditEvent.objects.filter(action=Action.SCREENING_ASSIGNED, detail__reason="session_checkin").exists()
    c = as_user(admin_user)

    def clean(response) -> None:
        assert not [e for e in response.context["events"] if e.is_outcome]
        table = table_of(response)
        for word in OUTCOME_WORDS:
            assert word not in table, word

    # The page, by client, by person, by dates, and by every action it offers.
    first = log(c)
    clean(first)
    clean(log(c, client=ann.full_name))
    clean(log(c, actor=therapist.username))
    today = timezone.localdate().isoformat()
    clean(log(c, date_from=today, date_to=today))
    offered = [value for value, _ in first.context["form"].fields["action"].choices if value]
    assert not set(offered) & ALWAYS_OUTCOMES
    for action in offered:
        clean(log(c, action=action))
    select = first.content.decode()
    select = select[select.index('name="action"') : select.index("</select>")]
    for action in ALWAYS_OUTCOMES:
        assert f'value="{action}"' not in select and Action(action).label not in select
    # Asking for an outcome by its name in the address finds nothing.
    refused = log(c, action=Action.FLAG_RAISED)
    assert refused.context["events"] == [] and "Select a valid choice" in refused.content.decode()
    # Older pages, walked to the end.
    for _ in range(60):
        record(action=Action.LOGIN, actor=therapist)
    page, seen = log(c, client=ann.full_name), []
    page = c.get(reverse("audit_log"))
    while True:
        clean(page)
        seen += page.context["events"]
        if not page.context["older"]:
            break
        page = c.get(reverse("audit_log") + "?" + page.context["older"])
    assert len(seen) == AuditEvent.objects.seen_by_admins().filter(at__lte=seen[0].at).count()
    # The CSV, and the count recorded with it.
    export = c.get(reverse("audit_export"))
    rows = csv_rows(export)
    text = "\n".join(",".join(row) for row in rows)
    for word in OUTCOME_WORDS:
        assert word not in text, word
    exported = AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).latest("id")
    assert (
        exported.detail["rows"] == len(rows) == AuditEvent.objects.seen_by_admins().filter(id__lt=exported.id).count()
    )


def test_the_compliance_export_holds_the_full_record_for_a_stated_purpose(
    as_user, therapist, admin_user, worlds, django_capture_on_commit_callbacks
):
    ann = worlds[0]
    therapist_handles_it(as_user(therapist), ann, django_capture_on_commit_callbacks)
    c = as_user(admin_user)
    response = c.post(reverse("audit_export_full"), {"client": ann.full_name, "purpose": "complaint"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="audit-log-full-' in response["Content-Disposition"]
    rows = csv_rows(response)
    did = [row[3] for row in rows]
    for action in (Action.FLAG_RAISED, Action.FLAG_ACKNOWLEDGED, Action.BALANCE_ALERT_RAISED):
        assert Action(action).label in did, action
    details = " | ".join(row[8] for row in rows)
    assert "severity: elevated" in details and "severity: urgent" in details and "reason: lower" in details
    assert "questionnaire: safety" in details and "reason: session checkin" in details
    full = AuditEvent.objects.get(action=Action.AUDIT_FULL_EXPORTED)
    assert full.actor == admin_user and full.detail["purpose"] == "Looking into a complaint or an incident"
    assert full.detail["filters"] == [f"client={ann.full_name}"] and full.detail["all_rows"] == len(rows)
    # Other admins see that it was made, why and for which filters; not how many rows the full record held,
    # which beside their own count for the same filters would count what they do not see.
    table = table_of(log(as_user(make_user(Role.ADMIN)), action=Action.AUDIT_FULL_EXPORTED))
    assert "Audit log exported in full" in table and "purpose: Looking into a complaint or an incident" in table
    assert f"filters: client={ann.full_name}" in table
    assert not re.search(r"rows\b", table)


def test_the_compliance_export_needs_a_purpose_and_records_nothing_without_one(as_user, admin_user, worlds):
    c = as_user(admin_user)
    for data, message in (({}, "This field is required"), ({"purpose": "other"}, "Say what the purpose is")):
        response = c.post(reverse("audit_export_full"), data)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert message in response.content.decode()
        clean_table = table_of(response)
        assert "Risk flag raised" not in clean_table
    assert not AuditEvent.objects.filter(action=Action.AUDIT_FULL_EXPORTED).exists()
    other = c.post(reverse("audit_export_full"), {"purpose": "other", "purpose_other": "Board's yearly check"})
    assert other.status_code == 200 and other["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.get(action=Action.AUDIT_FULL_EXPORTED).detail["purpose"] == "Board's yearly check"


@pytest.mark.parametrize("who", ["therapist", "supervisor", "client_user"])
def test_only_admins_make_the_compliance_export(request, as_user, who):
    c = as_user(request.getfixturevalue(who))
    assert c.post(reverse("audit_export_full"), {"purpose": "legal"}).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.AUDIT_FULL_EXPORTED).exists()


def test_the_compliance_export_is_posted_never_asked_by_address(as_user, admin_user):
    assert as_user(admin_user).get(reverse("audit_export_full"), {"purpose": "legal"}).status_code == 405
    assert not AuditEvent.objects.filter(action=Action.AUDIT_FULL_EXPORTED).exists()


def test_the_practice_pages_flag_figures_do_not_move_on_the_day_of_the_answers(
    as_user, therapist, admin_user, worlds, django_capture_on_commit_callbacks
):
    def figures() -> str:
        page = as_user(admin_user).get(reverse("practice_home")).content.decode()
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
        start = text.index("Risk flags")
        return text[start : text.index(".", start)]

    before = figures()
    assert before == "Risk flags at the start of today: 0 not acknowledged, 0 not resolved"
    therapist_handles_it(as_user(therapist), worlds[0], django_capture_on_commit_callbacks)
    assert figures() == before
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        # The first flag was resolved; the urgent one from the warning sign waits.
        assert figures() == "Risk flags at the start of today: 1 not acknowledged, 1 not resolved"


# The declaration


def row(action, detail=None, target=("", "")) -> AuditEvent:
    return AuditEvent.objects.create(action=action, detail=detail or {}, target_type=target[0], target_id=target[1])


def test_the_declaration_decides_each_kind_of_row(db):
    again, first, flag, session = (("assessments.screening", "s-again"), ("assessments.screening", "s-first"),
                                   ("assessments.riskflag", "f-1"), ("notes.therapysession", "t-1"))  # fmt: skip
    outcome = {
        "flag": row(Action.FLAG_RAISED, {"severity": "elevated", "reasons": ["S1"]}, flag),
        "a later row about the flag": row(Action.PDF_DOWNLOADED, {}, flag),
        "flag handled, no detail": row(Action.FLAG_RESOLVED),
        "flags listed": row(Action.FLAGS_LISTED, {"count": 2}),
        "alert": row(Action.BALANCE_ALERT_RAISED, {"reason": "drop"}),
        "safety again": row(Action.SCREENING_ASSIGNED, {"instrument": "safety", "reason": "therapist"}, again),
        "its answers": row(Action.SCREENING_SUBMITTED, {"instrument": "safety", "version": 1}, again),
        "its answers read": row(Action.SCREENING_VIEWED, {}, again),
        "joint session over a flag": row(Action.CONJOINT_OVERRIDE, {}, session),
    }
    not_outcome = {
        "safety first": row(Action.SCREENING_ASSIGNED, {"instrument": "safety", "version": 1}, first),
        "its first answers": row(Action.SCREENING_SUBMITTED, {"instrument": "safety", "version": 1}, first),
        "power on its rhythm": row(Action.SCREENING_ASSIGNED, {"instrument": "power", "reason": "rhythm"}),
        "no instrument": row(Action.SCREENING_ASSIGNED, {"reason": "therapist"}),
        "a screening row with no record": row(Action.SCREENING_VIEWED, {}, ("assessments.screening", "")),
        "the session itself": row(Action.SESSION_CREATED, {}, session),
        "check-in sent": row(Action.SESSION_CHECKIN_SENT, {"instrument": "checkin", "version": 1}),
        "sign-in": row(Action.LOGIN),
    }
    hidden = set(AuditEvent.objects.outcomes().values_list("pk", flat=True))
    shown = set(AuditEvent.objects.seen_by_admins().values_list("pk", flat=True))
    assert {name for name, e in outcome.items() if e.pk not in hidden or e.pk in shown} == set()
    assert {name for name, e in not_outcome.items() if e.pk in hidden or e.pk not in shown} == set()
    assert outcome["its answers"].is_outcome and not not_outcome["its first answers"].is_outcome


def test_a_row_of_an_outcome_handed_to_an_admins_reading_is_refused(therapist, person):
    event = record(action=Action.FLAG_RAISED, actor=therapist, client=person, detail={"severity": "urgent"})
    with pytest.raises(OutcomeInAdminView):
        describe([event])
    (row,) = describe([event], full=True)
    assert row.did == "Risk flag raised" and "severity: urgent" in row.details


def test_the_declaration_names_the_safety_questionnaire_by_its_key_and_records_by_their_labels():
    from assessments.models import BalanceAlert, RiskFlag, Screening, WarningSign
    from clinic.audit.models import FOLLOWING

    assert OUTCOMES[Action.SCREENING_ASSIGNED]["instrument"] == SAFETY
    assert set(FOLLOWING) == {m._meta.label_lower for m in (Screening, RiskFlag, BalanceAlert, WarningSign)}


def test_whatever_reads_the_log_outside_the_audit_app_reads_it_through_the_admins_view():
    """The audit pages gate their own reading; anything else that reads rows (the client record's list of
    disclosures, which admins open) asks for them through a method that starts from `seen_by_admins()`."""
    from pathlib import Path

    gated = {"seen_by_admins", "disclosures_of"}
    root = Path(__file__).resolve().parents[2]
    readings = []
    for folder in ("clinic", "assessments", "intake"):
        for path in (root / folder).rglob("*.py"):
            if "migrations" in path.parts or path.is_relative_to(root / "clinic" / "audit"):
                continue
            text = path.read_text()
            assert "audit.reading" not in text, path
            for match in re.finditer(r"\bAuditEvent\b(\.objects\.(\w+))?", text):
                line = text[text.rfind("\n", 0, match.start()) + 1 : text.find("\n", match.end())]
                if not line.startswith(("from ", "import ")):
                    readings.append((str(path.relative_to(root)), match.group(2)))
    assert readings and {method for _, method in readings} <= gated, readings
