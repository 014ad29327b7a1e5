import re

import pytest
from django.core import mail
from django.test import Client as DjangoClient
from django.urls import reverse

from clinic.accounts.models import Role, User
from clinic.audit.models import Action, AuditEvent
from tests.conftest import sign_in

NEW_STAFF = {
    "first_name": "Nia",
    "last_name": "Reyes",
    "username": "nreyes",
    "email": "nia@example.org",
    "role": Role.THERAPIST,
}


def test_an_admin_adds_a_therapist_who_gets_a_set_password_link(
    as_user, admin_user, django_capture_on_commit_callbacks
):
    client = as_user(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff_create"), NEW_STAFF)
    user = User.objects.get(username="nreyes")
    assert response.url == reverse("staff_detail", kwargs={"code": user.code})
    assert (user.role, user.email, user.has_usable_password()) == (Role.THERAPIST, "nia@example.org", False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@example.org"]
    assert re.search(r"/account/reset/\S+/\S+/", mail.outbox[0].body)
    event = AuditEvent.objects.get(action=Action.STAFF_CREATED)
    assert (event.actor, event.target_id) == (admin_user, str(user.code))


def test_adding_staff_explains_bad_input_and_keeps_what_was_typed(as_user, admin_user, therapist):
    client = as_user(admin_user)
    data = {**NEW_STAFF, "email": therapist.email.upper(), "role": Role.ADMIN, "is_supervisor": "on"}
    response = client.post(reverse("staff_create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Another account already uses this email address" in body
    assert "Only therapists can be supervisors" in body
    assert 'value="Nia"' in body
    assert not User.objects.filter(username="nreyes").exists()


def test_staff_list_shows_active_staff_and_filters(as_user, admin_user, therapist, colleague, client_user):
    client = as_user(admin_user)
    colleague.is_active = False
    colleague.save()
    body = client.get(reverse("staff_list")).content.decode()
    assert "owner" in body and "colleague" not in body and "clientone" not in body
    body = client.get(reverse("staff_list"), {"show": "inactive"}).content.decode()
    assert "colleague" in body and "owner" not in body


def test_deactivating_ends_the_users_session_at_once(as_user, admin_user, therapist):
    theirs = sign_in(DjangoClient(), therapist)
    assert theirs.get(reverse("dashboard")).status_code == 200
    admin = as_user(admin_user)
    response = admin.post(reverse("staff_deactivate", kwargs={"code": therapist.code}))
    assert response.status_code == 302
    therapist.refresh_from_db()
    assert not therapist.is_active
    after = theirs.get(reverse("dashboard"))
    assert after.status_code == 302
    assert after.url.startswith(reverse("login"))
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DEACTIVATED, target_id=str(therapist.code)).exists()

    admin.post(reverse("staff_reactivate", kwargs={"code": therapist.code}))
    therapist.refresh_from_db()
    assert therapist.is_active


def test_an_admin_cannot_deactivate_or_demote_themselves(as_user, admin_user):
    client = as_user(admin_user)
    client.post(reverse("staff_deactivate", kwargs={"code": admin_user.code}))
    admin_user.refresh_from_db()
    assert admin_user.is_active
    client.post(
        reverse("staff_detail", kwargs={"code": admin_user.code}),
        {"first_name": "A", "last_name": "B", "email": admin_user.email, "role": Role.THERAPIST},
    )
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


def test_editing_staff_is_audited(as_user, admin_user, therapist):
    client = as_user(admin_user)
    data = {
        "first_name": "Theo",
        "last_name": "Marsh",
        "email": therapist.email,
        "role": Role.THERAPIST,
        "is_supervisor": "on",
    }
    client.post(reverse("staff_detail", kwargs={"code": therapist.code}), data)
    therapist.refresh_from_db()
    assert therapist.is_supervisor
    assert therapist.username == "owner"
    event = AuditEvent.objects.get(action=Action.STAFF_UPDATED)
    assert "is_supervisor" in event.detail["fields"]


@pytest.mark.parametrize("who", ["therapist", "client_user"])
def test_only_admins_reach_staff_pages(request, as_user, who, colleague):
    client = as_user(request.getfixturevalue(who))
    assert client.get(reverse("staff_list")).status_code == 404
    assert client.get(reverse("staff_create")).status_code == 404
    assert client.get(reverse("staff_detail", kwargs={"code": colleague.code})).status_code == 404
    assert client.post(reverse("staff_deactivate", kwargs={"code": colleague.code})).status_code == 404
    colleague.refresh_from_db()
    assert colleague.is_active


def test_staff_pages_do_not_open_client_accounts(as_user, admin_user, client_user):
    client = as_user(admin_user)
    assert client.get(reverse("staff_detail", kwargs={"code": client_user.code})).status_code == 404


def test_deactivate_needs_post(as_user, admin_user, therapist):
    client = as_user(admin_user)
    assert client.get(reverse("staff_deactivate", kwargs={"code": therapist.code})).status_code == 405


def test_an_admin_marks_a_therapist_as_needing_cosign(as_user, admin_user, therapist, supervisor):
    data = {"first_name": "T", "last_name": "M", "email": therapist.email, "role": Role.THERAPIST, "needs_cosign": "on"}
    url = reverse("staff_detail", kwargs={"code": therapist.code})
    # Without a supervisor the notes would wait for nobody: the form says so and saves nothing.
    alone = as_user(admin_user).post(url, data)
    assert "Choose who supervises this therapist" in alone.content.decode()
    therapist.refresh_from_db()
    assert not therapist.needs_cosign
    as_user(admin_user).post(url, {**data, "supervisor": str(supervisor.pk)})
    therapist.refresh_from_db()
    assert therapist.needs_cosign and therapist.supervisor == supervisor
    refused = as_user(admin_user).post(reverse("staff_create"), {**NEW_STAFF, "role": Role.ADMIN, "needs_cosign": "on"})
    assert "Only therapists&#x27; notes are co-signed" in refused.content.decode()
