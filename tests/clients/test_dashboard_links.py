"""Every item on a dashboard is a link to the page it is about, and the page opens for that user.

Unsigned notes, notes returned with a comment, notes awaiting co-signature,
flags (own and supervisees'), and intakes and questionnaires clients sent:
each list item carries a link, and following it as the dashboard's owner
answers 200. The dashboard runs the same number of queries for one or many
items of every kind.
"""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.notes.models import PracticeTag, SessionNote, TherapySession
from tests.clients.test_neutral_traces import answer_everything, submitted_intake
from tests.clients.test_supervision import urgent_flag
from tests.factories import make_case, make_user

ITEM = re.compile(r'<li class="list-group-item[^"]*">(.*?)</li>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def note(case, author, *, days_ago: int, signed: bool = False, returned_by=None) -> SessionNote:
    session = TherapySession.objects.create(
        case=case, starts_at=timezone.now() - timedelta(days=days_ago), created_by=author
    )
    fields = {}
    if returned_by is not None:
        fields = {"returned_at": timezone.now(), "returned_by": returned_by, "return_comment": "Add the plan."}
    written = SessionNote.objects.create(session=session, author=author, content={"subjective": "x"}, **fields)
    if signed:
        PracticeTag.objects.create(note=written, practice="repair", focus=1, evidence="Apologised.")
        written.sign(by=author)
    return written


def fill(supervisor, supervisee, *, days: int = 1) -> None:
    """One of everything a supervisor's dashboard lists: their own case's items and a supervisee's."""
    own = make_case(therapist=supervisor)
    first, second = own.clients.all()
    urgent_flag(first, supervisor)
    submitted_intake(first)
    answer_everything(second, "power")
    note(own, supervisor, days_ago=days)
    note(own, supervisor, days_ago=days + 1, returned_by=make_user(is_supervisor=True))
    theirs = make_case(therapist=supervisee)
    urgent_flag(theirs.clients.first(), supervisee)
    note(theirs, supervisee, days_ago=days, signed=True)


def items(body: str) -> list[str]:
    return ITEM.findall(body[body.index("<main") :])


def test_every_dashboard_item_is_a_link_that_opens(as_user, supervisor, therapist):
    therapist.supervisor, therapist.needs_cosign = supervisor, True
    therapist.save(update_fields=["supervisor", "needs_cosign"])
    fill(supervisor, therapist)
    c = as_user(supervisor)
    body = c.get(reverse("dashboard")).content.decode()
    found = items(body)
    # Own flag, intake, questionnaire, unsigned note, returned note, supervisee's flag, awaiting note.
    assert len(found) >= 7, found
    for item in found:
        links = HREF.findall(item)
        assert links, item
        for link in links:
            assert c.get(link).status_code == 200, (item, link)
    assert "Returned to you by your supervisor" in body and "Add the plan." in body


def test_the_dashboard_runs_the_same_queries_for_one_or_many_items(
    as_user, supervisor, therapist, django_assert_num_queries
):
    therapist.supervisor, therapist.needs_cosign = supervisor, True
    therapist.save(update_fields=["supervisor", "needs_cosign"])
    fill(supervisor, therapist)
    c = as_user(supervisor)
    c.get(reverse("dashboard"))  # warm the session
    with CaptureQueriesContext(connection) as once:
        c.get(reverse("dashboard"))
    for days in range(2, 8):
        fill(supervisor, therapist, days=days * 3)
    with django_assert_num_queries(len(once.captured_queries)):
        body = c.get(reverse("dashboard")).content.decode()
    assert len(items(body)) >= 7 * 7
