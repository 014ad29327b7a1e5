"""Opening a case: the case, its client record(s) and their membership."""

from django.db import transaction
from django.http import HttpRequest

from clinic.appointments.booking import reassign_future
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client, Membership
from clinic.notes.models import SessionNote


@transaction.atomic
def open_case(*, kind: str, therapist, clients: list[dict], by, request: HttpRequest | None = None) -> Case:
    """Create a case of `kind` for new client records built from `clients` (field dicts)."""
    expected = 2 if kind == Case.Kind.COUPLE else 1
    if len(clients) != expected:
        raise ValueError(f"A {kind} case needs {expected} client record(s), not {len(clients)}.")
    case = Case.objects.create(kind=kind, primary_therapist=therapist, created_by=by)
    for fields in clients:
        client = Client(created_by=by, **fields)
        client.full_clean()
        client.save()
        Membership.objects.create(case=case, client=client)
        record(action=Action.CASE_CREATED, request=request, actor=by, target=case, client=client)
    return case


@transaction.atomic
def reassign_case(*, case: Case, therapist, by, request: HttpRequest | None = None) -> int:
    """Give the case to `therapist`, with its unsigned notes; returns how many drafts moved.

    A draft can only be finished by its author, and only the case's therapist
    reaches the case, so an unsigned note left with the previous therapist
    would be listed on their dashboard (names, session date) and never be
    signed. Drafts therefore move with the case: the new therapist becomes
    their author, keeping every word (and a supervisor's return comment).
    Signed notes stay their author's (a signature is never transferred);
    the previous therapist's private process notes stay theirs alone and are
    no longer reachable by them, since the sessions are not.
    """
    previous = case.primary_therapist
    if previous == therapist:
        return 0
    case.primary_therapist = therapist
    case.save(update_fields=["primary_therapist"])
    moved = SessionNote.objects.filter(session__case=case, status=SessionNote.Status.DRAFT).update(author=therapist)
    # Booked appointments to come go to the new therapist's calendar (and leave the old one's).
    appointments = reassign_future(case=case, therapist=therapist)
    record(
        action=Action.CASE_REASSIGNED,
        request=request,
        actor=by,
        target=case,
        detail={
            "from": previous.username,
            "to": therapist.username,
            "drafts_moved": moved,
            "appointments_moved": appointments,
        },
    )
    return moved
