"""Staff record an authorization from a signed paper form, and revoke one when the client asks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.releases.models import ReleaseAuthorization


def list_url(case, client):
    return reverse("authorization_list", kwargs={"case_code": case.code, "client_code": client.code})


def paper(**extra) -> dict:
    today = timezone.localdate()
    return {
        "recipient_kind": "third_party",
        "third_party_name": "Dr Ada Park",
        "third_party_organisation": "Family doctor",
        "conjoint_notes": "on",
        "shared_material": "on",
        "signed_on": (today - timedelta(days=2)).isoformat(),
        "expires_on": (today + timedelta(days=200)).isoformat(),
        "have_paper": "on",
        **extra,
    }


@pytest.mark.parametrize("who", ["therapist", "admin_user"])
def test_staff_record_one_from_the_signed_form(request, as_user, couple_case, partner, who):
    user = request.getfixturevalue(who)
    http = as_user(user)
    response = http.post(list_url(couple_case, partner), paper())
    assert response.status_code == 302
    a = ReleaseAuthorization.objects.get()
    assert (a.authorizing_client, a.method, a.recorded_by, a.scope) == (partner, "paper", user, "both")
    assert (
        a.signed_on == timezone.localdate() - timedelta(days=2)
        and timezone.localdate(a.created_at) == timezone.localdate()
    )
    assert a.recipient_label == "Dr Ada Park (Family doctor)"
    event = AuditEvent.objects.get(action=Action.RELEASE_AUTHORIZATION_RECORDED)
    assert (event.actor, event.client) == (user, partner)
    page = http.get(list_url(couple_case, partner)).content.decode()
    assert "Paper, recorded by" in page and "Dr Ada Park" in page


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"signed_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "cannot be in the future"),
        ({"have_paper": ""}, "only from a form the client signed"),
        ({"signed_on": (timezone.localdate() - timedelta(days=400)).isoformat()}, "at most a year"),
    ],
)
def test_a_paper_form_that_does_not_hold_is_refused(as_user, therapist, couple_case, partner, change, error):
    data = {k: v for k, v in paper(**change).items() if v != ""}
    response = as_user(therapist).post(list_url(couple_case, partner), data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not ReleaseAuthorization.objects.exists()


def test_staff_revoke_with_a_reason(as_user, therapist, couple_case, partner):
    http = as_user(therapist)
    http.post(list_url(couple_case, partner), paper())
    a = ReleaseAuthorization.objects.get()
    url = reverse("authorization_revoke", kwargs={"code": a.code})
    http.post(url, {"reason": ""})
    a.refresh_from_db()
    assert a.revoked_at is None
    http.post(url, {"reason": "Client asked in session, 3 March"})
    a.refresh_from_db()
    assert (a.revoked_by, a.revoke_reason) == (therapist, "Client asked in session, 3 March")
    assert AuditEvent.objects.filter(action=Action.RELEASE_AUTHORIZATION_REVOKED, client=partner).count() == 1


@pytest.mark.parametrize("who", ["colleague", "client_user", "partner_user", "outsider"])
def test_others_get_404(request, as_user, therapist, couple_case, partner, who):
    as_user(therapist).post(list_url(couple_case, partner), paper())
    a = ReleaseAuthorization.objects.get()
    http = as_user(request.getfixturevalue(who))
    assert http.get(list_url(couple_case, partner)).status_code == 404
    assert http.post(list_url(couple_case, partner), paper()).status_code == 404
    assert http.post(reverse("authorization_revoke", kwargs={"code": a.code}), {"reason": "x"}).status_code == 404
    assert ReleaseAuthorization.objects.count() == 1 and ReleaseAuthorization.objects.get().revoked_at is None


def test_wrong_methods_are_refused(as_user, therapist, couple_case, partner):
    http = as_user(therapist)
    assert http.put(list_url(couple_case, partner)).status_code == 405
    assert (
        http.get(reverse("authorization_revoke", kwargs={"code": "00000000-0000-0000-0000-000000000000"})).status_code
        == 405
    )
