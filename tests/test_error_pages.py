"""Refusals Django makes on its own (bad Host, oversized forms) get a plain page in the practice's words."""

from django.test import RequestFactory
from django.urls import reverse

from clinic.views import permission_denied


def test_an_unknown_host_gets_a_plain_bad_request_page(client, db):
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    body = response.content.decode()
    assert response.status_code == 400
    assert "We could not handle that request" in body and "nothing was changed" in body
    assert "evil.example" not in body and "DisallowedHost" not in body
    assert 'id="quick-exit"' in body and "js/quick-exit.js" in body


def test_a_form_with_too_many_fields_is_refused_calmly(as_user, client_user, couple_case):
    http = as_user(client_user)
    data = {f"field{i}": "x" for i in range(1500)}
    response = http.post(reverse("intake_autosave", kwargs={"step": 4}), data)
    assert response.status_code == 400
    assert "We could not handle that request" in response.content.decode()


def test_a_permission_refusal_reads_as_one(db):
    response = permission_denied(RequestFactory().get("/"))
    assert response.status_code == 403
    assert "Not available to you" in response.content.decode()
