"""A new password by sign-in name or email: only ever to the client's current safe address, answered alike."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Client
from tests.factories import make_user
from tests.timing import assert_same_time

DONE = reverse("password_reset_done")
NEW_PASSWORD = "tidal-basin-forty-lanterns"


def reset(http, value):
    return http.post(reverse("password_reset"), {"name_or_email": value})


def link_in(message) -> str:
    return re.search(r"http://testserver(/account/reset/\S+/)", message.body).group(1)


@pytest.fixture
def safe_person(person, client_user):
    """A client whose login carries an old address, and who gave a different one as safe."""
    client_user.email = "old-shared@example.org"
    client_user.save(update_fields=["email"])
    Client.objects.filter(pk=person.pk).update(may_email=True, email="mine-only@example.org")
    person.refresh_from_db()
    return person


def test_a_clients_link_goes_to_the_safe_address_by_sign_in_name(client, client_user, safe_person):
    assert reset(client, client_user.username).url == DONE
    assert [m.to for m in mail.outbox] == [["mine-only@example.org"]]
    event = AuditEvent.objects.get(action=Action.PASSWORD_RESET_SENT)
    assert (event.target_id, event.client) == (str(client_user.code), safe_person)


def test_a_clients_link_goes_to_the_safe_address_when_that_address_is_typed(client, client_user, safe_person):
    reset(client, "Mine-Only@example.org")
    assert [m.to for m in mail.outbox] == [["mine-only@example.org"]]


def test_the_old_address_on_the_login_never_gets_a_link_and_names_nobody(client, client_user, safe_person):
    assert reset(client, "old-shared@example.org").url == DONE
    assert mail.outbox == []
    reset(client, client_user.username)
    assert "old-shared@example.org" not in [to for m in mail.outbox for to in m.to]


def test_nothing_is_sent_when_email_is_not_marked_safe(client, client_user, safe_person):
    Client.objects.filter(pk=safe_person.pk).update(may_email=False)
    assert reset(client, client_user.username).url == DONE
    assert reset(client, "mine-only@example.org").url == DONE
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET_REQUESTED).count() == 2
    assert not AuditEvent.objects.filter(action=Action.PASSWORD_RESET_SENT).exists()


def test_the_choice_in_force_when_the_message_leaves_decides(client, client_user, safe_person, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    reset(client, client_user.username)
    # The client changes their mind before the worker runs: nothing goes out.
    Client.objects.filter(pk=safe_person.pk).update(may_email=False)
    from django_tasks_db.models import DBTaskResult

    from clinic.accounts.reset import send_password_reset

    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"][0] == client_user.pk
    send_password_reset.call(*queued.args_kwargs["args"])
    assert mail.outbox == []


def test_an_address_two_clients_share_names_neither(client, couple_case, client_user, partner_user):
    Client.objects.filter(user__in=[client_user, partner_user]).update(may_email=True, email="home@example.org")
    reset(client, "home@example.org")
    assert mail.outbox == []
    reset(client, partner_user.username)
    assert [m.to for m in mail.outbox] == [["home@example.org"]]


def test_staff_links_still_go_to_the_staff_email(client, therapist):
    reset(client, therapist.username)
    reset(client, therapist.email.upper())
    assert [m.to for m in mail.outbox] == [[therapist.email], [therapist.email]]


def test_an_inactive_login_gets_nothing(client, therapist):
    therapist.is_active = False
    therapist.save(update_fields=["is_active"])
    reset(client, therapist.username)
    assert mail.outbox == []


def test_a_login_made_from_an_invitation_can_set_a_new_password(client, therapist, couple_case):
    from django.test import RequestFactory

    from intake.invitations import send_invitation

    person = couple_case.clients.order_by("memberships__id").last()
    Client.objects.filter(pk=person.pk).update(user=None, may_email=True, email="sam@example.org")
    person.refresh_from_db()
    request = RequestFactory().post("/")
    request.user = therapist
    link = send_invitation(client=person, by=therapist, request=request).link.replace("http://testserver", "")
    mail.outbox.clear()
    client.post(link, {"username": "sam-r", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    person.refresh_from_db()
    assert person.user.email == ""  # the login itself has no address
    client.post(reverse("logout"))

    assert reset(client, "sam-r").url == DONE
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    page = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": "a-new-river-of-lamps", "new_password2": "a-new-river-of-lamps"}
    )
    person.user.refresh_from_db()
    assert person.user.check_password("a-new-river-of-lamps")


def test_the_message_is_neutral(client, client_user, safe_person):
    reset(client, client_user.username)
    message = mail.outbox[0]
    text = (message.subject + message.body).lower()
    for word in ("therapy", "therapist", "couple", "abuse", "session", "safety", "counselling", "practice"):
        assert word not in text
    assert safe_person.full_name.lower() not in text and client_user.username not in text


def test_the_page_answers_the_same_words_and_status_whatever_happens(client, client_user, safe_person):
    sent = HttpClient().post(reverse("password_reset"), {"name_or_email": client_user.username}, follow=True)
    unknown = HttpClient().post(reverse("password_reset"), {"name_or_email": "nobody-here"}, follow=True)
    assert len(mail.outbox) == 1
    assert sent.redirect_chain == unknown.redirect_chain == [(DONE, 302)]
    strip = lambda r: re.sub(r'(nonce|value)="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(sent) == strip(unknown)


def test_an_empty_form_is_explained(client, db):
    response = reset(client, "")
    assert response.status_code == 200
    assert "Enter the sign-in name you chose" in response.content.decode()


def test_the_field_is_not_kept_by_the_browser(client, db):
    soup = BeautifulSoup(client.get(reverse("password_reset")).content, "html.parser")
    form = soup.find("input", attrs={"name": "name_or_email"}).find_parent("form")
    assert form["autocomplete"] == "off"
    assert form.find("input", attrs={"name": "name_or_email"})["autocomplete"] == "off"


def test_other_methods_are_refused(client, db):
    assert client.put(reverse("password_reset")).status_code == 405


def test_a_reset_request_takes_the_same_time_whether_or_not_mail_is_sent(client, db, settings):
    """Median of 20 tries each, interleaved, within 5 ms: the send happens on the worker, not in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = make_user(Role.CLIENT, username="timed-person", email="")
    make_client = Client.objects.create
    make_client(full_name="Timed Person", user=user, may_email=True, email="timed@example.org", created_by=user)
    make_user(Role.CLIENT, username="no-safe-email", email="")
    names = {"sends": "timed-person", "silent": "no-safe-email", "unknown": "nobody-by-that-name"}
    http = HttpClient()
    tries = {kind: (lambda name=name: reset(http, name)) for kind, name in names.items()}
    for again in tries.values():  # warm up caches and the first query plans
        again()
    medians = assert_same_time(tries, within_ms=5, count=20)
    assert mail.outbox == [], medians  # nothing was sent inside any request
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(args_kwargs__args__0=user.pk).count() >= 21
