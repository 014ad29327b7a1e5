"""Follow the README's production deployment on this machine, for real.

bin/release, then bin/web (gunicorn) and bin/worker against a scratch
PostgreSQL database, DEBUG off, settings only from the environment; then,
over HTTP as a browser behind the TLS proxy would: health, security headers,
WhiteNoise's immutable static files, the friendly 404, the first admin
signing in with two-factor enrolment, and a PDF made by the worker.
"""

import os
import re
import secrets
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.ops.browser import SECRET_KEY, Browser, totp_code

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "first-admin-" + secrets.token_urlsafe(12)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="production runs on PostgreSQL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def scratch_database():
    db = connection.settings_dict
    name = f"fulcrum_prodrun_{os.getpid()}"
    admin = psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def production_env(scratch_database, tmp_path):
    """Only what the README tells an operator to set: nothing from the test run leaks in."""
    return {
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": scratch_database,
        "ALLOWED_HOSTS": "localhost",
        "CSRF_TRUSTED_ORIGINS": "https://localhost",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def run(args, env, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, **kw)


def wait_until_up(browser: Browser, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if browser.get("/healthz").status == 200:
                return
        except OSError:
            pass
        browser.close()
        time.sleep(0.3)
    raise AssertionError("gunicorn did not answer /healthz")


def test_scripts_refuse_to_start_without_their_settings():
    result = run(["bin/web"], {"PATH": os.environ["PATH"]})
    assert result.returncode == 2
    for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
        assert name in result.stderr


def test_the_readme_deployment_runs_as_written(production_env, tmp_path):
    env = production_env
    release = run(["bin/release"], env)
    assert release.returncode == 0, release.stdout + release.stderr
    assert "System check identified no issues" in release.stdout + release.stderr
    created = run(
        ["python", "manage.py", "create_admin", "firstadmin", "--email", "admin@example.org", "--password-stdin"],
        env,
        input=ADMIN_PASSWORD + "\n",
    )
    assert created.returncode == 0, created.stderr

    # Logs to files: a pipe nobody reads while the test runs could fill and stall the server.
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    with web_log.open("wb") as out:
        web = subprocess.Popen(["bin/web"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    with worker_log.open("wb") as out:
        worker = subprocess.Popen(["bin/worker"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    browser = Browser(f"http://127.0.0.1:{env['PORT']}")
    try:
        wait_until_up(browser)

        # Plain http is sent to https; behind the proxy the pages carry the security headers.
        plain = browser.request("GET", "/account/login/", headers={"X-Forwarded-Proto": "http"})
        assert plain.status == 301 and plain.headers["location"].startswith("https://")
        login_page = browser.get("/account/login/")
        assert login_page.status == 200
        assert login_page.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "unsafe-inline" not in login_page.headers["content-security-policy"]
        assert "no-store" in login_page.headers["cache-control"]

        # WhiteNoise serves the collected, hashed files for a year.
        stylesheet = re.search(r'href="(/static/css/fulcrum\.[0-9a-f]+\.css)"', login_page.text).group(1)
        static = browser.get(stylesheet)
        assert static.status == 200 and "immutable" in static.headers["cache-control"]

        # A friendly page, never a debug page.
        missing = browser.get("/no-such-page/")
        assert missing.status == 404 and "Traceback" not in missing.text and "<title>Fulcrum</title>" in missing.text

        # Secret links never reach the logs (Django's "Not Found" warning, gunicorn's access log).
        secret_link = "/welcome/" + secrets.token_urlsafe(24) + "/"
        assert browser.get(secret_link + "?typed=private-words").status == 404

        # The first admin signs in, must enrol an authenticator, then reaches the practice page.
        signed = browser.sign_in("firstadmin", ADMIN_PASSWORD)
        assert signed.status == 302
        setup = browser.get("/account/two-factor/setup/")
        key = SECRET_KEY.search(setup.text).group(1)
        confirmed = browser.post_form("/account/two-factor/setup/", {"token": totp_code(key)})
        assert confirmed.status in (200, 302), confirmed.text[:500]
        assert browser.get("/practice/").status == 200

        # The practice report is made by the worker process.
        queued = browser.post_form(
            "/practice/report/", {"start": "2026-01-01", "end": "2026-12-31", "version": "release"}
        )
        assert queued.status == 302 and queued.location.startswith("/reports/")
        job_page = queued.location
        deadline = time.monotonic() + 60
        while "Download the PDF" not in (page := browser.get(job_page)).text and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "Download the PDF" in page.text
        pdf = browser.get(job_page + "download/")
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    finally:
        browser.close()
        for process in (web, worker):
            process.terminate()
            process.wait(timeout=30)
        logs = web_log.read_text() + worker_log.read_text()
    assert "Traceback" not in logs, logs[-3000:]
    assert ADMIN_PASSWORD not in logs
    assert '"GET /welcome/[redacted]/" 404' in logs
    assert secret_link not in logs and "private-words" not in logs
