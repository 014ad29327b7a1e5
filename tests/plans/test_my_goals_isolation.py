"""Partner A's individual goal is in nothing partner B can open: their goals page, their home, any answer."""

import pytest
from django.urls import reverse

from tests.plans.progress_helpers import MARK_A, MARK_B, signed_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(couple_case, therapist, person, partner):
    return signed_plan(couple_case, therapist, person=person, partner=partner, ask=True)


def test_each_partner_sees_only_their_own_individual_goal(as_user, client_user, partner_user, plan):
    mine = as_user(client_user).get(reverse("my_goals")).content.decode()
    assert MARK_A in mine and MARK_B not in mine
    theirs = as_user(partner_user).get(reverse("my_goals")).content.decode()
    assert MARK_B in theirs and MARK_A not in theirs


def test_no_page_partner_b_opens_holds_partner_as_goal(as_user, partner_user, plan, partner):
    c = as_user(partner_user)
    pages = [
        c.get(reverse("client_home")),
        c.get(reverse("my_goals")),
        c.post(reverse("my_goals"), {"version": str(plan.code), "typed_name": ""}),
        c.post(reverse("my_goals"), {"version": str(plan.code), "typed_name": "Partner B"}),
        c.get(reverse("my_goals")),
    ]
    for response in pages:
        assert MARK_A not in response.content.decode()


def test_the_home_item_is_neutral_and_asks_until_confirmed(as_user, partner_user, plan, partner):
    c = as_user(partner_user)
    home = c.get(reverse("client_home")).content.decode()
    assert "What we are working on" in home and "Please read and confirm." in home
    c.post(reverse("my_goals"), {"version": str(plan.code), "typed_name": "Partner B"})
    home = c.get(reverse("client_home")).content.decode()
    assert "What we are working on" in home and "Please read and confirm." not in home


def test_concerns_never_reach_a_client(as_user, client_user, couple_case, therapist, person, partner):
    from clinic.plans.models import PlanVersion
    from clinic.plans.planning import sign_version, start_plan
    from tests.plans.progress_helpers import add_goal

    version = start_plan(case=couple_case, by=therapist)
    PlanVersion.objects.filter(pk=version.pk).update(concerns="Partner B says Vellichor about the money.")
    add_goal(version)
    version.refresh_from_db()
    sign_version(version=version, by=therapist)
    for page in (reverse("my_goals"), reverse("client_home")):
        assert "Vellichor" not in as_user(client_user).get(page).content.decode()
