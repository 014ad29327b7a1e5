import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "p" * 30 + "-production-like-secret-0123456789abcdef",
        "ALLOWED_HOSTS": "fulcrum.example.org",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }
    env.update(extra)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (None, "SECRET_KEY is not set"),
        ("insecure-local-demo-key-never-use-in-production-0000", "is a default"),
        ("django-insecure-" + "x" * 50, "is a default"),
        ("short", "too short"),
    ],
)
def test_production_refuses_a_missing_or_default_secret_key(secret, message):
    env = production_env()
    del env["SECRET_KEY"]
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_setting_value_stops_start_up_with_its_name():
    result = manage("check", env=production_env(SESSION_IDLE_MINUTES="fifteen"))
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES must be a whole number" in result.stderr


def test_database_url_selects_sqlite_or_pooled_postgresql():
    from clinic.settings import database_config

    assert database_config("")["ENGINE"] == "django.db.backends.sqlite3"
    pg = database_config("postgres://fulcrum:pw@db.internal:5432/fulcrum")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["HOST"], pg["NAME"], pg["CONN_MAX_AGE"]) == ("db.internal", "fulcrum", 0)
    assert pg["OPTIONS"]["pool"]["max_size"] >= 1


def test_pages_carry_the_security_headers(client, db):
    response = client.get(reverse("login"), secure=True)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_with_personal_data_are_never_cached(as_user, therapist, couple_case):
    response = as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code}))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_no_page_loads_anything_from_another_site(as_user, therapist):
    body = as_user(therapist).get(reverse("dashboard")).content.decode()
    for attribute in ('src="http', "src='http", 'href="http', "//cdn"):
        assert attribute not in body
    assert "/static/bootstrap/css/bootstrap.min.css" in body
