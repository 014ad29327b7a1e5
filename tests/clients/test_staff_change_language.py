"""Staff change a client's language at the client's request, from the case page: audited, scoped, refused in words."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def url(case, client) -> str:
    return reverse("client_language_edit", kwargs={"case_code": case.code, "client_code": client.code})


def events():
    return AuditEvent.objects.filter(action=Action.CLIENT_LANGUAGE_CHANGED)


def test_the_therapist_changes_it_and_the_client_then_reads_spanish(as_user, therapist, couple_case, person):
    page = as_user(therapist).post(url(couple_case, person), {"language": "es"}, follow=True)
    person.refresh_from_db()
    assert person.language == "es"
    event = events().get()
    assert event.actor == therapist and event.client_id == person.pk and event.detail == {"from": "en", "to": "es"}
    text = page.content.decode()
    assert "pages, emails, messages and documents are now in Español" in text
    card = BeautifulSoup(text, "html.parser").select_one(f"#language-{person.code}")
    assert card.select_one("option[selected]")["value"] == "es"
    # The client's own pages follow the record at once.
    assert '<html lang="es">' in as_user(person.user).get(reverse("client_home")).content.decode()


def test_an_admin_may_change_it_too(as_user, admin_user, couple_case, partner):
    as_user(admin_user).post(url(couple_case, partner), {"language": "es"})
    partner.refresh_from_db()
    assert partner.language == "es" and events().get().actor == admin_user


def test_the_same_language_again_changes_and_records_nothing(as_user, therapist, couple_case, person):
    page = as_user(therapist).post(url(couple_case, person), {"language": "en"}, follow=True)
    assert "already reads English. Nothing was changed." in page.content.decode()
    assert not events().exists()


@pytest.mark.parametrize("value", ["xx", "", "es\u202e", "ES ", "e\u0301s"])
def test_an_unknown_language_is_refused_in_words_and_nothing_changes(as_user, therapist, couple_case, person, value):
    page = as_user(therapist).post(url(couple_case, person), {"language": value}, follow=True)
    assert "Choose one of the languages listed. Nothing was changed." in page.content.decode()
    person.refresh_from_db()
    assert person.language == "en" and not events().exists()


def test_others_get_404_and_change_nothing(as_user, colleague, couple_case, person, partner):
    for user in (colleague, partner.user, person.user):
        assert as_user(user).post(url(couple_case, person), {"language": "es"}).status_code == 404
    person.refresh_from_db()
    assert person.language == "en" and not events().exists()


def test_it_takes_only_post(as_user, therapist, couple_case, person):
    assert as_user(therapist).get(url(couple_case, person)).status_code == 405
