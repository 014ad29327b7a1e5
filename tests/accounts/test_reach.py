"""The reach table (clinic/accounts/reach.py) is the one statement of who may open what.

The README shows it as made from the code; it keeps the practice's safety rules;
and the querysets, the per-case check and the pages read it rather than a rule of
their own (a change to the table moves them; tests/test_permission_matrix.py then
walks every address against it).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from clinic.accounts import reach
from clinic.accounts.decorators import reach_required
from clinic.accounts.models import Role
from clinic.accounts.reach import REACH, Cell, Kind, Level, Record, Relation, allows
from clinic.clients.models import Case
from tests.factories import make_case, make_user

README = Path(settings.BASE_DIR) / "README.md"

# Records that are one client's own: what a partner, a supervisor or a colleague must never open.
OWN_RECORDS = (
    Kind.CLIENT_DETAILS,
    Kind.INTAKE,
    Kind.SCREENINGS,
    Kind.OWN_GOALS,
    Kind.EXERCISES,
    Kind.SESSION_CHECKINS,
)
CLINICAL = (
    Kind.INTAKE,
    Kind.SCREENINGS,
    Kind.WARNING_SIGNS,
    Kind.RISK_FLAGS,
    Kind.NOTES,
    Kind.PRIVATE_NOTES,
    Kind.PLAN,
    Kind.OWN_GOALS,
    Kind.EXERCISES,
    Kind.SESSION_CHECKINS,
)


def test_the_readme_shows_the_table_the_code_states():
    text = README.read_text(encoding="utf-8")
    assert reach.README_BEGIN in text and reach.README_END in text
    assert reach.with_table(text) == text, "the README's reach table differs: run `manage.py reach_table --write`"


def test_the_readme_table_has_a_row_for_every_kind_and_a_column_for_every_relation():
    text = README.read_text(encoding="utf-8")
    block = text[text.index(reach.README_BEGIN) : text.index(reach.README_END)]
    rows = [line for line in block.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(Kind)
    assert all(row.count(" | ") == len(Relation) for row in rows)


def test_the_command_rewrites_a_stale_table_and_prints_it(tmp_path, settings, capsys):
    stale = f"Intro\n{reach.README_BEGIN}\n| old | table |\n{reach.README_END}\nAfter\n"
    (tmp_path / "README.md").write_text(stale, encoding="utf-8")
    settings.BASE_DIR = tmp_path
    call_command("reach_table", "--write")
    written = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert written == f"Intro\n{reach.README_BEGIN}\n{reach.markdown()}{reach.README_END}\nAfter\n"
    call_command("reach_table")
    assert capsys.readouterr().out.endswith(reach.markdown())


def test_a_readme_without_the_markers_is_refused():
    with pytest.raises(ValueError):
        reach.with_table("no table here")


def test_every_kind_states_every_relation():
    for kind, record in REACH.items():
        assert set(record.cells) == set(Relation), kind
    assert set(REACH) == set(Kind)


# The practice's rules, which any change to the table must keep.


def test_a_colleague_reaches_nothing_of_another_therapists_case():
    assert all(record.cells[Relation.COLLEAGUE].level == Level.NONE for record in REACH.values())


def test_psychotherapy_notes_are_their_authors_alone_and_never_in_a_document():
    cells = REACH[Kind.PRIVATE_NOTES].cells
    assert [r for r in Relation if cells[r].level > Level.NONE] == [Relation.TREATING]


def test_admins_never_read_clinical_content_on_a_page():
    for kind in CLINICAL:
        assert not allows(Relation.ADMIN, kind, Level.READ), kind


def test_a_partner_reaches_only_the_shared_plan():
    assert [kind for kind in Kind if allows(Relation.PARTNER, kind, Level.DOCUMENT)] == [Kind.PLAN]
    assert not allows(Relation.PARTNER, Kind.PLAN, Level.WRITE)


def test_a_supervisor_opens_no_partners_own_record_and_writes_nothing_clinical():
    for kind in OWN_RECORDS:
        assert not allows(Relation.SUPERVISOR, kind, Level.DOCUMENT), kind
    for kind in CLINICAL:
        assert not allows(Relation.SUPERVISOR, kind, Level.WRITE), kind


def test_the_supervisor_reads_the_plan_but_not_the_partners_own_goals():
    assert allows(Relation.SUPERVISOR, Kind.PLAN, Level.READ)
    assert not allows(Relation.SUPERVISOR, Kind.PLAN, Level.WRITE)
    assert not allows(Relation.SUPERVISOR, Kind.OWN_GOALS, Level.DOCUMENT)


def test_of_the_staff_only_the_treating_therapist_writes_clinical_records():
    for kind in CLINICAL:
        writers = [r for r in reach.STAFF_RELATIONS if allows(r, kind, Level.WRITE)]
        assert writers in ([Relation.TREATING], []), kind
    assert allows(Relation.TREATING, Kind.NOTES, Level.WRITE)


# The code reads the table.


@pytest.fixture
def cast(db):
    """Who stands how to one case: its therapist, their supervisor, a supervisor of others, a colleague, an admin."""
    supervisor = make_user(Role.THERAPIST, username="sup", is_supervisor=True)
    treating = make_user(Role.THERAPIST, username="treats", supervisor=supervisor)
    case = make_case(therapist=treating)
    people = {
        Relation.TREATING: treating,
        Relation.SUPERVISOR: supervisor,
        Relation.COLLEAGUE: make_user(Role.THERAPIST, username="other-sup", is_supervisor=True),
        Relation.ADMIN: make_user(Role.ADMIN, username="adm"),
    }
    # A supervisor no longer marked as one: their supervisee's case is a colleague's to them.
    unmarked = make_user(Role.THERAPIST, username="unmarked", is_supervisor=True)
    make_case(therapist=make_user(Role.THERAPIST, username="supervisee-of-unmarked", supervisor=unmarked))
    unmarked.is_supervisor = False
    unmarked.save(update_fields=["is_supervisor"])
    return case, people, unmarked


def test_each_user_stands_to_a_case_as_the_table_names(cast):
    case, people, _ = cast
    for relation, user in people.items():
        assert case.relation_of(user) == relation
    assert case.relation_of(make_user(Role.CLIENT, username="someone")) is None


def test_a_supervisor_no_longer_marked_as_one_reaches_nothing_of_their_supervisees_case(cast):
    _, _, unmarked = cast
    theirs = Case.objects.get(primary_therapist__supervisor=unmarked)
    assert theirs.relation_of(unmarked) == Relation.COLLEAGUE
    assert not Case.objects.reaching(unmarked, Kind.CASE).exists()
    assert not Case.objects.supervised_by(unmarked).exists()


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("kind", list(Kind))
def test_the_queryset_and_the_case_agree_with_the_table(cast, kind, level):
    case, people, _ = cast
    for relation, user in people.items():
        reached = Case.objects.reaching(user, kind, level).filter(pk=case.pk).exists()
        assert reached == allows(relation, kind, level) == case.reaches(user, kind, level), (relation, kind, level)


def test_the_signed_out_and_the_deactivated_reach_nothing(cast):
    case, people, _ = cast
    treating = people[Relation.TREATING]
    treating.is_active = False
    treating.save(update_fields=["is_active"])
    assert not Case.objects.reaching(treating, Kind.CASE).exists()
    assert case.relation_of(treating) is None


def test_a_change_to_the_table_moves_the_queryset(cast, monkeypatch):
    case, people, _ = cast
    supervisor = people[Relation.SUPERVISOR]
    assert Case.objects.reaching(supervisor, Kind.PLAN).filter(pk=case.pk).exists()
    cells = {**REACH[Kind.PLAN].cells, Relation.SUPERVISOR: Cell(Level.NONE)}
    monkeypatch.setitem(REACH, Kind.PLAN, Record(REACH[Kind.PLAN].label, cells))
    assert not Case.objects.reaching(supervisor, Kind.PLAN).exists()


def test_a_change_to_the_table_moves_the_plan_page(as_user, cast, monkeypatch):
    from tests.plans.plan_pages import signed_plan

    case, people, _ = cast
    signed_plan(case, people[Relation.TREATING])
    page = reverse("plan_detail", kwargs={"code": case.code})
    assert as_user(people[Relation.SUPERVISOR]).get(page).status_code == 200
    cells = {**REACH[Kind.PLAN].cells, Relation.SUPERVISOR: Cell(Level.NONE)}
    monkeypatch.setitem(REACH, Kind.PLAN, Record(REACH[Kind.PLAN].label, cells))
    assert as_user(people[Relation.SUPERVISOR]).get(page).status_code == 404


def test_a_staff_page_for_a_kind_no_staff_reach_cannot_be_declared(monkeypatch):
    cells = dict.fromkeys(Relation, Cell(Level.NONE))
    monkeypatch.setitem(REACH, Kind.AUDIT_LOG, Record("Nobody's", cells))
    with pytest.raises(ValueError):
        reach_required(Kind.AUDIT_LOG)


def test_a_staff_page_serves_the_roles_the_table_names():
    assert reach.staff_roles(Kind.PLAN, Level.READ) == (Role.THERAPIST,)
    assert reach.staff_roles(Kind.DOCUMENTS, Level.WRITE) == (Role.THERAPIST, Role.ADMIN)
    assert reach.staff_roles(Kind.AUDIT_LOG, Level.READ) == (Role.ADMIN,)


def test_were_colleagues_given_a_kind_the_queryset_would_find_them_and_only_them(cast, monkeypatch):
    case, people, unmarked = cast
    cells = {**dict.fromkeys(Relation, Cell(Level.NONE)), Relation.COLLEAGUE: Cell(Level.READ)}
    monkeypatch.setitem(REACH, Kind.AUDIT_LOG, Record("Colleagues only", cells))
    theirs = Case.objects.get(primary_therapist__supervisor=unmarked)
    for user in (people[Relation.COLLEAGUE], unmarked):
        assert Case.objects.reaching(user, Kind.AUDIT_LOG).filter(pk=case.pk).exists()
        assert case.reaches(user, Kind.AUDIT_LOG)
    assert Case.objects.reaching(unmarked, Kind.AUDIT_LOG).filter(pk=theirs.pk).exists()
    for relation in (Relation.TREATING, Relation.SUPERVISOR, Relation.ADMIN):
        # Each is a colleague to the other therapist's case, never to this one.
        assert not Case.objects.reaching(people[relation], Kind.AUDIT_LOG).filter(pk=case.pk).exists(), relation
