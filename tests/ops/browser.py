"""A small HTTP client that behaves like a browser behind the TLS proxy.

Used against a real gunicorn (the production-run test, bench/load.py):
keeps cookies (including Secure ones: TLS ends at the proxy, which this
stands in for by sending X-Forwarded-Proto: https), sends the CSRF token the
way the pages do, and times every request by a label.
"""

import http.client
import json
import re
import time
from collections import defaultdict
from urllib.parse import urlencode, urlsplit

from django_otp.oath import TOTP

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SECRET_KEY = re.compile(r'class="secret-key">([A-Z2-7 ]+)<')


def totp_code(base32_key: str) -> str:
    from base64 import b32decode

    return f"{TOTP(b32decode(base32_key.replace(' ', ''))).token():06d}"


class Response:
    def __init__(self, status: int, headers: dict, body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path or ""


class Browser:
    def __init__(self, base: str, timings: dict | None = None, timeout: float = 30):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.timeout = timeout
        self.timings = timings if timings is not None else defaultdict(list)
        self.failures: dict[str, list] = defaultdict(list)
        self._conn = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def request(self, method: str, path: str, *, body=None, headers=None, label: str | None = None) -> Response:
        head = {"X-Forwarded-Proto": "https", "Host": "localhost"}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            head["X-CSRFToken"] = self.cookies["csrftoken"]
            head["Referer"] = "https://localhost" + path
            head["Origin"] = "https://localhost"
        head.update(headers or {})
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                conn = self._connection()
                conn.request(method, path, body=body, headers=head)
                raw = conn.getresponse()
                data = raw.read()
                break
            except (ConnectionError, http.client.HTTPException, TimeoutError, OSError):
                # A kept-alive connection the server closed: one fresh try.
                self.close()
                if attempt == 2:
                    raise
        seconds = time.perf_counter() - started
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val in ('""', ""):
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val
        response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data, seconds)
        self.timings[label or path].append(seconds)
        return response

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post_form(self, path: str, fields: dict, *, headers: dict | None = None, **kw) -> Response:
        body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}, doseq=True)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body=body, headers=headers, **kw)

    def sign_in(self, username: str, password: str) -> Response:
        self.get("/account/login/", label="sign in")
        return self.post_form("/account/login/", {"username": username, "password": password}, label="sign in")
