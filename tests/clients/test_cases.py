import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Client
from tests.factories import make_case, make_user


def person(prefix, **kw):
    data = {f"{prefix}-full_name": kw.pop("full_name", f"{prefix.title()} Person"), f"{prefix}-email": ""}
    data.update({f"{prefix}-{k}": v for k, v in kw.items()})
    return data


def test_an_admin_opens_a_couple_case_with_two_client_records(as_user, admin_user, therapist):
    client = as_user(admin_user)
    data = {
        "kind": "couple",
        "primary_therapist": therapist.pk,
        **person("first", full_name="Alex Doe", email="alex@example.org", may_email="on"),
        **person("second", full_name="Sam Roe", phone="(213) 555-0123", may_call="on"),
    }
    response = client.post(reverse("case_create"), data)
    case = Case.objects.get()
    assert response.url == reverse("case_detail", kwargs={"code": case.code})
    assert (case.kind, case.primary_therapist, case.created_by) == ("couple", therapist, admin_user)
    alex, sam = case.clients.order_by("memberships__id")
    assert (alex.full_name, alex.may_email, alex.may_call) == ("Alex Doe", True, False)
    assert (sam.full_name, sam.phone, sam.may_call, sam.may_email) == ("Sam Roe", "(213) 555-0123", True, False)
    events = AuditEvent.objects.filter(action=Action.CASE_CREATED)
    assert {e.client for e in events} == {alex, sam}


def test_a_therapist_opens_a_case_for_themselves(as_user, therapist, colleague):
    client = as_user(therapist)
    data = {"kind": "individual", "primary_therapist": colleague.pk, **person("first")}
    client.post(reverse("case_create"), data)
    assert Case.objects.get().primary_therapist == therapist


def test_an_individual_case_with_a_second_person_typed_in_is_refused_keeping_the_text(as_user, admin_user, therapist):
    client = as_user(admin_user)
    data = {
        "kind": "individual",
        "primary_therapist": therapist.pk,
        **person("first"),
        **person("second", full_name="Typed Name"),
    }
    response = client.post(reverse("case_create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "filled in details for a second person" in body
    assert 'value="Typed Name"' in body
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"kind": "couple"}, "Second person, full name"),
        ({"kind": "individual", "first-may_email": "on"}, "Add an email address, or untick"),
        ({"kind": "individual", "first-email": "not-an-email"}, "Enter a valid email address"),
        ({"kind": "individual", "first-may_text": "on"}, "Add a phone number"),
        ({"kind": "individual", "first-full_name": "x" * 201}, "at most 200 characters"),
        ({"kind": "triple"}, "Select a valid choice"),
    ],
)
def test_case_form_errors_say_what_to_do(as_user, admin_user, therapist, extra, message):
    client = as_user(admin_user)
    data = {"primary_therapist": therapist.pk, **person("first"), **extra}
    response = client.post(reverse("case_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == Client.objects.count() == 0


def test_an_admin_must_choose_a_therapist(as_user, admin_user):
    response = as_user(admin_user).post(reverse("case_create"), {"kind": "individual", **person("first")})
    assert "Choose the therapist who will lead this case" in response.content.decode()


def test_therapists_see_only_their_own_cases(as_user, therapist, colleague, couple_case):
    theirs = make_case(therapist=colleague, kind=Case.Kind.INDIVIDUAL)
    client = as_user(therapist)
    body = client.get(reverse("case_list")).content.decode()
    assert str(couple_case.code) in body
    assert str(theirs.code) not in body
    assert client.get(reverse("case_detail", kwargs={"code": theirs.code})).status_code == 404
    assert client.get(reverse("case_detail", kwargs={"code": couple_case.code})).status_code == 200


def test_the_case_list_runs_a_fixed_number_of_queries(as_user, therapist, django_assert_max_num_queries):
    client = as_user(therapist)
    make_case(therapist=therapist)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("case_list"))
    for _ in range(10):
        make_case(therapist=therapist)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("case_list"))
    assert response.content.decode().count("/cases/") >= 11


def test_viewing_a_case_is_audited(as_user, therapist, couple_case):
    as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code}))
    event = AuditEvent.objects.get(action=Action.CASE_VIEWED)
    assert (event.actor, event.target_id) == (therapist, str(couple_case.code))


@pytest.mark.parametrize("who", ["client_user", "partner_user", "outsider"])
def test_clients_cannot_open_case_pages(request, as_user, couple_case, who):
    client = as_user(request.getfixturevalue(who))
    assert client.get(reverse("case_list")).status_code == 404
    assert client.get(reverse("case_create")).status_code == 404
    assert client.get(reverse("case_detail", kwargs={"code": couple_case.code})).status_code == 404
    assert client.get(reverse("dashboard")).status_code == 404
    assert client.get(reverse("practice_home")).status_code == 404


def test_an_admin_reassigns_a_case(as_user, admin_user, couple_case, colleague):
    client = as_user(admin_user)
    client.post(reverse("case_reassign", kwargs={"code": couple_case.code}), {"primary_therapist": colleague.pk})
    couple_case.refresh_from_db()
    assert couple_case.primary_therapist == colleague
    event = AuditEvent.objects.get(action=Action.CASE_REASSIGNED)
    assert event.detail == {"from": "owner", "to": "colleague", "drafts_moved": 0, "appointments_moved": 0}


def test_a_case_cannot_go_to_an_inactive_or_non_therapist(as_user, admin_user, couple_case, therapist):
    client = as_user(admin_user)
    gone = make_user(Role.THERAPIST, is_active=False)
    for target in (gone, admin_user):
        response = client.post(
            reverse("case_reassign", kwargs={"code": couple_case.code}), {"primary_therapist": target.pk}, follow=True
        )
        assert "Choose an active therapist" in response.content.decode()
    couple_case.refresh_from_db()
    assert couple_case.primary_therapist == therapist


def test_therapists_cannot_reassign(as_user, therapist, couple_case, colleague):
    response = as_user(therapist).post(
        reverse("case_reassign", kwargs={"code": couple_case.code}), {"primary_therapist": colleague.pk}
    )
    assert response.status_code == 404
    couple_case.refresh_from_db()
    assert couple_case.primary_therapist == therapist


def test_client_visibility_is_scoped_to_the_user(
    therapist, colleague, admin_user, client_user, partner_user, couple_case, outsider
):
    visible = Client.objects.visible_to
    assert set(visible(therapist)) == set(couple_case.clients.all())
    assert set(visible(client_user)) == {client_user.client_profile}
    assert partner_user.client_profile not in visible(client_user)
    assert set(visible(colleague)) == {outsider.client_profile}
    assert visible(admin_user).count() == 3
    assert Case.objects.visible_to(client_user).count() == 0


def test_a_client_is_greeted_by_their_preferred_name(as_user, couple_case, client_user):
    Client.objects.filter(user=client_user).update(preferred_name="Jo")
    response = as_user(client_user).get(reverse("client_home"))
    assert "Hello, Jo</h1>" in response.content.decode()
