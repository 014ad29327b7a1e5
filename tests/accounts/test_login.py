import pytest
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from tests.factories import PASSWORD, make_device


def post_login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.mark.parametrize(
    ("fixture", "home", "heading"),
    [
        ("client_user", "client_home", "Your tasks"),
        ("therapist", "dashboard", "Dashboard"),
        ("admin_user", "practice_home", "Practice"),
    ],
)
def test_it_lands_each_role_on_its_home(request, as_user, fixture, home, heading):
    user = request.getfixturevalue(fixture)
    client = as_user(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse(home)
    page = client.get(response.url)
    assert page.status_code == 200
    assert heading in page.content.decode()


def test_a_client_signs_in_with_a_password_and_lands_on_tasks(client, client_user):
    response = post_login(client, "clientone", follow=True)
    assert response.redirect_chain[-1][0] == reverse("client_home")
    assert response.context["user"] == client_user


def test_staff_signing_in_must_pass_two_factor_before_any_page(client, therapist):
    make_device(therapist)
    response = post_login(client, "owner")
    assert response.status_code == 302
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 302
    assert dashboard.url.startswith(reverse("two_factor_verify"))


def test_it_records_sign_in_sign_out_and_failures(client, client_user):
    post_login(client, "clientone", password="wrong-password-here")
    failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert failed.actor == client_user
    assert failed.detail == {"name_known": True}
    assert failed.ip == "127.0.0.1"

    post_login(client, "nobody-by-this-name", password="wrong-password-here")
    unknown = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("-id").first()
    assert unknown.actor is None
    assert unknown.detail == {"name_known": False}

    post_login(client, "clientone", HTTP_USER_AGENT="TestBrowser/1.0")
    login = AuditEvent.objects.get(action=Action.LOGIN)
    assert (login.actor, login.actor_label, login.user_agent) == (client_user, "clientone", "TestBrowser/1.0")

    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=client_user).count() == 1


def test_the_failed_password_is_never_stored(client, client_user):
    post_login(client, "clientone", password="my-secret-guess-123")
    assert "my-secret-guess-123" not in str(list(AuditEvent.objects.values()))


def test_signing_in_rotates_the_session_key(client, client_user):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    post_login(client, "clientone")
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"


def test_logout_clears_the_session_and_needs_post(client, client_user):
    post_login(client, "clientone")
    assert client.get(reverse("logout")).status_code == 405
    session_key = client.session.session_key
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("client_home")).status_code == 302


def test_a_bad_login_says_what_to_do_and_keeps_the_username(client, client_user):
    response = post_login(client, "clientone", password="not-the-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please enter a correct username and password" in body
    assert 'value="clientone"' in body
