"""The audit log in words: who did what to which client or case, when and from where.

`describe(events)` turns a page (or a chunk of an export) of AuditEvents into rows people can
read. It resolves the records the events point at with a fixed number of queries — one per kind
of record named (case, client, staff) — however many events there are.

Two readings: an admin's (the default), which never holds the outcomes of a client's answers
(`clinic.audit.models.OUTCOMES`) and refuses a row of one, and the full record of the compliance
export (`full=True`), which holds every row and the outcome details too. Neither shows a name
typed at a failed sign-in, kept in rows written before such names stopped being kept.
"""

import dataclasses
import re
from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.db.models import Prefetch

from clinic.accounts.models import Role, User
from clinic.audit.models import AuditEvent
from clinic.clients.models import Case, Client
from clinic.lib.dates import show


@dataclasses.dataclass
class Row:
    event: AuditEvent
    who: str
    role: str
    did: str
    record: str
    client: str
    when: str
    ip: str
    agent: str
    details: str

    @property
    def record_besides_client(self) -> str:
        """The record, when it says more than the client column does (a case, a note)."""
        return "" if self.record.startswith("client ") else self.record


def _yes_no(value) -> str:
    return "yes" if value else "no"


def _day(value) -> str:
    try:
        return show(date.fromisoformat(str(value)))
    except ValueError:
        return ""


def _count(value) -> str:
    return str(len(value)) if isinstance(value, list | tuple) else ""


def _plain(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if isinstance(value, bool):
        return _yes_no(value)
    return str(value).replace("_", " ")


REPORT_NAMES = {
    "client_summary": "client summary",
    "case_summary": "case summary",
    "practice": "practice report",
    "release": "release",
}

# The detail keys people may read, in words. Keys not listed (identifiers, hashes, free text,
# flag reasons and warning-sign types, which are clinical) are left out of the log's words.
DETAIL_WORDS: dict[str, tuple[str, object]] = {
    "report": ("Document", lambda v: REPORT_NAMES.get(v, _plain(v))),
    "purpose": ("purpose", _plain),
    "notes": ("notes included", _plain),
    "from": ("from", None),
    "to": ("to", None),
    "role": ("role", lambda v: Role(v).label if v in Role.values else _plain(v)),
    "fields": ("changed", _plain),
    # A failed sign-in keeps whether the name typed is an account's (the row's person is that account),
    # never the text. Rows from before keep the text under "username": no reading shows that key.
    "name_known": ("name typed", lambda v: "an account's" if v else "no account's (not kept)"),
    "reason": ("reason", _plain),
    "reasons": ("reasons given", _count),
    "delivery": ("delivery", _plain),
    "attempts": ("attempts allowed", _plain),
    "version": ("version", _plain),
    "consent_version": ("consent version", _plain),
    "privacy_version": ("privacy notice version", _plain),
    "late_entry": ("late entry", _yes_no),
    "preview": ("preview", _yes_no),
    "by_client": ("by the client", _yes_no),
    "discharged_on": ("closed on", _day),
    "was_discharged_on": ("had been closed on", _day),
    "keep_until": ("kept until", _day),
    "instrument": ("questionnaire", _plain),
    "kind": ("kind", _plain),
    "state": ("link state", _plain),
    "count": ("items listed", _plain),
    "rows": ("rows", _plain),
    "filters": ("filters", _plain),
    "included": ("joint-session notes included", _plain),
    "withheld": ("joint-session notes withheld", _plain),
    "redactions": ("redactions", _plain),
    "scope": ("which", lambda v: {"one": "this one only", "following": "this and the later ones"}.get(v, _plain(v))),
    "status": ("recorded as", _plain),
    "appointments_moved": ("appointments moved", _plain),
    "told_by": ("told by", _plain),
}


# Shown only in the full record (the compliance export): what the outcome rows say of the outcome.
FULL_DETAIL_WORDS: dict[str, tuple[str, object]] = {
    "severity": ("severity", _plain),
    "reasons": ("rules", _plain),
    "type": ("type", _plain),
    "worse": ("made things worse", _yes_no),
    "all_rows": ("rows in the full record", _plain),
}


def _from_to(value) -> str:
    """A date range end ("2026-05-01") as a US date; a username (case moves) as it is."""
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _day(text)
    if _uuids({text}):
        return ""  # a record's code (the therapist told of a flag): not words
    return text


def detail_words(detail: dict, *, full: bool = False) -> str:
    parts = []
    detail = detail or {}
    # The full reading's words take the place of the admin's for the same key ("reasons": rule ids, not a count).
    wanted = {**DETAIL_WORDS, **FULL_DETAIL_WORDS} if full else DETAIL_WORDS
    # In the order of DETAIL_WORDS, not the stored order: PostgreSQL's jsonb keeps keys sorted its own way.
    for key, (label, words) in wanted.items():
        value = detail.get(key)
        if value in ("", None, [], {}):
            continue
        text = (words or _from_to)(value)
        if text:
            parts.append(f"{label}: {text}")
    return "; ".join(parts)


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def short_agent(agent: str) -> str:
    """ "Chrome 131 on Windows" from a user-agent header; the first 40 characters if it is not a browser's."""
    if not agent:
        return ""
    browser = ""
    for token, name in _BROWSERS:
        match = re.search(re.escape(token) + r"(\d+)", agent)
        if match:
            version = match.group(1)
            if name == "Safari":
                version = (re.search(r"Version/(\d+)", agent) or match).group(1)
            browser = f"{name} {version}"
            break
    system = next((name for token, name in _SYSTEMS if token in agent), "")
    if browser:
        return f"{browser} on {system}" if system else browser
    return agent[:40] + ("…" if len(agent) > 40 else "")


def _noun(target_type: str) -> str:
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return "record"


class OutcomeInAdminView(LookupError):
    """A row of a client's answers' outcome reached an admin's view: read through `seen_by_admins()`."""


def describe(events: Iterable[AuditEvent], *, full: bool = False) -> list[Row]:
    """Rows in words for `events` (fetched with `select_related("actor", "client")`).

    An admin's reading (the default) refuses an outcome row (OutcomeInAdminView): whatever reads
    the log for an admin starts from `AuditEvent.objects.seen_by_admins()`. `full` is the
    compliance export's reading: every row, with the outcome details.

    Three queries at most beyond the events', whatever their number: the cases (with their
    clients, one more) and the clients and staff the events point at.
    """
    events = list(events)
    if not full and events and AuditEvent.objects.outcomes().filter(pk__in=[e.pk for e in events]).exists():
        raise OutcomeInAdminView("An outcome row reached an admin's view of the audit log.")
    wanted: dict[str, set[str]] = {"clients.case": set(), "clients.client": set(), "accounts.user": set()}
    for event in events:
        if event.target_type in wanted and event.target_id:
            wanted[event.target_type].add(event.target_id)
    names: dict[tuple[str, str], str] = {}
    if wanted["clients.case"]:
        members = Prefetch("clients", queryset=Client.objects.order_by("memberships__id"))
        for case in Case.objects.filter(code__in=_uuids(wanted["clients.case"])).prefetch_related(members):
            names["clients.case", str(case.code)] = f"case {case.label}"
    if wanted["clients.client"]:
        for client in Client.objects.filter(code__in=_uuids(wanted["clients.client"])):
            names["clients.client", str(client.code)] = f"client {client.full_name}"
    if wanted["accounts.user"]:
        codes = _uuids(wanted["accounts.user"])
        for user in User.objects.filter(code__in=codes):
            names["accounts.user", str(user.code)] = f"{user.get_role_display().lower()} {user}"
    return [_row(event, names, full=full) for event in events]


def _uuids(values: set[str]) -> list[str]:
    return [v for v in values if re.fullmatch(r"[0-9a-fA-F-]{32,36}", v)]


def _row(event: AuditEvent, names: dict, *, full: bool) -> Row:
    actor = event.actor
    if actor is not None:
        who = str(actor)
        role = actor.get_role_display()
    else:
        who, role = ("—", "")
    record = ""
    if event.target_type:
        noun = _noun(event.target_type)
        record = names.get((event.target_type, event.target_id)) or f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
    return Row(
        event=event,
        who=who,
        role=role,
        did=event.action_label,
        record=record,
        client=event.client.full_name if event.client_id else "",
        when=show(event.at, "DATETIME_FORMAT"),
        ip=event.ip or "",
        agent=short_agent(event.user_agent),
        details=detail_words(event.detail, full=full),
    )
