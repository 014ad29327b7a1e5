"""Who may use every URL: one row per URL pattern, asked as each demo user with real ids.

The demo practice is seeded once for the module (and rolled back at its
end). Each URL is filled with ids from the demo's own records — mostly
therapist1's couple client1 + client2 — and requested as anonymous,
client1, client2 (client1's partner), client5, therapist1, therapist2,
supervisor and admin, by GET and by POST. The expected answer is written
down per user:

    ok     200 (a page, or a form shown again with its errors)
    empty  204 (done, nothing to show)
    moved  a redirect that is not to the sign-in page (done, or sent on)
    refused  such a redirect back with an explanation, having changed nothing
    login  a redirect to the sign-in page
    404    not found: nothing about the record is revealed
    405    the method is not offered
    gone   410 (a finished PDF asked for when it is no longer there)

A row about a kind of record takes its answers from the reach table
(clinic/accounts/reach.py), which says what each relation to the demo couple's
case reaches: therapist1 treats it, therapist2 is a colleague, the supervisor
supervises therapist1, client1 is the client whose records the rows name and
client2 their partner. So a page that answers otherwise than the table fails
here, and so does a change to the table that the pages do not follow.

A URL pattern without a row fails the build. A POST that is refused (login,
404, 405) must change nothing: every table's row count, the audit log
included, is the same before and after.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse

from clinic.accounts import reach
from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level, Relation
from tests.browserlike import BrowserLikeClient
from tests.conftest import sign_in
from tests.test_url_protection import ALL

USERS = ["anonymous", "client1", "client2", "client5", "therapist1", "therapist2", "supervisor", "admin"]
CLIENTS = ["client1", "client2", "client5"]
STAFF = ["therapist1", "therapist2", "supervisor", "admin"]


def who(default: str, **overrides: str) -> dict[str, str]:
    """Expected answers: `default` for every signed-in user, "login" for anonymous, then overrides."""
    expected = {user: default for user in USERS}
    expected["anonymous"] = "login"
    expected.update(overrides)
    return expected


def public(answer: str = "ok", **overrides: str) -> dict[str, str]:
    return {**{user: answer for user in USERS}, **overrides}


def only(*users: str, answer: str = "ok", others: str = "404") -> dict[str, str]:
    """`users` get `answer`, every other signed-in user `others`, anonymous visitors the sign-in page."""
    return who(others, **dict.fromkeys(users, answer))


THERAPISTS = ("therapist1", "therapist2", "supervisor")
# Typical access patterns.
ADMIN_ONLY = only("admin")
STAFF_ONLY = only(*STAFF)
NOT_OFFERED = public("405", anonymous="login")


def not_offered_to(*users: str) -> dict[str, str]:
    """A method the view does not take: 405 for the roles the view serves, 404 for everyone else."""
    return only(*users, answer="405")


# How each demo user stands to therapist1's couple case (client1 + client2) and to client1's records.
RELATION = {
    "therapist1": Relation.TREATING,
    "therapist2": Relation.COLLEAGUE,
    "supervisor": Relation.SUPERVISOR,
    "admin": Relation.ADMIN,
    "client1": Relation.CLIENT,
    "client2": Relation.PARTNER,
    "client5": None,  # a client of another case: nothing of this one
}
ROLE = {"therapist1": Role.THERAPIST, "therapist2": Role.THERAPIST, "supervisor": Role.THERAPIST, "admin": Role.ADMIN}


def reaching(kind: Kind, level: Level = Level.READ, answer: str = "ok") -> dict[str, str]:
    """A staff page about the couple's records of `kind`: `answer` for the staff the reach table lets reach them
    at `level`, 404 for every other signed-in user (clients reach their records through their own pages)."""
    return only(*[u for u in STAFF if reach.allows(RELATION[u], kind, level)], answer=answer)


def reach_not_offered(kind: Kind, level: Level = Level.READ) -> dict[str, str]:
    """A method a staff page about `kind` does not take: 405 for the staff roles the table says it serves."""
    roles = reach.staff_roles(kind, level)
    return not_offered_to(*[u for u in STAFF if ROLE[u] in roles])


def own_reaching(kind: Kind, level: Level = Level.READ, answer: str = "ok") -> dict[str, str]:
    """A client's own page about client1's record of `kind`: client1 as the client, client2 as their partner,
    as the reach table says; everyone else 404."""
    return only(*[u for u in CLIENTS if reach.allows(RELATION[u], kind, level)], answer=answer)


@dataclass
class Row:
    kwargs: Callable[[dict], dict] = lambda ids: {}
    get: dict[str, str] = field(default_factory=dict)
    post: dict[str, str] = field(default_factory=lambda: NOT_OFFERED)
    data: Callable[[dict], dict] = lambda ids: {}


# The link a visitor is sent to confirm a consultation time they chose (only its hash is stored).
CONSULTATION_LINK = "c" * 43


def consultation_link(ids):
    """A visitor who chose one of therapist1's open times, and the link that confirms it."""
    from clinic.appointments.models import ConsultationSlot
    from intake.models import Inquiry

    Inquiry.objects.get_or_create(
        confirm_token_hash=Inquiry.hash_token(CONSULTATION_LINK),
        defaults={
            "name": "Visitor",
            "contact_method": "email",
            "contact_value": "visitor@example.org",
            "message": "A few words.",
            "consent_to_contact": True,
            "consultation_at": ConsultationSlot.objects.get(code=ids["slot"]).starts_at,
        },
    )
    return {"token": CONSULTATION_LINK}


def case(ids):
    return {"code": ids["case"]}


def case_code(ids):
    return {"case_code": ids["case"]}


def client1(ids):
    return {"case_code": ids["case"], "client_code": ids["client1"]}


def session(ids):
    return {"code": ids["session"]}


def flag(ids):
    return {"code": ids["flag"]}


def job(ids):
    return {"code": ids["job"]}


def demo_release(ids):
    """A release of client1's record prepared by the admin, waiting for therapist1's review."""
    from clinic.clients.models import Client
    from clinic.releases.models import Release

    client = Client.objects.get(code=ids["client1"])
    release, _ = Release.objects.get_or_create(
        case=client.cases.get(code=ids["case"]),
        client=client,
        kind="summary",
        purpose="client_request",
        defaults={"recipient_name": client.full_name, "prepared_by": ids["users"]["admin"], "options": {}},
    )
    return {"code": release.code}


def demo_authorization(ids):
    """client1's authorization for their partner, as recorded from paper."""
    from datetime import timedelta

    from django.utils import timezone

    from clinic.clients.models import Client
    from clinic.releases.models import ReleaseAuthorization

    client = Client.objects.get(code=ids["client1"])
    case = client.cases.get(code=ids["case"])
    authorization, _ = ReleaseAuthorization.objects.get_or_create(
        case=case,
        authorizing_client=client,
        recipient_kind="partner",
        defaults={
            "recipient_client": case.clients.exclude(pk=client.pk).get(),
            "scope": "conjoint_notes",
            "signed_on": timezone.localdate(),
            "expires_on": timezone.localdate() + timedelta(days=30),
            "method": "paper",
            "recorded_by": ids["users"]["therapist1"],
        },
    )
    return {"code": authorization.code}


def demo_plan(ids):
    """The couple's case with a signed plan and no draft (what the demo has, or one signed here)."""
    from clinic.clients.models import Case
    from clinic.plans.models import Goal, PlanVersion
    from clinic.plans.planning import sign_version, start_plan

    couple = Case.objects.get(code=ids["case"])
    therapist = ids["users"]["therapist1"]
    for draft in PlanVersion.objects.filter(plan__case=couple, status=PlanVersion.Status.DRAFT):
        draft.goals.all().delete()
        draft.delete()
    if not PlanVersion.objects.filter(plan__case=couple, status=PlanVersion.Status.SIGNED).exists():
        version = start_plan(case=couple, by=therapist)
        Goal.objects.create(version=version, practice="repair", statement="Repair", progress_shows="Talks")
        PlanVersion.objects.filter(pk=version.pk).update(
            safety_included=True, safety_individual_first=True, safety_conjoint_paused=True, safety_planning="Plan"
        )
        version.refresh_from_db()
        sign_version(version=version, by=therapist)
    return {"code": couple.code}


def demo_assignment(ids):
    """An exercise assigned to client1 now (the demo's own, or one made here): never client2's to open."""
    from datetime import timedelta

    from django.utils import timezone

    from clinic.clients.models import Client
    from clinic.plans.exercises import assign
    from clinic.plans.models import Assignment
    from tests.plans.practice_helpers import library_exercise

    client = Client.objects.get(code=ids["client1"])
    assignment = Assignment.objects.current().filter(client=client, case__code=ids["case"]).first()
    if assignment is None:
        today = timezone.localdate()
        (assignment,) = assign(
            case=client.cases.get(code=ids["case"]),
            clients=[client],
            exercise=library_exercise(),
            starts_on=today,
            ends_on=today + timedelta(days=7),
            by=ids["users"]["therapist1"],
        )
    return {"code": assignment.code}


def an_exercise(ids):
    from tests.plans.practice_helpers import library_exercise

    return {"code": library_exercise().code}


def admin_post(kwargs, answer: str = "moved") -> Row:
    """A POST-only admin action on a demo record."""
    return Row(kwargs, get=not_offered_to("admin"), post=only("admin", answer=answer))


def record_page(kwargs, kind: Kind) -> Row:
    """A page (GET only) about the couple's records of `kind`: whoever the reach table lets read them."""
    return Row(kwargs, get=reaching(kind), post=reach_not_offered(kind))


def record_post(kwargs, kind: Kind, answer: str = "moved") -> Row:
    """A POST-only action on the couple's records of `kind`: whoever the reach table lets write them."""
    return Row(kwargs, get=reach_not_offered(kind, Level.WRITE), post=reaching(kind, Level.WRITE, answer))


def document(kwargs) -> Row:
    """A PDF or record export of the couple's records: whoever the reach table lets make documents."""
    return Row(kwargs, get=reaching(Kind.DOCUMENTS, Level.WRITE), post=reaching(Kind.DOCUMENTS, Level.WRITE))


def admin_page() -> Row:
    return Row(get=ADMIN_ONLY, post=not_offered_to("admin"))


def client_page(kwargs=lambda ids: {}, **answers: str) -> Row:
    """A client's own page; `answers` per client (others: 404)."""
    return Row(kwargs, get=only(*CLIENTS, answer="404") | answers, post=not_offered_to(*CLIENTS))


SIGNED_IN_ELSEWHERE = public("moved", anonymous="ok")

MATRIX: dict[str, Row] = {
    "home": Row(get=who("moved"), post=NOT_OFFERED),
    "healthz": Row(get=public(), post=public("405")),
    # Accounts
    "account": Row(get=who("ok"), post=NOT_OFFERED),
    "account_language": Row(get=not_offered_to(*CLIENTS), post=only(*CLIENTS, answer="moved")),
    "login": Row(get=SIGNED_IN_ELSEWHERE, post=SIGNED_IN_ELSEWHERE),
    "logout": Row(get=NOT_OFFERED, post=who("moved")),
    "password_change": Row(get=who("ok"), post=who("ok")),
    "password_reset": Row(get=public(), post=public()),
    "password_reset_done": Row(get=public(), post=public("405")),
    "password_reset_confirm": Row(lambda ids: {"uidb64": "MQ", "token": "set-password"}, get=public(), post=public()),
    "password_reset_complete": Row(get=public(), post=public("405")),
    "two_factor_verify": Row(get=who("moved"), post=who("moved")),
    "two_factor_setup": Row(get=who("ok"), post=who("ok")),
    # Clients have no second factor, so no recovery codes to renew.
    "recovery_codes_renew": Row(get=NOT_OFFERED, post=who("ok", **dict.fromkeys(CLIENTS, "refused"))),
    # Clients' own pages
    "client_home": client_page(client1="ok", client2="ok", client5="ok"),
    # A client's own goals; a POST names the version it confirms (none named: nothing to find).
    "my_goals": Row(get=only(*CLIENTS), post=who("404")),
    # A client's own progress page: on in the demo for client5 only (their therapist turned it on).
    "my_progress": client_page(client5="ok"),
    # client1 and client5 have sent their intakes (they land on the copy); client2 is half-way.
    "intake_start": client_page(client1="moved", client2="moved", client5="moved"),
    "intake_section": Row(
        lambda ids: {"step": 1},
        get=only(*CLIENTS, answer="moved") | {"client2": "ok"},
        post=only(*CLIENTS, answer="moved") | {"client2": "ok"},
    ),
    "intake_autosave": Row(
        lambda ids: {"step": 1},
        get=not_offered_to(*CLIENTS),
        post=only(*CLIENTS, answer="409") | {"client2": "ok"},
    ),
    "intake_copy": client_page(client1="ok", client2="moved", client5="ok"),
    "form_token": Row(get=who("ok"), post=who("405")),
    # How we contact you: every client, their own record only; an empty POST is shown again with its errors.
    "contact_choices": Row(get=only(*CLIENTS), post=only(*CLIENTS)),
    "questions": Row(
        lambda ids: {"code": ids["questions"]},
        get=own_reaching(Kind.SCREENINGS, Level.WRITE),
        post=own_reaching(Kind.SCREENINGS, Level.WRITE),
    ),
    "questions_save": Row(
        lambda ids: {"code": ids["questions"]},
        get=not_offered_to(*CLIENTS),
        post=own_reaching(Kind.SCREENINGS, Level.WRITE),
    ),
    "session_checkin": Row(
        lambda ids: {"code": ids["checkin"]},
        get=own_reaching(Kind.SESSION_CHECKINS, Level.WRITE),
        post=own_reaching(Kind.SESSION_CHECKINS, Level.WRITE),
    ),
    "session_checkin_save": Row(
        lambda ids: {"code": ids["checkin"]},
        get=not_offered_to(*CLIENTS),
        post=own_reaching(Kind.SESSION_CHECKINS, Level.WRITE),
    ),
    # Public pages
    "invitation_accept": Row(lambda ids: {"token": ids["token"]}, get=public(), post=public()),
    "quick_exit": Row(get=public("405"), post=public("empty")),
    "safety_page": Row(get=public(), post=public("405")),
    "self_check": Row(get=public(), post=public()),
    # An empty "Get started" form fails the time trap: treated as a robot, thanked, nothing kept.
    "inquiry_start": Row(get=public(), post=public("refused")),
    "inquiry_thanks": Row(get=public(), post=public("405")),
    # Therapists
    "dashboard": Row(get=only(*THERAPISTS), post=not_offered_to(*THERAPISTS)),
    "case_list": Row(get=STAFF_ONLY, post=not_offered_to(*STAFF)),
    "search": Row(get=STAFF_ONLY, post=STAFF_ONLY),
    "case_create": Row(get=STAFF_ONLY, post=STAFF_ONLY),
    # therapist1's supervisor opens the case read-only (audited); therapist2 supervises nobody and gets 404.
    "case_detail": Row(case, get=reaching(Kind.CASE), post=reach_not_offered(Kind.CASE)),
    # client1 already has an account; there is no open link to revoke.
    "invite_client": Row(
        client1,
        get=reach_not_offered(Kind.CLIENT_DETAILS, Level.WRITE),
        post=reaching(Kind.CLIENT_DETAILS, Level.WRITE, "refused"),
    ),
    "revoke_client_invitation": Row(
        client1,
        get=reach_not_offered(Kind.CLIENT_DETAILS, Level.WRITE),
        post=reaching(Kind.CLIENT_DETAILS, Level.WRITE, "refused"),
    ),
    "intake_read": Row(client1, get=reaching(Kind.INTAKE), post=reach_not_offered(Kind.INTAKE)),
    # A staff change of contact choices at the client's request; an empty POST asks for the reason.
    "client_contact_edit": Row(
        client1, get=reaching(Kind.CLIENT_DETAILS, Level.WRITE), post=reaching(Kind.CLIENT_DETAILS, Level.WRITE)
    ),
    # A staff change of the client's language at their request; an empty POST is refused with a message.
    "client_language_edit": Row(
        client1,
        get=reach_not_offered(Kind.CLIENT_DETAILS, Level.WRITE),
        post=reaching(Kind.CLIENT_DETAILS, Level.WRITE, "refused"),
    ),
    # Admins open the record's non-clinical page (disclosures, PDF forms); its clinical parts are the therapist's.
    "client_record": Row(client1, get=reaching(Kind.CLIENT_DETAILS), post=reach_not_offered(Kind.CLIENT_DETAILS)),
    "comparison": record_page(case_code, Kind.SCREENINGS),
    "screening_result": record_page(lambda ids: client1(ids) | {"code": ids["screening"]}, Kind.SCREENINGS),
    "warning_sign_new": Row(
        client1, get=reaching(Kind.WARNING_SIGNS, Level.WRITE), post=reaching(Kind.WARNING_SIGNS, Level.WRITE)
    ),
    "rescreen": record_post(lambda ids: client1(ids) | {"key": "power"}, Kind.SCREENINGS),
    # An empty POST turns client1's progress page off (it is off): back to the record.
    "progress_switch": record_post(client1, Kind.SCREENINGS),
    "flag_acknowledge": record_post(flag, Kind.RISK_FLAGS),
    "flag_resolve": record_post(flag, Kind.RISK_FLAGS),
    "balance_alert_resolve": record_post(lambda ids: {"code": ids["balance_alert"]}, Kind.SESSION_CHECKINS),
    "session_new": Row(case_code, get=reaching(Kind.NOTES, Level.WRITE), post=reaching(Kind.NOTES, Level.WRITE)),
    # The note waits for co-signature by therapist1's own supervisor: what the table lets a supervisor read.
    "note_page": record_page(session, Kind.NOTES),
    "note_save": record_post(session, Kind.NOTES, answer="ok"),
    "note_autosave": record_post(session, Kind.NOTES, answer="400"),
    # The note is signed already: its author is sent back to it; nobody else learns it exists.
    "note_sign": Row(
        session,
        get=reaching(Kind.NOTES, Level.WRITE, "moved"),
        post=reaching(Kind.NOTES, Level.WRITE, "moved"),
    ),
    "note_addendum": record_post(session, Kind.NOTES, answer="refused"),
    "private_note": record_post(session, Kind.PRIVATE_NOTES),
    # The supervisor co-signs or returns the note waiting for them; therapist1 cannot co-sign their own note.
    "note_cosign": Row(
        session,
        get=reach_not_offered(Kind.NOTES),
        post=reaching(Kind.NOTES, answer="moved") | {"therapist1": "refused"},
    ),
    "note_return": Row(
        session,
        get=reach_not_offered(Kind.NOTES),
        post=reaching(Kind.NOTES, answer="moved") | {"therapist1": "refused"},
    ),
    # Treatment plans: therapist1 writes; their supervisor reads signed versions; the demo plan is signed, no draft.
    "plan_detail": record_page(demo_plan, Kind.PLAN),
    "plan_version": record_page(lambda ids: demo_plan(ids) | {"number": 1}, Kind.PLAN),
    # Without a draft the editor explains the plan is signed and offers a review; a POST there saves nothing (409).
    "plan_edit": Row(demo_plan, get=reaching(Kind.PLAN, Level.WRITE), post=reaching(Kind.PLAN, Level.WRITE, "409")),
    "plan_autosave": record_post(demo_plan, Kind.PLAN, answer="409"),
    "plan_sign": Row(
        demo_plan, get=reaching(Kind.PLAN, Level.WRITE, "moved"), post=reaching(Kind.PLAN, Level.WRITE, "moved")
    ),
    "plan_review_start": record_post(demo_plan, Kind.PLAN),
    "case_summary": document(case_code),
    "plan_pdf": document(case_code),
    "client_summary": document(client1),
    "client_export": document(client1),
    # therapist1's own background PDF (still queued, so there is nothing to download yet).
    "report_job": Row(job, get=only("therapist1"), post=not_offered_to(*STAFF)),
    "report_download": Row(job, get=only("therapist1", answer="gone"), post=not_offered_to(*STAFF)),
    "report_retry": Row(job, get=not_offered_to(*STAFF), post=only("therapist1", answer="moved")),
    # Practice admin
    "practice_home": admin_page(),
    "staff_list": admin_page(),
    "staff_create": Row(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "staff_detail": Row(lambda ids: {"code": ids["staff"]}, get=ADMIN_ONLY, post=ADMIN_ONLY),
    "staff_deactivate": admin_post(lambda ids: {"code": ids["staff"]}),
    "staff_reactivate": admin_post(lambda ids: {"code": ids["staff"]}),
    "case_reassign": admin_post(case),
    # Closing a case: its therapist or an admin; reopening (the couple's case is open, so a no-op): admins.
    "case_discharge": Row(case, get=reaching(Kind.CASE, Level.WRITE), post=reaching(Kind.CASE, Level.WRITE)),
    "case_reopen": admin_post(case, "refused"),
    "retention_list": admin_page(),
    # An empty decision on the demo's long-closed case is refused with a message.
    "retention_review": admin_post(lambda ids: {"code": ids["closed_case"]}, "refused"),
    "audit_log": Row(get=reaching(Kind.AUDIT_LOG), post=reach_not_offered(Kind.AUDIT_LOG)),
    "audit_export": Row(get=reaching(Kind.AUDIT_LOG), post=reach_not_offered(Kind.AUDIT_LOG)),
    # Without a purpose the log page comes back saying so; nothing is exported.
    "audit_export_full": admin_post(lambda ids: {}, "ok"),
    "consent_texts": Row(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "safety_edit": Row(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "inquiry_list": admin_page(),
    "inquiry_detail": Row(lambda ids: {"code": ids["inquiry"]}, get=ADMIN_ONLY, post=not_offered_to("admin")),
    "inquiry_convert": admin_post(lambda ids: {"code": ids["inquiry"]}, "ok"),
    "inquiry_close": admin_post(lambda ids: {"code": ids["inquiry"]}),
    # The demo inquiry is not held: accepting it is refused with a message, changing nothing.
    "inquiry_release": admin_post(lambda ids: {"code": ids["inquiry"]}, "refused"),
    "practice_report": Row(get=reaching(Kind.PRACTICE_REPORTS), post=reaching(Kind.PRACTICE_REPORTS)),
    "outcomes_report": Row(get=reaching(Kind.PRACTICE_REPORTS), post=reaching(Kind.PRACTICE_REPORTS)),
    # Couple records: a client's own authorizations; client5's sessions are individual (nothing to sign).
    "sharing_home": client_page(client1="ok", client2="ok", client5="ok"),
    "sharing_new": Row(get=only("client1", "client2"), post=only("client1", "client2")),
    "sharing_revoke": Row(
        demo_authorization,
        get=own_reaching(Kind.AUTHORIZATIONS, Level.WRITE),
        post=own_reaching(Kind.AUTHORIZATIONS, Level.WRITE, "moved"),
    ),
    "authorization_list": Row(
        client1, get=reaching(Kind.AUTHORIZATIONS, Level.WRITE), post=reaching(Kind.AUTHORIZATIONS, Level.WRITE)
    ),
    # A revoke without a reason is sent back with a message.
    "authorization_revoke": record_post(demo_authorization, Kind.AUTHORIZATIONS),
    "release_list": Row(get=STAFF_ONLY, post=not_offered_to(*STAFF)),
    "release_detail": record_page(demo_release, Kind.RELEASES),
    # Review is the case therapist's alone: an empty redaction is a 400, a confirm without the reviewed state a 409.
    "release_redact": Row(demo_release, get=not_offered_to(*THERAPISTS), post=only("therapist1", answer="400")),
    "release_withhold": Row(demo_release, get=not_offered_to(*THERAPISTS), post=only("therapist1", answer="400")),
    "release_confirm": Row(demo_release, get=not_offered_to(*THERAPISTS), post=only("therapist1", answer="409")),
    "release_cancel": record_post(demo_release, Kind.RELEASES),
    # Not confirmed yet: nothing to download.
    "release_download": record_post(demo_release, Kind.RELEASES, answer="409"),
    # Between-session practice: the library is the practice's (staff); an empty POST is shown again with its errors.
    "exercise_library": Row(get=STAFF_ONLY, post=not_offered_to(*STAFF)),
    "exercise_new": Row(get=STAFF_ONLY, post=STAFF_ONLY),
    "exercise_edit": Row(an_exercise, get=STAFF_ONLY, post=STAFF_ONLY),
    # Assigning is the case's primary therapist's alone (not their supervisor's, not an admin's).
    "assignment_new": Row(case, get=reaching(Kind.EXERCISES, Level.WRITE), post=reaching(Kind.EXERCISES, Level.WRITE)),
    "assignment_withdraw": record_post(demo_assignment, Kind.EXERCISES),
    # client1's own exercise: client2 (the partner) gets 404, as for one that does not exist.
    # An empty "Send" is shown again asking whether they tried it; an empty autosave keeps the (empty) draft.
    "my_practice": Row(
        demo_assignment,
        get=own_reaching(Kind.EXERCISES, Level.WRITE),
        post=own_reaching(Kind.EXERCISES, Level.WRITE),
    ),
    "checkin_autosave": Row(
        demo_assignment, get=not_offered_to(*CLIENTS), post=own_reaching(Kind.EXERCISES, Level.WRITE)
    ),
    # The calendar. A therapist's own week and day; an empty POST of a form shows it again with its errors.
    "calendar_week": Row(get=only(*THERAPISTS), post=not_offered_to(*THERAPISTS)),
    "calendar_week_of": Row(lambda ids: {"day": "2026-12-07"}, get=only(*THERAPISTS), post=not_offered_to(*THERAPISTS)),
    "calendar_day": Row(get=only(*THERAPISTS), post=not_offered_to(*THERAPISTS)),
    "calendar_day_of": Row(lambda ids: {"day": "2026-12-07"}, get=only(*THERAPISTS), post=not_offered_to(*THERAPISTS)),
    "working_hours": Row(get=only(*THERAPISTS), post=only(*THERAPISTS)),
    # An empty POST neither turns the subscription on nor off: its page again.
    "calendar_feed": Row(get=only(*THERAPISTS), post=only(*THERAPISTS)),
    "consultation_slots": Row(get=only(*THERAPISTS), post=only(*THERAPISTS)),
    "consultation_withdraw": Row(
        lambda ids: {"code": ids["slot"]}, get=not_offered_to(*THERAPISTS), post=only("therapist1", answer="moved")
    ),
    # Admins book too (the case's therapist or an admin); they never see the flag that limits conjoint ones.
    "appointment_book": Row(
        case_code, get=reaching(Kind.APPOINTMENTS, Level.WRITE), post=reaching(Kind.APPOINTMENTS, Level.WRITE)
    ),
    # The Averys' appointment that has just ended: their therapist and admins see it; only the therapist records
    # attendance.
    "appointment_detail": record_page(lambda ids: {"code": ids["appointment"]}, Kind.APPOINTMENTS),
    "appointment_move": record_post(lambda ids: {"code": ids["appointment"]}, Kind.APPOINTMENTS, answer="ok"),
    "appointment_cancel": record_post(lambda ids: {"code": ids["appointment"]}, Kind.APPOINTMENTS, answer="ok"),
    # Recording attendance makes the session a note is written for: the notes' writer alone.
    "appointment_attendance": record_post(lambda ids: {"code": ids["appointment"]}, Kind.NOTES, answer="ok"),
    "practice_calendar": admin_page(),
    "practice_calendar_of": Row(lambda ids: {"day": "2026-12-07"}, get=ADMIN_ONLY, post=not_offered_to("admin")),
    "consultation_decide": admin_post(lambda ids: {"code": ids["inquiry"]}, answer="refused"),
    # The link sent to a visitor: anyone holding it may confirm the time; a GET changes nothing.
    "consultation_confirm": Row(consultation_link, get=public(), post=public()),
    # A subscription address with a token that is not one: nobody learns anything.
    "calendar_feed_ics": Row(lambda ids: {"token": "not-a-token"}, get=public("404"), post=public("405")),
    # A client's own appointments; Jo's appointment alone is hers: Sam (client2) gets 404.
    "my_appointments": client_page(client1="ok", client2="ok", client5="ok"),
    "my_appointment_ics": Row(
        lambda ids: {"code": ids["jo_alone"]}, get=own_reaching(Kind.APPOINTMENTS), post=not_offered_to(*CLIENTS)
    ),
}


def as_demo(username: str, ids: dict) -> HttpClient:
    # Follows a client or public form's answer-by-redirect, as a browser does.
    http = BrowserLikeClient()
    http.raise_request_exception = True
    if username != "anonymous":
        sign_in(http, ids["users"][username])
    return http


def outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        return "login" if response.url.startswith(reverse("login") + "?") else "moved"
    return {200: "ok", 204: "empty", 404: "404", 405: "405", 410: "gone"}.get(
        response.status_code, str(response.status_code)
    )


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


REFUSED = {"login", "404", "405", "refused"}


def header_problems(response) -> list[str]:
    """Every answer, whoever asks and whatever the status, carries the security headers."""
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    problems = [
        f"{name} is {response.headers.get(name)!r}"
        for name, value in expected.items()
        if response.headers.get(name) != value
    ]
    if "frame-ancestors 'none'" not in response.headers.get("Content-Security-Policy", ""):
        problems.append("no Content-Security-Policy")
    if "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {response.headers.get('Cache-Control')!r}")
    return problems


def test_every_url_pattern_has_a_row():
    names = {p.name for p in ALL}
    assert not names - set(MATRIX), f"add these URL names to the permission matrix: {sorted(names - set(MATRIX))}"
    assert not set(MATRIX) - names, f"rows for URL names that no longer exist: {sorted(set(MATRIX) - names)}"


def test_every_row_names_every_user():
    for name, row in MATRIX.items():
        assert set(row.get) == set(row.post) == set(USERS), name


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_may_use_each_url(demo, db, name, method):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(demo))
    expected = row.get if method == "get" else row.post
    wrong = []
    for user in USERS:
        point = transaction.savepoint()
        http = as_demo(user, demo)
        before = row_counts() if method == "post" and expected[user] in REFUSED else None
        response = http.post(url, row.data(demo)) if method == "post" else http.get(url)
        wrong.extend(f"{user}: {problem}" for problem in header_problems(response))
        answer = outcome(response)
        if answer == "moved" and expected[user] == "refused":
            answer = "refused"  # a redirect back; the row counts below tell whether it changed anything
        if answer != expected[user]:
            wrong.append(f"{user}: expected {expected[user]}, got {answer} ({response.status_code})")
        elif before is not None:
            after = row_counts()
            changed = {label: (n, after[label]) for label, n in before.items() if after[label] != n}
            if changed:
                wrong.append(f"{user}: a refused POST changed rows {changed}")
        transaction.savepoint_rollback(point)
    assert not wrong, f"{method.upper()} {url}\n" + "\n".join(wrong)
