"""A client signs, sees and withdraws their own authorizations in their portal; never their partner's."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.releases.models import ReleaseAuthorization
from tests.releases.flow import authorize, portal_signing

NEW = reverse("sharing_new")
HOME = reverse("sharing_home")


def test_the_home_links_to_a_neutral_page(as_user, client_user, person):
    http = as_user(client_user)
    home = BeautifulSoup(http.get(reverse("client_home")).content, "html.parser")
    assert home.find("a", href=HOME).get_text(strip=True) == "Sharing your records"
    page = BeautifulSoup(http.get(HOME).content, "html.parser")
    assert page.title.get_text(strip=True) == "Fulcrum"
    assert page.find(id="quick-exit") is not None


def test_a_client_signs_with_their_full_name(as_user, client_user, person, partner):
    http = as_user(client_user)
    response = http.post(NEW, portal_signing(person, signature=f"  {person.full_name.upper()} "))
    assert response.status_code == 302 and response["Location"] == HOME
    a = ReleaseAuthorization.objects.get()
    assert (a.authorizing_client, a.recipient_client, a.method, a.scope) == (
        person,
        partner,
        "portal",
        "conjoint_notes",
    )
    assert a.signature_name == person.full_name.upper() and a.signed_on == timezone.localdate()
    event = AuditEvent.objects.get(action=Action.RELEASE_AUTHORIZED)
    assert (event.actor, event.client, event.target_id) == (client_user, person, str(a.code))
    listed = http.get(HOME).content.decode()
    assert partner.display_name in listed and "Withdraw it" in listed


def test_a_name_that_does_not_match_is_refused_and_what_was_typed_is_kept(as_user, client_user, person):
    response = as_user(client_user).post(
        NEW,
        portal_signing(person, signature="Someone Else", recipient_kind="third_party", third_party_name="Dr Ada Park"),
    )
    assert response.status_code == 200 and not ReleaseAuthorization.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    assert "Type your full name exactly" in page.find(id="error-summary").get_text()
    assert page.find("input", {"name": "third_party_name"})["value"] == "Dr Ada Park"
    assert page.find("input", {"name": "signature"})["value"] == "Someone Else"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"conjoint_notes": ""}, "Tick at least one"),
        ({"expires_on": ""}, "Choose the last day"),
        ({"expires_on": timezone.localdate().isoformat()}, "after today"),
        ({"expires_on": (timezone.localdate() + timedelta(days=400)).isoformat()}, "at most a year"),
        ({"expires_on": "2027-02-30"}, "Enter a date"),
        ({"recipient_kind": "third_party"}, "Write the name"),
        ({"recipient_kind": "landlord"}, "Select a valid choice"),
    ],
)
def test_the_form_says_what_to_fix(as_user, client_user, person, change, error):
    data = {k: v for k, v in portal_signing(person, **change).items() if v != ""}
    response = as_user(client_user).post(NEW, data)
    assert error in response.content.decode() and not ReleaseAuthorization.objects.exists()


def test_the_form_and_every_field_ask_the_browser_not_to_remember(as_user, client_user, person):
    page = BeautifulSoup(as_user(client_user).get(NEW).content, "html.parser")
    form = page.find("input", attrs={"name": "signature"}).find_parent("form")
    assert form["autocomplete"] == "off"
    fields = form.find_all(["input", "textarea", "select"])
    visible = [f for f in fields if f.get("type") != "hidden"]
    assert visible and all(f.get("autocomplete") == "off" for f in visible)


def test_a_client_sees_and_withdraws_only_their_own(
    as_user, client_user, partner_user, person, partner, therapist, couple_case
):
    theirs = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    mine = authorize(case=couple_case, by_client=person, to_client=partner, recorder=therapist)
    http = as_user(client_user)
    page = http.get(HOME).content.decode()
    assert reverse("sharing_revoke", kwargs={"code": mine.code}) in page
    assert str(theirs.code) not in page
    # The partner's authorization, by its URL: 404 whatever the method.
    url = reverse("sharing_revoke", kwargs={"code": theirs.code})
    assert http.get(url).status_code == 404
    assert http.post(url, {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    withdrawn = http.post(reverse("sharing_revoke", kwargs={"code": mine.code}), {"reason": ""})
    assert withdrawn.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_by == client_user and mine.revoke_reason == ""
    event = AuditEvent.objects.get(action=Action.RELEASE_AUTHORIZATION_REVOKED)
    assert event.client == person and event.detail["by_client"] is True
    # The partner learns nothing of it.
    partner_page = as_user(partner_user).get(HOME).content.decode()
    assert str(mine.code) not in partner_page and "Withdrawn" not in partner_page


@pytest.mark.parametrize("who", ["therapist", "colleague", "admin_user"])
def test_staff_do_not_reach_the_client_pages(request, as_user, person, partner, therapist, couple_case, who):
    mine = authorize(case=couple_case, by_client=person, to_client=partner, recorder=therapist)
    http = as_user(request.getfixturevalue(who))
    for url in (HOME, NEW, reverse("sharing_revoke", kwargs={"code": mine.code})):
        assert http.get(url).status_code == 404


def test_an_outsider_client_cannot_reach_another_clients_authorization(
    as_user, outsider, person, partner, therapist, couple_case
):
    mine = authorize(case=couple_case, by_client=person, to_client=partner, recorder=therapist)
    http = as_user(outsider)
    assert http.get(reverse("sharing_revoke", kwargs={"code": mine.code})).status_code == 404
    # Their sessions are with them alone: nothing to sign.
    assert http.get(NEW).status_code == 404
    assert "nothing here that needs your agreement right now" in http.get(HOME).content.decode()


def test_wrong_methods_are_refused(as_user, client_user, person, partner, therapist, couple_case):
    mine = authorize(case=couple_case, by_client=person, to_client=partner, recorder=therapist)
    http = as_user(client_user)
    assert http.post(HOME).status_code == 405
    assert http.put(NEW).status_code == 405
    assert http.delete(reverse("sharing_revoke", kwargs={"code": mine.code})).status_code == 405
