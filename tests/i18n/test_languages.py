"""Each reader in their language: a public page by its address, a client by their record, staff in English.

Nothing in the browser remembers a language: no cookie is set and none is read, and the
browser's Accept-Language changes nothing (a shared device must not give away that someone
read the pages in Spanish, nor switch the next person's pages).
"""

from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import translation

from clinic.appointments.models import Reminder
from clinic.appointments.reminders import send_due
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Client
from clinic.clients.notices import notify_something_new
from clinic.context_processors import PUBLIC_BY_LANGUAGE
from intake.models import Inquiry
from tests.appointments.helpers import at, booked, next_weekday
from tests.appointments.test_reminders import wants
from tests.browserlike import BrowserLikeClient
from tests.factories import make_case

pytestmark = pytest.mark.django_db

PUBLIC_GETS = ["login", "password_reset", "password_reset_done", "password_reset_complete", "safety_page"]
PUBLIC_GETS += ["self_check", "inquiry_start", "inquiry_thanks"]


def spanish(url_name: str, **kwargs) -> str:
    with translation.override("es"):
        return reverse(url_name, kwargs=kwargs or None)


def test_public_addresses_carry_the_language_and_english_has_no_prefix():
    assert reverse("self_check") == "/check/"
    assert spanish("self_check") == "/es/check/"
    assert spanish("inquiry_start") == "/es/start/"
    # Signed-in pages have one address; their language is the client's own.
    assert spanish("client_home") == "/my/"


@pytest.mark.parametrize("name", PUBLIC_GETS)
def test_every_public_page_reads_in_spanish_at_its_spanish_address(client, name):
    response = client.get(spanish(name))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in page
    assert "Salir de este sitio" in page and "Exit this site" not in page
    assert response["Content-Language"] == "es"
    # The way back to English is a link to the address without the prefix.
    assert f'href="{reverse(name)}" lang="en"' in page


@pytest.mark.parametrize("name", PUBLIC_GETS)
def test_no_public_page_leaves_or_follows_a_language_cookie(client, name):
    for url in (reverse(name), spanish(name)):
        response = client.get(url)
        assert "django_language" not in response.cookies
        assert not any("lang" in cookie.lower() for cookie in response.cookies)
    # A cookie or a browser asking for Spanish does not change the English address.
    client.cookies["django_language"] = "es"
    response = client.get(reverse(name), headers={"accept-language": "es"})
    assert '<html lang="en-us">' in response.content.decode()


def test_every_public_page_in_the_list_is_one_with_a_language_prefix():
    for name in PUBLIC_BY_LANGUAGE:
        kwargs = {"uidb64": "MQ", "token": "x"} if name == "password_reset_confirm" else {}
        kwargs = {"token": "x"} if name in ("invitation_accept", "consultation_confirm") else kwargs
        assert spanish(name, **kwargs).startswith("/es/"), name


def test_an_unknown_spanish_address_is_a_spanish_not_found_page(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_the_self_check_answers_in_spanish_and_stays_at_its_spanish_address(client):
    page = BrowserLikeClient().post(spanish("self_check"), {})
    assert page.status_code == 200
    assert page.wsgi_request.path == "/es/check/"
    assert "Falta" in page.content.decode() or "Faltan" in page.content.decode()


def test_a_message_sent_from_the_spanish_get_started_records_spanish_for_the_case(client, admin_user, as_user):
    page = client.get(spanish("inquiry_start")).content.decode()
    assert "Primeros pasos" in page
    inquiry = Inquiry.objects.create(
        name="Ana",
        contact_method="email",
        contact_value="ana@example.org",
        message="Hola",
        language="es",
        consent_to_contact=True,
    )
    detail = as_user(admin_user).get(reverse("inquiry_detail", kwargs={"code": inquiry.code})).content.decode()
    # The admin's page is in English, with Spanish chosen for the person's record.
    assert '<html lang="en-us">' in detail
    assert 'value="es" selected' in detail or 'value="es" checked' in detail


def test_staff_choose_the_language_when_they_open_a_case(as_user, admin_user, therapist):
    staff = as_user(admin_user)
    response = staff.post(
        reverse("case_create"),
        {
            "kind": Case.Kind.INDIVIDUAL,
            "primary_therapist": therapist.pk,
            "first-full_name": "Lucía Gómez",
            "first-language": "es",
        },
    )
    assert response.status_code == 302
    assert Client.objects.get(full_name="Lucía Gómez").language == "es"
    refused = staff.post(
        reverse("case_create"),
        {
            "kind": Case.Kind.INDIVIDUAL,
            "primary_therapist": therapist.pk,
            "first-full_name": "Otra Persona",
            "first-language": "xx",
        },
    )
    assert refused.status_code == 200
    assert "Choose one of the practice&#x27;s languages." in refused.content.decode()
    assert not Client.objects.filter(full_name="Otra Persona").exists()


def test_a_spanish_client_reads_their_pages_in_spanish_and_staff_stay_in_english(
    as_user, person, client_user, therapist, couple_case
):
    Client.objects.filter(pk=person.pk).update(language="es")
    home = as_user(client_user).get(reverse("client_home")).content.decode()
    assert '<html lang="es">' in home and "Sus tareas" in home and "Your tasks" not in home
    # The help page (a public page) follows the signed-in client's record too, at its plain address.
    help_page = as_user(client_user).get(reverse("safety_page")).content.decode()
    assert "Ayuda y apoyo" in help_page
    case_page = as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert '<html lang="en-us">' in case_page
    assert "Español" in case_page


def test_a_client_changes_their_language_in_their_account_at_once_and_it_is_audited(as_user, person, client_user):
    signed_in = as_user(client_user)
    account = signed_in.get(reverse("account")).content.decode()
    assert 'name="language"' in account and "Español" in account
    response = signed_in.post(reverse("account_language"), {"language": "es"}, follow=True)
    page = response.content.decode()
    assert "Guardado. Sus páginas, correos y mensajes ahora están en este idioma." in page
    assert '<html lang="es">' in page
    # The account page shows the language now on the record as the one chosen.
    assert BeautifulSoup(page, "html.parser").select_one("input[name=language][checked]")["value"] == "es"
    person.refresh_from_db()
    assert person.language == "es"
    event = AuditEvent.objects.get(action=Action.CLIENT_LANGUAGE_CHANGED)
    assert event.detail == {"from": "en", "to": "es"} and event.client_id == person.pk
    # An unknown language is refused with a message, and nothing changes.
    signed_in.post(reverse("account_language"), {"language": "xx"})
    person.refresh_from_db()
    assert person.language == "es"


def test_only_a_client_has_a_language_to_choose(as_user, therapist):
    assert as_user(therapist).post(reverse("account_language"), {"language": "es"}).status_code == 404


def test_an_invitation_reaches_a_spanish_client_in_spanish_with_a_spanish_link(
    as_user, therapist, django_capture_on_commit_callbacks
):
    case = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL)
    (person,) = case.clients.all()
    Client.objects.filter(pk=person.pk).update(email="lu@example.org", may_email=True, language="es")
    url = reverse("invite_client", kwargs={"case_code": case.code, "client_code": person.code})
    with django_capture_on_commit_callbacks(execute=True):
        page = as_user(therapist).post(url).content.decode()
    (message,) = mail.outbox
    assert message.subject == "Cree su cuenta"
    assert "Su consultorio le invita a crear su cuenta" in message.body
    assert "/es/welcome/" in message.body
    # The therapist's page stays in English.
    assert "was emailed" in page


def test_the_something_new_notice_is_in_the_clients_language(person, django_capture_on_commit_callbacks):
    Client.objects.filter(pk=person.pk).update(email="jo@example.org", may_email=True, language="es")
    person.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_something_new(client=person, request=None)
    (message,) = mail.outbox
    assert message.subject == "Tiene algo nuevo de su consultorio"
    assert message.body.startswith("Tiene algo nuevo de su consultorio.")


def test_a_reminder_is_in_the_clients_language_with_spanish_dates(couple_case, person, partner):
    wants(person, "email")
    Client.objects.filter(pk=person.pk).update(language="es")
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    send_due(now=appointment.starts_at - timedelta(hours=24))
    (message,) = mail.outbox
    assert message.subject.startswith("Recordatorio: su cita del ")
    assert "tiene una cita el lunes" in message.body
    assert " de " in message.body and "Monday" not in message.body
    assert Reminder.objects.get().status == "sent"


def test_a_spanish_client_meets_error_pages_in_spanish_even_where_no_view_runs(person, client_user):
    from django.test import Client as HttpClient

    from tests.conftest import sign_in

    person.language = "es"
    person.save(update_fields=["language"])
    # An address that matches nothing reaches no view.
    http = sign_in(HttpClient(), client_user)
    missing = http.get("/my/no-such-page/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert '<html lang="es">' in page and "Página no encontrada" in page
    # A form whose security token is refused is refused before any view: the page says so in Spanish, and
    # gives back what was typed.
    strict = sign_in(HttpClient(enforce_csrf_checks=True), client_user)
    refused = strict.post(
        reverse("account_language"),
        {"language": "en", "note": "Señora Núñez"},
        HTTP_ORIGIN="http://testserver",
        follow=True,  # answered by a redirect to the page held once (clinic.middleware.AnswerByRedirectMiddleware)
    )
    assert refused.status_code == 403
    page = refused.content.decode()
    assert '<html lang="es">' in page and "No se pudo enviar el formulario" in page and "Señora Núñez" in page
    person.refresh_from_db()
    assert person.language == "es"


def test_spanish_numbers_are_written_as_in_the_united_states():
    from django.template import Context, Template
    from django.utils import formats

    from clinic.lib import language

    with language.speaking("es"):
        assert Template("{{ index }}").render(Context({"index": 38.9})) == "38.9"
        assert formats.number_format(1250.5, 1, force_grouping=True) == "1,250.5"
        assert (
            formats.date_format(datetime(2026, 12, 7, 14, 30), "DATETIME_FORMAT")
            == "7 de diciembre de 2026, 2:30 p. m."
        )
