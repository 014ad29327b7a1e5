"""Staff search: names only, scoped per role, a fixed number of queries, odd Unicode safe."""

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import Action, AuditEvent
from clinic.clients.search import normalise, search
from clinic.notes.models import SessionNote, TherapySession
from tests.factories import make_case, make_user


def name(case, full_name):
    client = case.clients.order_by("memberships__id").first()
    client.full_name = full_name
    client.save()
    return client


@pytest.fixture
def practice(db):
    supervisor = make_user(Role.THERAPIST, username="sup", is_supervisor=True)
    mine = make_user(Role.THERAPIST, username="mine", supervisor=supervisor)
    other = make_user(Role.THERAPIST, username="other")
    return supervisor, mine, other


def found(user, term):
    return sorted(c.full_name for c in search(user, term))


def test_each_role_finds_only_whom_they_may_see(practice, admin_user):
    supervisor, mine, other = practice
    name(make_case(therapist=mine), "Zoë Martínez")
    name(make_case(therapist=other), "Zoe Marsh")
    name(make_case(therapist=supervisor), "Zoey Own")
    assert found(mine, "zoe") == ["Zoë Martínez"]
    assert found(other, "ZOË") == ["Zoe Marsh"]
    assert found(supervisor, "zo") == ["Zoey Own", "Zoë Martínez"]
    assert found(admin_user, "mar") == ["Zoe Marsh", "Zoë Martínez"]
    assert found(make_user(Role.CLIENT), "zoe") == []


def test_part_of_a_surname_and_accents_are_found(practice):
    _, mine, _ = practice
    name(make_case(therapist=mine), "Zoë Martínez")
    assert found(mine, "martinez") == found(mine, "MARTÍ") == ["Zoë Martínez"]


def test_never_matches_note_text(practice):
    _, mine, _ = practice
    case = make_case(therapist=mine)
    name(case, "Plain Name")
    session = TherapySession.objects.create(case=case, starts_at=case.created_at, created_by=mine)
    SessionNote.objects.create(session=session, author=mine, content={"subjective": "Quintessa mentioned"})
    assert found(mine, "quintessa") == []


@pytest.mark.parametrize(
    "term", ["\u200b\u202e", "%", "_", "\x00zoe", "\U0001d4b5\U0001d45c\U0001d452", "' OR 1=1 --", "z" * 5000, "\ufb01"]
)
def test_odd_unicode_is_safe(practice, term):
    _, mine, _ = practice
    name(make_case(therapist=mine), "Zoe Fine")
    result = found(mine, term)
    assert result in ([], ["Zoe Fine"])
    assert normalise("\U0001d4b5\U0001d45c\U0001d452") == "zoe" and normalise("\ufb01ne") == "fine"
    assert found(mine, "%") == [] and found(mine, "_") == []


def count_queries(django_assert_max_num_queries, owner, user, total):
    while len(search(owner, "sam")) < total:
        name(make_case(therapist=owner), "Sam Person")
    with django_assert_max_num_queries(50) as captured:
        assert len(search(user, "sam")) == total
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["therapist", "supervisor", "admin"])
def test_a_fixed_number_of_queries(practice, admin_user, django_assert_max_num_queries, role):
    supervisor, mine, _ = practice
    user = {"therapist": mine, "supervisor": supervisor, "admin": admin_user}[role]
    small = count_queries(django_assert_max_num_queries, mine, user, 2)
    large = count_queries(django_assert_max_num_queries, mine, user, 15)
    assert small == large == 2


def test_the_page_posts_audits_a_count_only_and_is_not_kept(practice, as_user, django_assert_num_queries):
    _, mine, other = practice
    name(make_case(therapist=mine), "Rosa Quill")
    name(make_case(therapist=other), "Rosa Other")
    c = as_user(mine)
    assert c.get(reverse("search")).status_code == 200
    response = c.post(reverse("search"), {"q": "rosa"}, headers={"X-Search": "1"})
    body = response.content.decode()
    assert "Rosa Quill" in body and "Rosa Other" not in body and "<html" not in body
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=Action.SEARCHED)
    assert event.detail == {"results": 1} and "rosa" not in str(event.detail).lower()
    page = c.post(reverse("search"), {"q": "rosa"}).content.decode()
    assert "<html" in page and "Rosa Quill" in page
    assert 'id="staff-search"' in c.get(reverse("dashboard")).content.decode()


def test_clients_cannot_search(client_user, as_user):
    assert as_user(client_user).post(reverse("search"), {"q": "rosa"}).status_code == 404
