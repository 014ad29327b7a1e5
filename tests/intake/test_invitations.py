import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Client
from intake.models import Invitation
from tests.factories import make_case

CLINICAL_WORDS = ("therapy", "therapist", "counselling", "couple", "abuse", "safety", "intake", "assessment", "session")


@pytest.fixture
def new_case(therapist):
    """A couple case whose clients have no accounts yet."""
    case = make_case(therapist=therapist, kind=Case.Kind.COUPLE)
    first, second = case.clients.order_by("memberships__id")
    Client.objects.filter(pk=first.pk).update(email="alex@example.org", may_email=True)
    Client.objects.filter(pk=second.pk).update(email="sam@example.org", may_email=False)
    return case


def people(case):
    return list(case.clients.order_by("memberships__id"))


def invite(client, case, person, **extra):
    url = reverse("invite_client", kwargs={"case_code": case.code, "client_code": person.code})
    return client.post(url, **extra)


def link_from(response) -> str:
    return re.search(r'value="http://testserver(/welcome/[A-Za-z0-9_-]+/)"', response.content.decode()).group(1)


def test_an_invitation_is_emailed_only_when_email_is_safe(
    as_user, therapist, new_case, django_capture_on_commit_callbacks
):
    staff = as_user(therapist)
    alex, sam = people(new_case)
    with django_capture_on_commit_callbacks(execute=True):
        emailed = invite(staff, new_case, alex)
        handed = invite(staff, new_case, sam)
    assert [m.to for m in mail.outbox] == [["alex@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Set up your account"
    assert "Your practice has invited you to set up your account" in message.body
    for word in CLINICAL_WORDS:
        assert word not in (message.subject + message.body).lower()
    assert alex.full_name not in message.body
    assert "was emailed" in emailed.content.decode()
    assert "nothing was sent" in handed.content.decode()
    assert link_from(handed)
    assert Invitation.objects.get(client=sam).delivery == Invitation.Delivery.IN_PERSON


def test_only_a_hash_of_the_token_is_stored(as_user, therapist, new_case):
    response = invite(as_user(therapist), new_case, people(new_case)[1])
    token = link_from(response).split("/")[2]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in str(list(Invitation.objects.values()))
    assert token not in str(list(AuditEvent.objects.values()))


def test_opening_the_link_sets_a_password_and_starts_intake(client, as_user, therapist, new_case):
    sam = people(new_case)[1]
    link = link_from(invite(as_user(therapist), new_case, sam))
    client.post(reverse("logout"))
    page = client.get(link)
    assert "Set up your account" in page.content.decode()
    assert sam.full_name not in page.content.decode()
    response = client.post(
        link,
        {"username": "sam-r", "password1": "tidal-basin-forty-lanterns", "password2": "tidal-basin-forty-lanterns"},
    )
    assert response.url == reverse("intake_start")
    sam.refresh_from_db()
    assert sam.user.username == "sam-r"
    assert sam.user.role == Role.CLIENT
    assert sam.user.check_password("tidal-basin-forty-lanterns")
    assert Invitation.objects.get().used_at is not None
    assert client.get(response.url, follow=True).redirect_chain[-1][0] == reverse("intake_section", kwargs={"step": 1})
    assert AuditEvent.objects.filter(action=Action.INVITATION_ACCEPTED, client=sam).exists()


def test_a_link_works_once(client, as_user, therapist, new_case):
    link = link_from(invite(as_user(therapist), new_case, people(new_case)[1]))
    client.post(reverse("logout"))
    data = {"username": "sam-r", "password1": "tidal-basin-forty-lanterns", "password2": "tidal-basin-forty-lanterns"}
    client.post(link, data)
    client.post(reverse("logout"))
    again = client.post(link, {**data, "username": "someone-else"})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert not Client.objects.filter(user__username="someone-else").exists()


def test_an_expired_link_gets_a_calm_page(client, as_user, therapist, new_case, settings):
    settings.INVITATION_DAYS = 7
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = link_from(invite(as_user(therapist), new_case, people(new_case)[1]))
        client.post(reverse("logout"))
        clock.shift(timedelta(days=7, minutes=1))
        response = client.get(link)
    assert response.status_code == 410
    body = response.content.decode()
    assert "This link has expired" in body and "contact your practice" in body
    assert AuditEvent.objects.filter(action=Action.INVITATION_REFUSED, detail={"state": "expired"}).exists()


def test_resending_kills_the_old_link(client, as_user, therapist, new_case):
    staff = as_user(therapist)
    sam = people(new_case)[1]
    old = link_from(invite(staff, new_case, sam))
    new = link_from(invite(staff, new_case, sam))
    assert old != new
    assert Invitation.objects.filter(client=sam).open().count() == 1
    client.post(reverse("logout"))
    assert "no longer works" in client.get(old).content.decode()
    assert client.get(new).status_code == 200


def test_revoking_a_link(client, as_user, therapist, new_case):
    staff = as_user(therapist)
    sam = people(new_case)[1]
    link = link_from(invite(staff, new_case, sam))
    staff.post(reverse("revoke_client_invitation", kwargs={"case_code": new_case.code, "client_code": sam.code}))
    invitation = Invitation.objects.get()
    assert invitation.revoked_at is not None and invitation.revoked_by == therapist
    client.post(reverse("logout"))
    assert client.get(link).status_code == 410


@pytest.mark.parametrize("token", ["x", "not-a-real-token", "A" * 43, "../../etc/passwd", "%00"])
def test_malformed_or_unknown_links_reveal_nothing(client, db, token):
    response = client.get(f"/welcome/{token}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This link is not recognised" in body or "Page not found" in body
    assert "Traceback" not in body


def test_the_accept_form_explains_bad_choices_and_keeps_the_name(client, as_user, therapist, new_case, client_user):
    link = link_from(invite(as_user(therapist), new_case, people(new_case)[1]))
    client.post(reverse("logout"))
    mismatched = client.post(link, {"username": "clientone", "password1": "short", "password2": "other"})
    body = mismatched.content.decode()
    assert "The two passwords are different" in body
    # Whether a name is taken is said only once everything else is right.
    assert "That sign-in name is taken" not in body
    strong = "tidal-basin-forty-lanterns"
    taken = client.post(link, {"username": "clientone", "password1": strong, "password2": strong})
    assert "That sign-in name is taken" in taken.content.decode()
    weak = client.post(link, {"username": "new-name", "password1": "q1w2e3r4t5y6", "password2": "q1w2e3r4t5y6"})
    assert "too common" in weak.content.decode()
    assert 'value="new-name"' in weak.content.decode()
    assert Invitation.objects.get().used_at is None


def test_a_signed_in_person_opening_a_link_is_signed_out_first(client, as_user, therapist, new_case, client_user):
    link = link_from(invite(as_user(therapist), new_case, people(new_case)[1]))
    client.force_login(client_user)
    client.get(link)
    assert "_auth_user_id" not in client.session


def test_no_invitation_for_a_client_who_already_has_an_account(as_user, therapist, couple_case, client_user):
    person = Client.objects.get(user=client_user)
    response = invite(as_user(therapist), couple_case, person, follow=True)
    assert "already has an account" in response.content.decode()
    assert Invitation.objects.count() == 0


def test_outsiders_cannot_invite_or_revoke(as_user, colleague, client_user, new_case):
    sam = people(new_case)[1]
    kwargs = {"case_code": new_case.code, "client_code": sam.code}
    for who in (colleague, client_user):
        c = as_user(who)
        assert c.post(reverse("invite_client", kwargs=kwargs)).status_code == 404
        assert c.post(reverse("revoke_client_invitation", kwargs=kwargs)).status_code == 404
    assert Invitation.objects.count() == 0


def test_inviting_needs_post(as_user, therapist, new_case):
    sam = people(new_case)[1]
    response = as_user(therapist).get(
        reverse("invite_client", kwargs={"case_code": new_case.code, "client_code": sam.code})
    )
    assert response.status_code == 405


def test_the_case_page_shows_each_clients_onboarding_state(as_user, therapist, new_case):
    staff = as_user(therapist)
    sam = people(new_case)[1]
    invite(staff, new_case, sam)
    body = staff.get(reverse("case_detail", kwargs={"code": new_case.code})).content.decode()
    assert "Not invited yet" in body
    assert "Invited" in body and "link open until" in body
