"""A client confirms the goals with a typed name, once; it is audited and shown with its date afterwards."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client as PlainClient
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.plans.models import PlanAcknowledgement
from tests.conftest import sign_in
from tests.plans.progress_helpers import signed_plan

pytestmark = pytest.mark.django_db

MY_GOALS = reverse("my_goals")


@pytest.fixture
def plan(couple_case, therapist, person, partner):
    return signed_plan(couple_case, therapist, person=person, partner=partner, ask=True)


def test_the_client_confirms_once_and_sees_the_date(as_user, client_user, plan, person):
    c = as_user(client_user)
    page = BeautifulSoup(c.get(MY_GOALS).content, "html.parser")
    form = page.select_one("form#ack-form")
    assert form["method"] == "post" and form.select_one("input[name=typed_name]")["autocomplete"] == "off"
    version = form.select_one("input[name=version]")["value"]
    response = c.post(MY_GOALS, {"version": version, "typed_name": " Robin "}, follow=True)
    assert response.redirect_chain == [(MY_GOALS, 302)]
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("form#ack-form") is None
    assert page.select_one("#ack-done").get_text().startswith("You confirmed these on ")
    ack = PlanAcknowledgement.objects.get()
    assert (ack.client, ack.version, ack.typed_name) == (person, plan, "Robin")
    c.post(MY_GOALS, {"version": str(plan.code), "typed_name": "Robin again"})
    assert PlanAcknowledgement.objects.get().typed_name == "Robin"
    assert AuditEvent.objects.filter(action=Action.PLAN_ACKNOWLEDGED, client=person).count() == 1


def test_the_post_is_answered_by_a_redirect_to_the_same_address(client_user, plan):
    plain = sign_in(PlainClient(), client_user)
    response = plain.post(MY_GOALS, {"version": str(plan.code), "typed_name": ""})
    assert response.status_code == 303 and response["Location"] == MY_GOALS
    assert "Type your name" in plain.get(MY_GOALS).content.decode()
    assert not PlanAcknowledgement.objects.exists()


def test_no_form_when_the_version_does_not_ask(as_user, client_user, couple_case, therapist, person):
    version = signed_plan(couple_case, therapist, person=person)
    c = as_user(client_user)
    assert 'id="ack-form"' not in c.get(MY_GOALS).content.decode()
    c.post(MY_GOALS, {"version": str(version.code), "typed_name": "Robin"})
    assert not PlanAcknowledgement.objects.exists()


def test_an_unknown_version_is_404(as_user, client_user, plan):
    c = as_user(client_user)
    assert c.post(MY_GOALS, {"version": "not-a-code", "typed_name": "Robin"}).status_code == 404
    assert c.post(MY_GOALS, {"typed_name": "Robin"}).status_code == 404
    assert not PlanAcknowledgement.objects.exists()
