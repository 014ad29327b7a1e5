"""What each role may open of each kind of record, stated once.

This table is the rule. The querysets read it (`Case.objects.reaching(user,
kind, level)` and each record's `visible_to`), the staff views' role checks
read it (`clinic.accounts.decorators.reach_required`), the permission matrix
(tests/test_permission_matrix.py) reads it to know what every demo user
should get from every address, and the README's table is rendered from it
(`manage.py reach_table`; a test fails when the README differs). The few
practice-wide pages that keep a plain role check (the audit log, the practice
reports) are held to the table by that matrix.

Reach is a relation to one case, not a role alone: a therapist treats a case,
supervises the therapist who treats it (an assignment an admin makes), or is
a colleague with no part in it. Clients reach their own records through their
own pages, each filtered by who is signed in; "their partner" is the other
client of a couple case, and for a record of one client it is always "none".

Levels, from least to most (each includes the ones before it):

    none      nothing: the address answers 404, as for a record that does not exist
    document  only inside a document made for a recorded purpose (audited), never on a page
    read      on a page (audited where clinical)
    write     read, and change or act on it
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from clinic.accounts.models import Role


class Level(IntEnum):
    NONE = 0
    DOCUMENT = 1
    READ = 2
    WRITE = 3

    @property
    def word(self) -> str:
        return self.name.lower()


class Relation(StrEnum):
    TREATING = "treating"
    COLLEAGUE = "colleague"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    CLIENT = "client"
    PARTNER = "partner"


# Column headings, in the README's order.
RELATION_LABELS = {
    Relation.TREATING: "Treating therapist",
    Relation.COLLEAGUE: "Another therapist",
    Relation.SUPERVISOR: "Treating therapist's supervisor",
    Relation.ADMIN: "Practice admin",
    Relation.CLIENT: "The client",
    Relation.PARTNER: "Their partner",
}

ROLE_OF = {
    Relation.TREATING: Role.THERAPIST,
    Relation.COLLEAGUE: Role.THERAPIST,
    Relation.SUPERVISOR: Role.THERAPIST,
    Relation.ADMIN: Role.ADMIN,
    Relation.CLIENT: Role.CLIENT,
    Relation.PARTNER: Role.CLIENT,
}
STAFF_RELATIONS = (Relation.TREATING, Relation.COLLEAGUE, Relation.SUPERVISOR, Relation.ADMIN)


class Kind(StrEnum):
    CASE = "case"
    CLIENT_DETAILS = "client_details"
    INTAKE = "intake"
    SCREENINGS = "screenings"
    WARNING_SIGNS = "warning_signs"
    RISK_FLAGS = "risk_flags"
    NOTES = "notes"
    PRIVATE_NOTES = "private_notes"
    PLAN = "plan"
    OWN_GOALS = "own_goals"
    EXERCISES = "exercises"
    SESSION_CHECKINS = "session_checkins"
    APPOINTMENTS = "appointments"
    AUTHORIZATIONS = "authorizations"
    RELEASES = "releases"
    DOCUMENTS = "documents"
    AUDIT_LOG = "audit_log"
    PRACTICE_REPORTS = "practice_reports"


@dataclass(frozen=True)
class Cell:
    level: Level
    note: str = ""

    def words(self) -> str:
        return f"{self.level.word}: {self.note}" if self.note else self.level.word


@dataclass(frozen=True)
class Record:
    label: str
    cells: dict[Relation, Cell]


def none(note: str = "") -> Cell:
    return Cell(Level.NONE, note)


def document(note: str) -> Cell:
    return Cell(Level.DOCUMENT, note)


def read(note: str = "") -> Cell:
    return Cell(Level.READ, note)


def write(note: str = "") -> Cell:
    return Cell(Level.WRITE, note)


NONE = none()
IN_A_DOCUMENT = "in a PDF or export made for a recorded purpose"

REACH: dict[Kind, Record] = {
    Kind.CASE: Record(
        "Case: who is in it and their onboarding, its sessions with each note's status and practices, the timeline",
        {
            Relation.TREATING: write("adds sessions, invites, closes"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: read("audited as a supervisor's; no contact details, no actions"),
            Relation.ADMIN: write("opens, assigns the therapist, closes, reopens; no clinical sections"),
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
    Kind.CLIENT_DETAILS: Record(
        "Client details: contact details, safe-contact choices, language, the disclosures of their record",
        {
            Relation.TREATING: write("changes at the client's request, with a reason"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: none("names only, on the case page"),
            Relation.ADMIN: write("changes at the client's request, with a reason"),
            Relation.CLIENT: write("their own contact choices and language"),
            Relation.PARTNER: NONE,
        },
    ),
    Kind.INTAKE: Record(
        "Intake answers",
        {
            Relation.TREATING: read("once sent"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: document(IN_A_DOCUMENT),
            Relation.CLIENT: write("until sent, then a read-only copy"),
            Relation.PARTNER: NONE,
        },
    ),
    Kind.SCREENINGS: Record(
        "Questionnaires: answers, scores and trends, reliable change, the couple comparison",
        {
            Relation.TREATING: write("reads; offers one again; turns on the client's progress page"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: document(IN_A_DOCUMENT),
            Relation.CLIENT: write("answers their own; their progress page once turned on"),
            Relation.PARTNER: NONE,
        },
    ),
    Kind.WARNING_SIGNS: Record(
        "Warning signs",
        {
            Relation.TREATING: write("records them"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: read("on the case page: date, person, type, severity, action; no descriptions"),
            Relation.ADMIN: document(IN_A_DOCUMENT),
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
    Kind.RISK_FLAGS: Record(
        "Risk flags and their reasons",
        {
            Relation.TREATING: write("acknowledges and resolves"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: read("unresolved urgent ones on the dashboard: who, status, when; no reasons"),
            Relation.ADMIN: document(f"numbers on the practice page; the flags only {IN_A_DOCUMENT}"),
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
    Kind.NOTES: Record(
        "Session notes and addenda",
        {
            Relation.TREATING: write("writes, signs, adds addenda"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: read("only notes waiting for their co-signature, which they co-sign or return"),
            Relation.ADMIN: document(IN_A_DOCUMENT),
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
    Kind.PRIVATE_NOTES: Record(
        "Psychotherapy notes (private process notes)",
        {
            Relation.TREATING: write("their author alone; never in a document"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: NONE,
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
    Kind.PLAN: Record(
        "Treatment plan: concerns, shared goals, safety section, review summary",
        {
            Relation.TREATING: write("writes, signs, reviews"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: read("signed versions, audited as a supervisor's; not drafts"),
            Relation.ADMIN: document("the plan PDF, made for a recorded purpose"),
            Relation.CLIENT: read("the shared goals in plain words (not the concerns or safety section)"),
            Relation.PARTNER: read("the shared goals, as the client"),
        },
    ),
    Kind.OWN_GOALS: Record(
        "A partner's own goals in the plan",
        {
            Relation.TREATING: write("writes them"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: none("part of that partner's own record"),
            Relation.ADMIN: document(IN_A_DOCUMENT),
            Relation.CLIENT: read("their own"),
            Relation.PARTNER: none("never, nor that they exist"),
        },
    ),
    Kind.EXERCISES: Record(
        "Exercises assigned to a client, and their exercise check-ins",
        {
            Relation.TREATING: write("assigns, withdraws, reads sent check-ins"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: document(IN_A_DOCUMENT),
            Relation.CLIENT: write("does their own and checks in"),
            Relation.PARTNER: none("never, nor that they exist"),
        },
    ),
    Kind.SESSION_CHECKINS: Record(
        "Session check-ins and balance alerts",
        {
            Relation.TREATING: write("reads them; resolves balance alerts"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: document(IN_A_DOCUMENT),
            Relation.CLIENT: write("sends their own after a session"),
            Relation.PARTNER: NONE,
        },
    ),
    Kind.APPOINTMENTS: Record(
        "Appointments",
        {
            Relation.TREATING: write("books, moves, cancels, records attendance"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: write("books, moves, cancels; never sees the flag behind \u201cindividual only\u201d"),
            Relation.CLIENT: read("joint ones and their own individual ones, as a calendar file too"),
            Relation.PARTNER: none("the other's individual ones"),
        },
    ),
    Kind.AUTHORIZATIONS: Record(
        "Release authorizations (a client's agreements)",
        {
            Relation.TREATING: write("records one from paper, withdraws one"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: write("records one from paper, withdraws one"),
            Relation.CLIENT: write("gives and withdraws their own"),
            Relation.PARTNER: NONE,
        },
    ),
    Kind.RELEASES: Record(
        "Releases (what leaves the treating team)",
        {
            Relation.TREATING: write("reviews, redacts, confirms, downloads"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: write("prepares, cancels, downloads; the review is the therapist's"),
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
    Kind.DOCUMENTS: Record(
        "PDFs and record exports (case summary, client summary, plan PDF, record export)",
        {
            Relation.TREATING: write("makes them, purpose recorded"),
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: none("reads a supervision summary the treating team makes"),
            Relation.ADMIN: write("makes them, purpose recorded"),
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
    Kind.AUDIT_LOG: Record(
        "Audit log",
        {
            Relation.TREATING: NONE,
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: read("and its CSV export; no clinical content"),
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
    Kind.PRACTICE_REPORTS: Record(
        "Practice and outcomes reports",
        {
            Relation.TREATING: NONE,
            Relation.COLLEAGUE: NONE,
            Relation.SUPERVISOR: NONE,
            Relation.ADMIN: read("aggregates only, no names; counts under 5 shown as \u201c<5\u201d"),
            Relation.CLIENT: NONE,
            Relation.PARTNER: NONE,
        },
    ),
}


def cell(relation: Relation | None, kind: Kind) -> Cell:
    if relation is None:
        return NONE
    return REACH[kind].cells[relation]


def allows(relation: Relation | None, kind: Kind, level: Level = Level.READ) -> bool:
    """Whether someone in `relation` to a record of `kind` may reach it at `level` (or more)."""
    return cell(relation, kind).level >= level


def relations(kind: Kind, level: Level = Level.READ) -> tuple[Relation, ...]:
    """Every relation that reaches `kind` at `level`, in the table's column order."""
    return tuple(relation for relation in Relation if allows(relation, kind, level))


def staff_roles(kind: Kind, level: Level = Level.READ) -> tuple[Role, ...]:
    """The staff roles a staff page about `kind` at `level` serves (everyone else gets 404)."""
    return tuple(dict.fromkeys(ROLE_OF[r] for r in relations(kind, level) if r in STAFF_RELATIONS))


def markdown() -> str:
    """The README's table: one row per kind of record, one column per relation."""
    columns = list(Relation)
    lines = [
        "| Record | " + " | ".join(RELATION_LABELS[c] for c in columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for record in REACH.values():
        cells = [record.cells[c].words().replace("|", "\\|") for c in columns]
        lines.append(f"| {record.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# The README holds the table between these two lines; `manage.py reach_table --write` rewrites what is between.
README_BEGIN = "<!-- reach:begin (made from clinic/accounts/reach.py by `manage.py reach_table --write`) -->"
README_END = "<!-- reach:end -->"


def with_table(readme: str) -> str:
    """The README's text with the table between its markers made anew from REACH."""
    start, end = readme.find(README_BEGIN), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {README_BEGIN!r} ... {README_END!r} block")
    head = readme[: start + len(README_BEGIN)]
    return head + "\n" + markdown() + readme[end:]
