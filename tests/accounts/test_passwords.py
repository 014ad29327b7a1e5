import re

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic import settings as project_settings
from clinic.accounts.models import Role
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Client
from tests.factories import PASSWORD, make_user


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hashed = make_password("a long enough passphrase")
    assert hashed.startswith("argon2$")
    assert check_password("a long enough passphrase", hashed)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass1", "at least 12 characters"),
        ("q1w2e3r4t5y6", "too common"),
        ("839201748392", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(settings, password, message):
    settings.AUTH_PASSWORD_VALIDATORS = project_settings.AUTH_PASSWORD_VALIDATORS
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert any(message in m for m in excinfo.value.messages)


def test_a_strong_password_is_accepted():
    validate_password("tidal-basin-forty-lanterns")


def test_changing_a_password_is_audited_and_keeps_the_session(as_user, client_user):
    client = as_user(client_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "tidal-basin-forty-lanterns",
            "new_password2": "tidal-basin-forty-lanterns",
        },
    )
    assert response.status_code == 302
    client_user.refresh_from_db()
    assert client_user.check_password("tidal-basin-forty-lanterns")
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED, actor=client_user).exists()
    assert client.get(reverse("client_home")).status_code == 200


def reset(client, email):
    return client.post(reverse("password_reset"), {"name_or_email": email})


def test_reset_answers_the_same_for_unknown_and_known_addresses(client, therapist):
    unknown = reset(client, "nobody@example.org")
    known = reset(client, therapist.email)
    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1


def test_reset_email_is_neutral_and_sets_a_password_without_signing_in(client, therapist):
    reset(client, therapist.email)
    message = mail.outbox[0]
    assert message.to == [therapist.email]
    for word in ("therapy", "couple", "abuse", "session", "assessment", "safety"):
        assert word not in (message.subject + message.body).lower()
    link = re.search(r"http://testserver(/account/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "tidal-basin-forty-lanterns", "new_password2": "tidal-basin-forty-lanterns"},
    )
    assert done.url == reverse("password_reset_complete")
    therapist.refresh_from_db()
    assert therapist.check_password("tidal-basin-forty-lanterns")
    # Setting a password signs nobody in, so two-factor still stands.
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.PASSWORD_SET, actor=therapist).exists()


def test_reset_never_emails_a_client_whose_email_is_not_safe(client, couple_case, client_user):
    Client.objects.filter(user=client_user).update(may_email=False, email=client_user.email)
    response = reset(client, client_user.email)
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_emails_a_client_who_marked_email_safe(client, couple_case, client_user):
    Client.objects.filter(user=client_user).update(may_email=True, email=client_user.email)
    reset(client, client_user.email)
    assert [m.to for m in mail.outbox] == [[client_user.email]]


def test_a_used_reset_link_says_so_calmly(client, db):
    user = make_user(Role.ADMIN)
    reset(client, user.email)
    link = re.search(r"http://testserver(/account/reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "tidal-basin-forty-lanterns", "new_password2": "tidal-basin-forty-lanterns"},
    )
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()
