"""Every address parameter that could carry a secret is declared once, and every declared secret is cut.

clinic.lib.logs.URL_PARAMETERS says, for each parameter of the URL map that
is neither an int nor a uuid, whether its value is a secret; a secret is cut
from every log line. A start-up check (fulcrum.E001) walks the URL map.
"""

import re
import uuid

import pytest
from django.core.checks import run_checks
from django.urls import URLResolver, get_resolver, include, path, re_path, register_converter
from django.urls.resolvers import RegexPattern

from clinic.checks import undeclared_url_parameters, url_routes
from clinic.lib.logs import SECRET, URL_PARAMETERS, redact
from clinic.urls import urlpatterns


def view(request, **kwargs):
    raise AssertionError("never called")


class Colour:
    regex = "red|green"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Colour, "testcolour")


def url_map(*extra) -> URLResolver:
    """The real URL map with `extra` patterns added, as Django builds the root resolver."""
    return URLResolver(RegexPattern(r"^/"), [*urlpatterns, *extra])


def test_every_parameter_of_the_url_map_is_declared():
    assert undeclared_url_parameters(get_resolver()) == []
    assert not [m for m in run_checks(tags=["urls"]) if m.id == "fulcrum.E001"]


def test_manage_py_check_refuses_a_new_address_with_an_undeclared_parameter(settings):
    settings.ROOT_URLCONF = "tests.ops.urls_with_a_gift_link"
    (error,) = [m for m in run_checks(tags=["urls"]) if m.id == "fulcrum.E001"]
    assert error.msg == "<code> of 'gift/<str:code>/' is not declared a secret or not" and error.is_serious()


def test_the_walk_reaches_through_includes_and_the_language_prefix():
    routes = dict(url_routes(get_resolver()))
    for route in URL_PARAMETERS:
        assert route in routes  # e.g. welcome/<str:token>/ under the language prefix, feeds/... in an include
    assert "cases/<uuid:code>/plan/v/<int:number>/" in routes and "healthz" in routes


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (path("gift/<str:code>/", view), "<code> of 'gift/<str:code>/'"),
        (path("gift/<code>/", view), "<code> of 'gift/<code>/'"),
        (path("gift/<slug:code>/", view), "<code> of 'gift/<slug:code>/'"),
        (path("gift/<path:rest>", view), "<rest> of 'gift/<path:rest>'"),
        (path("gift/<testcolour:shade>/", view), "<shade> of 'gift/<testcolour:shade>/'"),
        (re_path(r"^gift/(?P<code>\w+)/$", view), "<code> of '^gift/(?P<code>\\\\w+)/$'"),
        (re_path(r"^gift/(\w+)/$", view), "<group 1> of '^gift/(\\\\w+)/$'"),
        (path("gifts/<str:batch>/", include([path("<int:n>/", view)])), "<batch> of 'gifts/<str:batch>/<int:n>/'"),
        (path("gifts/", include([path("<str:code>/", view)])), "<code> of 'gifts/<str:code>/'"),
    ],
)
def test_an_undeclared_parameter_is_refused_at_start_up(pattern, problem):
    problems = undeclared_url_parameters(url_map(pattern))
    assert len(problems) == 1 and problems[0].startswith(problem) and "not declared" in problems[0]


def test_an_int_or_a_uuid_needs_no_declaration():
    assert undeclared_url_parameters(url_map(path("gift/<int:n>/<uuid:code>/", view))) == []


def test_a_declaration_the_url_map_no_longer_has_is_refused(monkeypatch):
    monkeypatch.setitem(URL_PARAMETERS, "invite/<str:token>/", {"token": SECRET})
    monkeypatch.setitem(URL_PARAMETERS, "welcome/<str:token>/", {"token": SECRET, "kind": SECRET})
    monkeypatch.setitem(URL_PARAMETERS, "calendar/day/<isodate:day>/", {"day": "maybe"})
    assert sorted(undeclared_url_parameters(get_resolver())) == [
        "<day> of 'calendar/day/<isodate:day>/' is declared 'maybe', neither SECRET nor NOT_SECRET",
        "<kind> of 'welcome/<str:token>/' is declared but the URL map has no such parameter",
        "<token> of 'invite/<str:token>/' is declared but the URL map has no such parameter",
    ]


SECRET_ROUTES = [route for route, parameters in URL_PARAMETERS.items() if any(k is SECRET for k in parameters.values())]


def sample(route: str) -> tuple[str, list[str], list[str]]:
    """An address of `route`: the address, its secret values, its other values."""
    secrets, others, values = [], [], {}
    for n, (converter, name) in enumerate(re.findall(r"<(?:(\w+):)?(\w+)>", route)):
        if URL_PARAMETERS[route].get(name) is SECRET:
            values[name] = f"Sec{n}ret-{n}_xyZ"
            secrets.append(values[name])
        else:
            values[name] = str(uuid.UUID(int=n + 1)) if converter == "uuid" else f"Plain{n}"
            others.append(values[name])
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route), secrets, others


@pytest.mark.parametrize("route", SECRET_ROUTES)
def test_every_declared_secret_is_cut_however_the_address_is_written(route):
    address, secrets, others = sample(route)
    written = [
        f"Not Found: {address}",
        f'"GET {address}?next=/x HTTP/1.1" 404 179',
        f'127.0.0.1 "GET /es{address}" 404 12 3ms',
        f"Referer: https://fulcrum.example{address}",
        address[:-1],  # its last character lost
        f"{address}garbage",
        f"'{address}'",
        address.replace("/", "%2F"),  # a raw request line may spell each slash so
        address.upper(),
    ]
    for line in written:
        cut = redact(line)
        assert "[redacted]" in cut and not [s for s in secrets if s.lower() in cut.lower()], (line, cut)
    # What is not secret stays, for whoever reads the log.
    assert all(value in redact(address) for value in others)


def test_an_address_that_only_shares_a_secret_routes_start_is_left_whole():
    assert redact("GET /account/reset/done/ 200") == "GET /account/reset/done/ 200"
    assert redact("GET /calendar/week/2026-03-02/ 200") == "GET /calendar/week/2026-03-02/ 200"
