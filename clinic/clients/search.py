"""Staff search for a client or a case by a person's name.

Searches only names (Client.search_name), never notes or any clinical text. The scope is the cases
whose page the user may open (clinic.accounts.reach, "case"): an admin every case; a therapist their
own; a supervisor also their supervisees' cases.
Two queries whatever the data size: the matching clients, and their cases in scope.
"""

import unicodedata

from django.db.models import Prefetch, Q, QuerySet

from clinic.accounts.models import Role
from clinic.accounts.reach import Kind
from clinic.clients.models import Case, Client, Membership

LIMIT = 20
MAX_TERM = 100


def normalise(text: str) -> str:
    """Case-folded, accents dropped, controls and format characters removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", str(text)[: MAX_TERM * 4])
    kept = "".join(
        " " if unicodedata.category(c).startswith("Z") or c.isspace() else c
        for c in decomposed
        if unicodedata.category(c) not in ("Mn", "Mc", "Me", "Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join(kept.casefold().split())[:MAX_TERM]


def searchable_cases(user) -> QuerySet:
    if not user.is_authenticated or not user.is_active or user.role not in (Role.ADMIN, Role.THERAPIST):
        return Case.objects.none()
    return Case.objects.reaching(user, Kind.CASE)


def search(user, term: str) -> list[Client]:
    needle = normalise(term)
    if len(needle) < 2:
        return []
    cases = searchable_cases(user)
    # A name starting with the term, or a word inside it starting with it (uses client_search_name_idx for the first).
    found = (
        Client.objects.filter(Q(search_name__startswith=needle) | Q(search_name__contains=f" {needle}"))
        .filter(memberships__case__in=cases)
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(case__in=cases).select_related("case").order_by("case_id"),
                to_attr="visible_memberships",
            )
        )
    )
    return list(found[:LIMIT])
