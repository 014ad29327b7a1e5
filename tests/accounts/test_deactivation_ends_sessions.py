"""Deactivating a staff member ends all their sessions at once; reactivation never revives an old cookie.

Deactivation raises the account's session generation, which is part of the
session auth hash Django checks on every request. A cookie from before is
refused even if nobody used it while the account was inactive, and the
session row behind it is removed when it is presented. Signing in afresh
works as usual, and other people's sessions are untouched.
"""

from django.contrib.sessions.models import Session
from django.test import Client as DjangoClient
from django.urls import reverse

from tests.conftest import sign_in


def signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_cookie_from_before_deactivation_is_refused_after_reactivation(as_user, admin_user, therapist, colleague):
    laptop = sign_in(DjangoClient(), therapist)
    phone = sign_in(DjangoClient(), therapist)
    bystander = sign_in(DjangoClient(), colleague)
    for browser in (laptop, phone, bystander):
        assert browser.get(reverse("dashboard")).status_code == 200
    old_key = laptop.cookies["sessionid"].value

    admin = as_user(admin_user)
    admin.post(reverse("staff_deactivate", kwargs={"code": therapist.code}))
    # Nobody uses the old cookies while the account is inactive...
    admin.post(reverse("staff_reactivate", kwargs={"code": therapist.code}))
    therapist.refresh_from_db()
    assert therapist.is_active and therapist.session_generation == 1

    # ...and still they sign nobody in after reactivation.
    assert signed_out(laptop.get(reverse("dashboard")))
    assert signed_out(phone.get(reverse("dashboard")))
    assert not Session.objects.filter(session_key=old_key).exists()
    assert bystander.get(reverse("dashboard")).status_code == 200

    fresh = sign_in(DjangoClient(), therapist)
    assert fresh.get(reverse("dashboard")).status_code == 200


def test_reactivating_alone_ends_no_session(as_user, admin_user, therapist):
    therapist.is_active = False
    therapist.save(update_fields=["is_active"])
    admin = as_user(admin_user)
    admin.post(reverse("staff_reactivate", kwargs={"code": therapist.code}))
    therapist.refresh_from_db()
    assert therapist.session_generation == 0
    assert sign_in(DjangoClient(), therapist).get(reverse("dashboard")).status_code == 200
