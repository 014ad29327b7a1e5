"""An invitation link takes only so many tries, so it cannot be used to test which sign-in names exist."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case
from intake.invitations import send_invitation
from intake.models import Invitation
from tests.factories import make_case

STRONG = "tidal-basin-forty-lanterns"


@pytest.fixture
def link(therapist, settings):
    settings.INVITATION_ATTEMPTS = 3
    person = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL).clients.get()
    request = RequestFactory().post("/")
    request.user = therapist
    return send_invitation(client=person, by=therapist, request=request).link.replace("http://testserver", "")


def probe(http, link, name):
    return http.post(link, {"username": name, "password1": STRONG, "password2": STRONG})


def test_after_so_many_tries_the_link_stops_with_a_calm_page(client, link, client_user):
    for name in ("clientone", "owner"):
        response = probe(client, link, name)
        assert response.status_code == 200 and "That sign-in name is taken" in response.content.decode()
    last = probe(client, link, "practiceadmin-maybe")
    # The third try used the last one; had it been free, the account would have been made.
    assert last.status_code == 302
    assert Invitation.objects.get().state == "used"


def test_the_limit_counts_failed_tries_and_then_refuses_every_name(client, link, client_user):
    for _ in range(2):
        probe(client, link, "clientone")
    stopped = probe(client, link, "clientone")
    assert stopped.status_code == 410
    body = stopped.content.decode()
    assert "This link has stopped working" in body and "ask your practice for a new link" in body
    assert "taken" not in body
    # A free name, a GET, a fresh browser: all get the same calm page now.
    assert probe(client, link, "a-free-name").status_code == 410
    from tests.browserlike import BrowserLikeClient as HttpClient

    assert "stopped working" in HttpClient().get(link).content.decode()
    invitation = Invitation.objects.get()
    assert invitation.state == "limited" and invitation.used_at is None
    assert not invitation.client.user_id
    assert AuditEvent.objects.filter(action=Action.INVITATION_LIMITED, client=invitation.client).count() == 1


def test_tries_are_counted_on_the_server_not_in_the_browser(link, client_user):
    from tests.browserlike import BrowserLikeClient as HttpClient

    for _ in range(3):
        probe(HttpClient(), link, "clientone")  # a new browser each time, no cookies kept
    assert Invitation.objects.get().attempts == 3
    assert probe(HttpClient(), link, "clientone").status_code == 410


def test_invalid_forms_count_too(client, link):
    for _ in range(3):
        client.post(link, {"username": "x", "password1": "short", "password2": "other"})
    assert Invitation.objects.get().state == "limited"


def test_looking_at_the_link_does_not_use_a_try(client, link):
    for _ in range(5):
        assert client.get(link).status_code == 200
    assert Invitation.objects.get().attempts == 0


def test_staff_see_the_link_stopped_and_can_send_a_new_one(client, as_user, link, therapist):
    for _ in range(3):
        probe(client, link, "owner")
    invitation = Invitation.objects.get()
    case = invitation.client.cases.get()
    staff = as_user(therapist)
    page = staff.get(reverse("case_detail", kwargs={"code": case.code})).content.decode()
    assert "link limited" in page
    staff.post(reverse("invite_client", kwargs={"case_code": case.code, "client_code": invitation.client.code}))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Invitation.objects.filter(client=invitation.client).open().count() == 1
