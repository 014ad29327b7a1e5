import pytest
from django.urls import reverse

from tests.browserlike import BrowserLikeClient as DjangoClient


@pytest.fixture
def strict_client():
    return DjangoClient(enforce_csrf_checks=True)


def test_a_stale_form_gets_a_friendly_page_that_gives_back_what_was_typed(strict_client, db):
    response = strict_client.post(
        reverse("login"),
        {"username": "jo-typed-this", "password": "never-shown-again"},
        HTTP_ORIGIN="http://testserver",
        HTTP_REFERER="http://testserver/account/login/",
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "That form could not be sent" in body
    assert "jo-typed-this" in body
    assert "never-shown-again" not in body
    assert 'href="http://testserver/account/login/"' in body


def test_text_from_another_site_is_not_echoed(strict_client, db):
    response = strict_client.post(
        reverse("login"), {"username": "Call 0900 for help"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert "Call 0900" not in response.content.decode()
