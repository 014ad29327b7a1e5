"""Every URL is private unless it is on the short public list below.

Walks every pattern in the URLconf, fills its parameters with plausible
values, and asks as an anonymous visitor. A new view that forgets
protection fails here.
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "invitation_accept",
    "quick_exit",
    "safety_page",
    "inquiry_start",
    "inquiry_thanks",
    # The link that confirms a chosen consultation time: a long random token instead of a sign-in.
    "consultation_confirm",
    # A therapist's calendar subscription: a long random token instead of a sign-in (clinic/appointments/feeds.py).
    "calendar_feed_ics",
    "self_check",
}
# What a public URL answers to an anonymous GET with the sample values (200 unless said here).
PUBLIC_STATUS = {"invitation_accept": 404, "quick_exit": 405, "calendar_feed_ics": 404, "consultation_confirm": 404}

SAMPLE = {"uuid": str(uuid.uuid4()), "uidb64": "MQ", "token": "set-password"}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry


def sample_url(pattern: URLPattern) -> str:
    kwargs = {}
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__.lower().replace("converter", "")
        if kind == "uuid":
            kwargs[name] = SAMPLE["uuid"]
        elif kind == "int":
            kwargs[name] = 1
        elif kind == "isodate":
            kwargs[name] = "2026-12-07"
        else:
            kwargs[name] = SAMPLE.get(name, "x")
    return reverse(pattern.name, kwargs=kwargs)


ALL = [p for p in walk(get_resolver().url_patterns)]


def test_every_pattern_has_a_name():
    assert all(p.name for p in ALL), "name every URL pattern so it can be checked"


@pytest.mark.parametrize("pattern", [p for p in ALL if p.name not in PUBLIC], ids=lambda p: p.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_private_urls_send_anonymous_visitors_to_sign_in(client, db, pattern, method):
    url = sample_url(pattern)
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{url} answered {response.status_code} to an anonymous {method.upper()}"
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("pattern", [p for p in ALL if p.name in PUBLIC], ids=lambda p: p.name)
def test_public_urls_open_without_signing_in(client, db, pattern):
    response = client.get(sample_url(pattern), follow=True)
    assert response.status_code == PUBLIC_STATUS.get(pattern.name, 200)
    assert not any(reverse("login") in url for url, _ in response.redirect_chain)


def test_the_public_list_names_only_real_patterns():
    assert {p.name for p in ALL} >= PUBLIC
