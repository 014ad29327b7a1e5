"""No secret of an address reaches a log: real requests to every secret address, and every log line they make.

The calendar subscription (a valid token and a wrong one), an invitation, a
password link and a therapist's rescreen address are requested, rightly and
wrongly (cut short, in Spanish, with a query, as the Referer). Everything is
read as written: Django's configured handlers at DEBUG (`django.request`,
`django.server` from runserver's own request handler on a socket), and
gunicorn's access and error logs through gunicorn.conf.py's logger, once with
every atom gunicorn has in its format and once for real (a gunicorn process).
"""

import http.client
import io
import logging
import os
import re
import runpy
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from gunicorn.config import Config

from clinic.appointments.feeds import turn_on
from clinic.clients.models import Case
from clinic.lib.logs import RedactSecrets
from intake.invitations import send_invitation
from tests.browserlike import BrowserLikeClient
from tests.conftest import sign_in
from tests.factories import make_case
from tests.ops.browser import Browser

ROOT = Path(__file__).resolve().parents[2]
# Every atom gunicorn can put in an access line: the request line with its query, the referrer, headers.
EVERY_ATOM = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(m)s %(U)s ?%(q)s %(H)s %(s)s %(b)s "%(f)s" "%(a)s" '
    "%({referer}i)s %({location}o)s %({raw_uri}e)s %({path_info}e)s %({query_string}e)s %({cookie}i)s "
    "%({http_cookie}e)s %({set-cookie}o)s %({x-csrftoken}i)s %({authorization}i)s"
)


@pytest.fixture
def logs():
    """What every handler of the configuration writes (not pytest's), django.request and django.server at DEBUG."""
    written = io.StringIO()
    loggers = [logging.getLogger(name) for name in ("django.request", "django.server")]
    handlers = {
        handler
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        for handler in getattr(logger, "handlers", [])
        if isinstance(handler, logging.StreamHandler) and not type(handler).__module__.startswith("_pytest")
    }
    assert any(isinstance(f, RedactSecrets) for handler in handlers for f in handler.filters)
    streams = {handler: handler.setStream(written) for handler in handlers}
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield written
    for handler, stream in streams.items():
        handler.setStream(stream)
    for logger, level in levels.items():
        logger.setLevel(level)


def gunicorn_logger(tmp_path, access_log_format: str):
    """gunicorn.conf.py's logger, writing to files, with the given access line."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    cfg.set("loglevel", "debug")
    cfg.set("access_log_format", access_log_format)
    return conf["logger_class"](cfg)


def close(logger) -> str:
    for log in (logger.access_log, logger.error_log):
        for handler in list(log.handlers):
            handler.close()
            log.removeHandler(handler)
    return "".join(Path(h).read_text() for h in (logger.cfg.accesslog, logger.cfg.errorlog))


def log_with_gunicorn(logger, response) -> None:
    """Hand one test-client exchange to gunicorn's access log, as a gunicorn worker would."""
    environ = dict(response.wsgi_request.META)
    query = environ.get("QUERY_STRING")
    environ["RAW_URI"] = environ["PATH_INFO"] + (f"?{query}" if query else "")
    environ.setdefault("SERVER_PROTOCOL", "HTTP/1.1")
    headers = [(key[5:].replace("_", "-"), value) for key, value in environ.items() if key.startswith("HTTP_")]
    exchange = SimpleNamespace(
        status=f"{response.status_code} {response.reason_phrase}",
        headers=list(response.items()),
        sent=len(getattr(response, "content", b"")),
    )
    logger.access(exchange, SimpleNamespace(headers=headers), environ, timedelta(milliseconds=3))


@pytest.fixture
def secret_addresses(therapist, couple_case, person, client_user):
    """One live address of each kind that carries a secret, and the secret of each."""
    newcomer = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL).clients.get()
    request = RequestFactory().post("/")
    request.user = therapist
    invitation = send_invitation(client=newcomer, by=therapist, request=request).link.replace("http://testserver", "")
    uid = urlsafe_base64_encode(force_bytes(client_user.pk))
    reset_token = default_token_generator.make_token(client_user)
    feed_token = turn_on(therapist)
    return SimpleNamespace(
        feed=reverse("calendar_feed_ics", kwargs={"token": feed_token}),
        invitation=invitation,
        reset=reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": reset_token}),
        rescreen=reverse(
            "rescreen", kwargs={"case_code": couple_case.code, "client_code": person.code, "key": "safety"}
        ),
        secrets=[feed_token, invitation.split("/")[-2], reset_token],
    )


def test_no_secret_address_reaches_any_log(secret_addresses, logs, tmp_path, therapist, colleague, as_user):
    wrong = secrets.token_urlsafe(32)
    forbidden = [*secret_addresses.secrets, wrong, "rescreen/safety"]
    feed, invitation, reset, rescreen = (
        secret_addresses.feed,
        secret_addresses.invitation,
        secret_addresses.reset,
        secret_addresses.rescreen,
    )
    anonymous = BrowserLikeClient()
    colleague_client = sign_in(BrowserLikeClient(), colleague)
    asked = [
        (anonymous, "GET", feed, {}),  # the calendar app's poll
        (anonymous, "HEAD", feed, {}),
        (anonymous, "POST", feed, {}),  # 405
        (anonymous, "GET", feed.replace(secret_addresses.secrets[0], wrong), {}),  # a revoked or wrong token: 404
        (anonymous, "GET", feed.removesuffix(".ics"), {}),  # cut short: 404
        (anonymous, "GET", invitation, {}),
        (anonymous, "GET", "/es" + invitation, {}),
        (anonymous, "GET", invitation + "?from=" + wrong, {}),
        (anonymous, "GET", invitation.replace(secret_addresses.secrets[1], wrong), {}),
        (anonymous, "GET", invitation.rstrip("/"), {}),
        (BrowserLikeClient(enforce_csrf_checks=True), "POST", invitation, {}),  # no form token: sent back, 303
        (anonymous, "GET", reset, {}),  # Django swaps the token for "set-password" and redirects
        (anonymous, "GET", reset.replace(secret_addresses.secrets[2], wrong), {}),
        (
            anonymous,
            "GET",
            "/healthz",
            {"HTTP_REFERER": "https://testserver" + invitation, "HTTP_AUTHORIZATION": wrong, "HTTP_X_CSRFTOKEN": wrong},
        ),
        (as_user(therapist), "POST", rescreen, {}),
        (as_user(therapist), "GET", rescreen, {}),  # 405
        (colleague_client, "POST", rescreen, {}),  # not theirs: 404
    ]
    access = gunicorn_logger(tmp_path, EVERY_ATOM)
    statuses = []
    for who, method, address, extra in asked:
        response = who.generic(method, address, **extra)
        statuses.append(response.status_code)
        log_with_gunicorn(access, response)
    # gunicorn's own error lines quote what a client sent.
    access.warning(f"Invalid request from ip=10.0.0.9: Invalid HTTP request line: 'GET {invitation} HTTP/1.1 x'")
    try:
        raise OSError("connection reset")
    except OSError:
        access.exception("Error handling request %s %s", "GET", feed + "?x=" + wrong)
    gunicorn_lines = close(access)
    forbidden += [cookie.value for cookie in [*as_user(therapist).cookies.values(), *colleague_client.cookies.values()]]
    django_lines = logs.getvalue()

    assert statuses[:5] == [200, 200, 405, 404, 404] and statuses[10:12] == [303, 302]
    assert statuses[-3:] == [302, 405, 404]
    for secret in forbidden:
        assert secret not in django_lines, django_lines
        assert secret not in gunicorn_lines, gunicorn_lines
    # The lines were written, only cut.
    assert "Not Found: /feeds/calendar/[redacted]" in django_lines
    assert f"Method Not Allowed (GET): {rescreen.replace('safety', '[redacted]')}" in django_lines
    assert len(gunicorn_lines.splitlines()) >= len(asked) + 2
    assert '"GET /welcome/[redacted]/?… HTTP/1.1"' in gunicorn_lines
    assert "https://testserver/welcome/[redacted]/" in gunicorn_lines  # the Referer
    assert "OSError: [message withheld]" in gunicorn_lines


def test_runservers_request_lines_are_cut(logs, secret_addresses):
    """django.server: the local server's own line for each request, from Django's request handler."""

    def app(environ, start_response):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"-"]

    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler, ipv6=False)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sent = [secret_addresses.feed, secret_addresses.invitation, secret_addresses.reset, secret_addresses.rescreen]
    sent.append(secret_addresses.invitation.replace("/", "%2F"))  # a raw line may spell the slashes
    try:
        for address in sent:
            conn = http.client.HTTPConnection(*server.server_address, timeout=10)
            conn.request("GET", address)
            conn.getresponse().read()
            conn.close()
    finally:
        server.shutdown()
        server.server_close()
    lines = logs.getvalue()
    assert lines.count('HTTP/1.1" 404 1') == len(sent), lines
    for secret in [*secret_addresses.secrets, "rescreen/safety"]:
        assert secret not in lines, lines


def listening_port(web: subprocess.Popen, output: Path, seconds: float = 60) -> int:
    """The port the system gave gunicorn (bound to port 0: no other test can take it in between)."""
    deadline = time.monotonic() + seconds
    while not (found := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", output.read_text())):
        assert web.poll() is None and time.monotonic() < deadline, output.read_text()[-3000:]
        time.sleep(0.2)
    return int(found.group(1))


@pytest.mark.django_db(transaction=True)
def test_a_running_gunicorn_writes_no_secret(tmp_path, settings, therapist, client_user):
    """gunicorn.conf.py as bin/web starts it, on a loopback port the system picks, against this test's database."""
    feed_token = turn_on(therapist)
    reset_token = default_token_generator.make_token(client_user)
    if connection.vendor == "sqlite":
        database = tmp_path / "db.sqlite3"
        with sqlite3.connect(database) as copy:
            connection.connection.backup(copy)
        database_url = f"sqlite:///{database}"
    else:
        db = connection.settings_dict
        database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    (tmp_path / "static").mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),  # gunicorn's control socket goes there
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "localhost",
        "TRUSTED_PROXY_COUNT": "1",
        "BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
        "STATIC_MANIFEST": "false",
    }
    uid = urlsafe_base64_encode(force_bytes(client_user.pk))
    asked = {
        reverse("calendar_feed_ics", kwargs={"token": feed_token}): 200,
        reverse("calendar_feed_ics", kwargs={"token": "w" + feed_token[1:]}): 404,
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": reset_token}): 302,
        "/welcome/" + feed_token + "/?typed=private-words": 404,  # no such invitation
    }
    output = tmp_path / "web.log"
    with output.open("wb") as out:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        browser = Browser(f"http://127.0.0.1:{listening_port(web, output)}")
        deadline = time.monotonic() + 60
        while True:
            try:
                if browser.get("/healthz").status == 200:
                    break
            except OSError:
                browser.close()
                assert web.poll() is None and time.monotonic() < deadline, output.read_text()[-3000:]
                time.sleep(0.2)
        answered = {address: browser.get(address).status for address in asked}
        browser.close()
    finally:
        web.terminate()
        web.wait(timeout=30)
    lines = output.read_text()
    assert answered == asked, lines[-3000:]
    assert feed_token not in lines and feed_token[1:] not in lines and reset_token not in lines, lines
    assert "private-words" not in lines
    assert '"GET /feeds/calendar/[redacted]" 200' in lines and '"GET /feeds/calendar/[redacted]" 404' in lines
    assert f'"GET /account/reset/{uid}/[redacted]/" 302' in lines
    assert "Not Found: /feeds/calendar/[redacted]" in lines
