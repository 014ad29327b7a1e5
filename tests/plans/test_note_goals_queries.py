"""The note editor takes the same number of queries with ten times the goals, links and signed sessions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.plans.models import Movement
from tests.factories import make_case
from tests.plans.progress_helpers import editor_data, grow_plan, make_session, open_note, url

pytestmark = pytest.mark.django_db


def test_the_note_editor_takes_the_same_queries_at_ten_times_the_data(as_user, therapist, django_assert_num_queries):
    c = as_user(therapist)
    sessions = {}
    for times in (1, 10):
        case = make_case(therapist=therapist)
        version = grow_plan(case, therapist, times=times)
        session = make_session(case, therapist, hours_ago=1)
        note = open_note(c, session)
        links = dict.fromkeys(version.goals.all(), Movement.SOME)
        c.post(url("note_save", session), editor_data(note.version, links))
        assert note.goal_links.count() == 2 * times
        c.get(url("note_page", session))  # the "Draft saved" message is shown (and the session written) once
        sessions[times] = session
    with CaptureQueriesContext(connection) as once:
        assert c.get(url("note_page", sessions[1])).status_code == 200
    with django_assert_num_queries(len(once.captured_queries)):
        response = c.get(url("note_page", sessions[10]))
    assert response.content.decode().count('name="goal_') == 20
