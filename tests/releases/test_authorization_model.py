"""Release authorizations: in force only between signing and expiry, until revoked; scope and recipient held by the database."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.clients.models import Case
from clinic.releases.models import ReleaseAuthorization
from tests.factories import make_case
from tests.releases.flow import authorize


def test_it_is_in_force_from_signing_through_the_expiry_day(couple_case, person, partner, therapist):
    a = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist, days=10)
    today = timezone.localdate()
    assert list(ReleaseAuthorization.objects.in_force()) == [a]
    assert ReleaseAuthorization.objects.in_force(on=today + timedelta(days=10)).exists()
    assert not ReleaseAuthorization.objects.in_force(on=today + timedelta(days=11)).exists()
    assert not ReleaseAuthorization.objects.in_force(on=today - timedelta(days=1)).exists()
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        assert a.state == "expired" and not a.is_in_force()


def test_a_revocation_ends_it_at_once_and_the_first_one_stands(couple_case, person, partner, therapist, admin_user):
    a = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist)
    assert a.revoke(by=partner.user, reason="Changed my mind")
    assert not a.revoke(by=admin_user, reason="again")
    a = ReleaseAuthorization.objects.get(pk=a.pk)
    assert (a.revoked_by, a.revoke_reason, a.state) == (partner.user, "Changed my mind", "revoked")
    assert not ReleaseAuthorization.objects.in_force().exists()
    assert not ReleaseAuthorization.objects.in_force(on=timezone.localdate() - timedelta(days=1)).exists()


@pytest.mark.parametrize(("scope", "covers"), [("conjoint_notes", True), ("both", True), ("shared_material", False)])
def test_the_scope_says_whether_conjoint_notes_are_covered(couple_case, person, partner, therapist, scope, covers):
    a = authorize(case=couple_case, by_client=partner, to_client=person, recorder=therapist, scope=scope)
    assert a.covers_conjoint_notes is covers
    assert ReleaseAuthorization.objects.covering_conjoint_notes().filter(pk=a.pk).exists() is covers


@pytest.mark.parametrize(
    "change",
    [
        {"scope": "everything"},
        {"recipient_kind": "the_neighbour"},
        {"method": "fax"},
        {"third_party_name": "Someone"},  # a partner recipient with a third-party name
        {"recipient_client": None},
        {"expires_on_days": 0},
        {"revoked_at": timezone.now()},  # revoked, but by nobody
        {"method": "portal", "signature_name": ""},
        {"to_oneself": True},
    ],
)
def test_the_database_refuses_an_incoherent_authorization(couple_case, person, partner, therapist, change):
    fields = {
        "case": couple_case,
        "authorizing_client": partner,
        "recipient_kind": "partner",
        "recipient_client": person,
        "scope": "conjoint_notes",
        "signed_on": timezone.localdate(),
        "expires_on": timezone.localdate() + timedelta(days=30),
        "method": "paper",
        "recorded_by": therapist,
    }
    change = dict(change)
    if "expires_on_days" in change:
        fields["expires_on"] = fields["signed_on"] + timedelta(days=change.pop("expires_on_days"))
    if change.pop("to_oneself", False):
        fields["recipient_client"] = partner
    fields.update(change)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseAuthorization.objects.create(**fields)


def test_clean_explains_dates_and_recipients_in_words(couple_case, person, partner, therapist):
    today = timezone.localdate()
    a = ReleaseAuthorization(
        case=couple_case,
        authorizing_client=partner,
        recipient_kind="partner",
        recipient_client=partner,
        scope="conjoint_notes",
        signed_on=today + timedelta(days=1),
        expires_on=today,
        method="paper",
        recorded_by=therapist,
    )
    with pytest.raises(ValidationError) as caught:
        a.full_clean()
    errors = caught.value.message_dict
    assert "cannot be in the future" in errors["signed_on"][0]
    assert "after today" in errors["expires_on"][0]
    assert "other person in this case" in errors["recipient_client"][0]
    a.signed_on, a.expires_on, a.recipient_client = today, today + timedelta(days=400), person
    with pytest.raises(ValidationError) as caught:
        a.full_clean()
    assert "at most a year" in caught.value.message_dict["expires_on"][0]


def test_only_a_couple_case_takes_authorizations(therapist, colleague):
    case = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL)
    a = ReleaseAuthorization(
        case=case,
        authorizing_client=case.clients.get(),
        recipient_kind="third_party",
        third_party_name="Dr Lee",
        scope="conjoint_notes",
        signed_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=30),
        method="paper",
        recorded_by=therapist,
    )
    with pytest.raises(ValidationError) as caught:
        a.full_clean()
    assert "couple case" in caught.value.message_dict["case"][0]
