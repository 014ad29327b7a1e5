from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from clinic.notes.models import PracticeTag, SessionNote, TherapySession


def add_sessions(case, therapist, count, *, signed=True, start=0):
    for i in range(start, start + count):
        session = TherapySession.objects.create(
            case=case, starts_at=timezone.now() - timedelta(days=90 - i * 7), created_by=therapist
        )
        note = SessionNote.objects.create(session=session, author=therapist, content={"subjective": f"s{i}"})
        practice = ["naming_power", "repair"][i % 2]
        PracticeTag.objects.create(note=note, practice=practice, focus=1 + i % 3, evidence="e")
        if signed:
            note.sign(by=therapist)


def measure(django_assert_max_num_queries, c, path):
    with django_assert_max_num_queries(60) as captured:
        response = c.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.mark.parametrize("page", ["dashboard", "case"])
def test_pages_run_the_same_queries_at_one_and_ten_times_the_data(
    as_user, therapist, couple_case, django_assert_max_num_queries, page
):
    c = as_user(therapist)
    path = reverse("dashboard") if page == "dashboard" else reverse("case_detail", kwargs={"code": couple_case.code})
    add_sessions(couple_case, therapist, 2)
    add_sessions(couple_case, therapist, 1, signed=False, start=2)
    once, _ = measure(django_assert_max_num_queries, c, path)
    add_sessions(couple_case, therapist, 20, start=3)
    add_sessions(couple_case, therapist, 10, signed=False, start=23)
    tenfold, response = measure(django_assert_max_num_queries, c, path)
    assert tenfold == once
    if page == "case":
        assert response.content.decode().count("/note/") >= 33


def test_the_dashboard_lists_unsigned_notes_oldest_first(as_user, therapist, couple_case):
    add_sessions(couple_case, therapist, 2, signed=False)
    body = as_user(therapist).get(reverse("dashboard")).content.decode()
    first, second = (s.note for s in TherapySession.objects.order_by("starts_at"))
    assert body.index(str(first.session.code)) < body.index(str(second.session.code))
    assert "Unsigned notes" in body


def test_supervisors_see_notes_awaiting_their_cosign(as_user, therapist, supervisor, couple_case):
    therapist.needs_cosign, therapist.supervisor = True, supervisor
    therapist.save()
    add_sessions(couple_case, therapist, 1)
    note = SessionNote.objects.get()
    body = as_user(supervisor).get(reverse("dashboard")).content.decode()
    assert "Awaiting your co-signature" in body and str(note.session.code) in body
    assert "Awaiting your co-signature" not in as_user(therapist).get(reverse("dashboard")).content.decode()
    case_page = as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "awaiting co-sign" in case_page


def test_the_case_page_shows_the_practice_timeline_and_filters_by_practice(as_user, therapist, couple_case):
    add_sessions(couple_case, therapist, 4)
    c = as_user(therapist)
    body = c.get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Practices across sessions" in body and "<svg" in body
    assert "Naming power: " in body  # the chart's description, in words
    page = c.get(reverse("case_detail", kwargs={"code": couple_case.code}), {"practice": "repair"}).content
    # The sessions list (the check-ins table above it lists every attended session, unfiltered).
    filtered = str(BeautifulSoup(page, "html.parser").find("section", attrs={"aria-labelledby": "sessions-h"}))
    repair_sessions = TherapySession.objects.filter(note__tags__practice="repair")
    other = TherapySession.objects.exclude(pk__in=repair_sessions)
    assert all(str(s.code) in filtered for s in repair_sessions)
    assert not any(f"/sessions/{s.code}/note/" in filtered for s in other)


def test_the_note_page_runs_the_same_queries_with_many_addenda_and_sessions(
    as_user, therapist, couple_case, django_assert_max_num_queries
):
    from clinic.notes.models import Addendum

    add_sessions(couple_case, therapist, 3)
    note = SessionNote.objects.order_by("-session__starts_at").first()
    Addendum.add(note=note, by=therapist, text="one")
    c = as_user(therapist)
    path = reverse("note_page", kwargs={"code": note.session.code})
    once, _ = measure(django_assert_max_num_queries, c, path)
    add_sessions(couple_case, therapist, 30, start=3)
    for i in range(10):
        Addendum.add(note=note, by=therapist, text=f"more {i}")
    tenfold, response = measure(django_assert_max_num_queries, c, path)
    assert tenfold == once
    assert response.content.decode().count("more ") == 10
