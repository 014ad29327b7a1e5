from django.contrib.sessions.models import Session
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent


def test_quick_exit_ends_the_session(as_user, client_user, person):
    c = as_user(client_user)
    key = c.session.session_key
    response = c.post(reverse("quick_exit"))
    assert response.status_code == 204
    assert not Session.objects.filter(session_key=key).exists()
    assert c.get(reverse("client_home")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.QUICK_EXIT, actor=client_user).exists()
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=client_user).exists()


def test_quick_exit_works_without_a_form_token_or_a_session(client, db):
    from django.test import Client as DjangoClient

    assert DjangoClient(enforce_csrf_checks=True).post(reverse("quick_exit")).status_code == 204


def test_every_client_page_has_the_exit_first(as_user, client_user, person, settings):
    settings.QUICK_EXIT_URL = "https://neutral.example/weather"
    c = as_user(client_user)
    for url in (reverse("client_home"), reverse("intake_section", kwargs={"step": 1}), reverse("account")):
        body = c.get(url).content.decode()
        exit_at = body.index('id="quick-exit"')
        assert exit_at < body.index("Skip to main content")
        assert 'href="https://neutral.example/weather"' in body
        assert "quick-exit.js" in body


def test_the_sign_in_page_has_the_exit_too(client, db):
    assert 'id="quick-exit"' in client.get(reverse("login")).content.decode()
