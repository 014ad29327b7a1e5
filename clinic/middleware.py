import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from clinic.lib import language

SESSION_STARTED_KEY = "fulcrum_started"
SESSION_SEEN_KEY = "fulcrum_seen"
# Idle time is tracked to within this many seconds.
SEEN_RESOLUTION = 30


class NoStoreMiddleware:
    """Nothing the app renders may be kept by a browser or proxy cache.

    Every page either shows personal data or could (messages, names), so
    the rule is simplest as "every response"; static files are served
    before this middleware by WhiteNoise and keep their long cache.
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response


def wants_json(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" or "application/json" in request.headers.get("Accept", "")


class PrivateByDefaultMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, answering scripts with 401 instead of a redirect.

    An autosave that follows a redirect would get the login page back and
    could not tell "signed out" from "connection problem".
    """

    def handle_no_permission(self, request: HttpRequest, view_func: Callable) -> HttpResponse:
        if wants_json(request):
            return JsonResponse({"error": "signed_out", "login_url": reverse(settings.LOGIN_URL)}, status=401)
        return super().handle_no_permission(request, view_func)


class SessionTimeoutMiddleware:
    """End sessions idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            seen = session.get(SESSION_SEEN_KEY, now)
            reason = None
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                reason = "absolute"
            elif now - seen > settings.SESSION_IDLE_TIMEOUT:
                reason = "idle"
            if reason:
                return self.expire(request, reason)
            if SESSION_SEEN_KEY not in session or now - seen >= SEEN_RESOLUTION:
                # Writing the session on every request would cost a database write each time.
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)

    def expire(self, request: HttpRequest, reason: str) -> HttpResponse:
        request.fulcrum_logout_reason = reason
        # No view has chosen the page's language yet: a client is told in their own language, and sent to the
        # sign-in page at its address in that language (/es/account/login/).
        activate_for(request)
        logout(request)
        if wants_json(request):
            # Scripts (autosave) learn that the session ended; what they sent is not lost
            # because the page still holds it and can send it again after signing in.
            return JsonResponse({"error": "signed_out", "login_url": reverse(settings.LOGIN_URL)}, status=401)
        messages.info(
            request, translation.gettext("You were signed out because your session ended. Sign in again to continue.")
        )
        if request.method == "GET":
            return redirect_to_login(request.get_full_path())
        return redirect(settings.LOGIN_URL)


def otp_exempt(view: Callable) -> Callable:
    """Mark a view as reachable by a signed-in user who has not passed two-factor yet."""
    view.otp_exempt = True
    return view


class TwoFactorMiddleware:
    """Send signed-in users who still owe a second factor to verify or enrol."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs) -> HttpResponse | None:
        if getattr(view_func, "otp_exempt", False) or getattr(view_func, "login_required", True) is False:
            return None
        from clinic.accounts.twofactor import second_factor_due

        due = second_factor_due(request.user)
        if due is None:
            return None
        if wants_json(request):
            return JsonResponse({"error": "verification_required"}, status=401)
        target = "two_factor_verify" if due == "verify" else "two_factor_setup"
        return redirect_to_login(request.get_full_path(), login_url=reverse(target))


# The page a client or public form was answered with, kept in the server-side
# session until the browser fetches it by the redirect (seconds later).
HELD_ANSWER_KEY = "fulcrum_answer"
HELD_ANSWER_MAX_AGE = 120
# Headers of the answer that describe its body; all others (CSP, frame options) go on the redirect too.
BODY_HEADERS = ("Content-Type", "Content-Length", "Content-Language")


def fresh(page: dict, now: float) -> bool:
    return now - page.get("at", 0) <= HELD_ANSWER_MAX_AGE


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: fetch this address with GET (the POST is answered)."""

    status_code = 303


def answers_by_redirect(request: HttpRequest, response: HttpResponse) -> bool:
    """A form on a client or public page, answered by a page rather than a redirect.

    Staff pages (a staff member is signed in) keep answering in place;
    scripts (autosave, htmx) get their JSON or fragment as they are.
    """
    if request.method != "POST" or not (200 <= response.status_code < 300 or 400 <= response.status_code < 500):
        return False
    # No content, or no form of ours at that address: nothing typed comes back on the page.
    if response.status_code in (204, 404, 405) or getattr(response, "streaming", False):
        return False
    if wants_json(request) or not response.get("Content-Type", "").startswith("text/html"):
        return False
    if not hasattr(request, "session"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated or user.is_client


class AnswerByRedirectMiddleware:
    """Client and public forms are answered by a redirect to the same address.

    A page that answers a POST in place (a form's errors, the self-check's
    result) is a history entry that holds the form's POST body: Back offers to
    send it again, and Chromium writes it, with every typed value, to its
    session-restore files on disk. Here such an answer is kept in the
    server-side session, the browser is sent 303 See Other to the same
    address, and the GET that follows is answered with the kept page, once.
    Back or a reload later gets the page afresh (the intake's drafts are on
    the server; a form's unsent errors are not shown again). Quick exit ends
    the session, and with it anything kept.
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and hasattr(request, "session"):
            held = self.take(request)
            if held is not None:
                return held
        response = self.get_response(request)
        if not answers_by_redirect(request, response):
            return response
        # One waiting page per address, so that two tabs answered at once each get their own.
        now = time.time()
        held = {path: page for path, page in request.session.get(HELD_ANSWER_KEY, {}).items() if fresh(page, now)}
        held[request.get_full_path()] = {
            "at": now,
            "status": response.status_code,
            "content": response.content.decode(response.charset or "utf-8"),
            "headers": {name: value for name, value in response.items() if name != "Content-Length"},
        }
        request.session[HELD_ANSWER_KEY] = held
        see_other = HttpResponseSeeOther(request.get_full_path())
        for name, value in response.items():
            if name not in BODY_HEADERS:
                see_other[name] = value
        # Cookies the answer set (a new CSRF token, a session after sign-in) still reach the browser.
        see_other.cookies = response.cookies
        return see_other

    @staticmethod
    def take(request: HttpRequest) -> HttpResponse | None:
        held = request.session.get(HELD_ANSWER_KEY)
        if not held or request.get_full_path() not in held:
            return None
        page = held.pop(request.get_full_path())
        if held:
            request.session[HELD_ANSWER_KEY] = held
        else:
            del request.session[HELD_ANSWER_KEY]
        if not request.session.keys() and not request.user.is_authenticated:
            # A visitor's session existed only to carry this page: it goes, row and cookie.
            request.session.flush()
        if not fresh(page, time.time()):
            return None
        response = HttpResponse(page["content"], status=page["status"])
        for name, value in page["headers"].items():
            response[name] = value
        return response


class LanguageMiddleware:
    """Each page in its reader's language, and nothing in the browser to remember it.

    A public page's address decides (`/es/check/`); it is resolved in that
    language, as `i18n_patterns` expects. Otherwise the page is resolved in the
    practice's English, and a signed-in client then reads it in the language on
    their record. Staff pages stay in English. No language cookie is set or
    read, and no Accept-Language is followed: a page never changes language
    because of something a shared device remembers.
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from_path = translation.get_language_from_path(request.path_info)
        request.language_from_path = from_path
        translation.activate(from_path or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        activate_for(request)


def activate_for(request: HttpRequest) -> None:
    """Speak a signed-in client's own language, unless the address names one (also for error pages)."""
    if getattr(request, "language_from_path", None):
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_client:
        return
    # Read once a request: an error page after a view (a 404 it raised) finds it already read.
    own = getattr(request, "client_language", None)
    if own is None:
        from clinic.clients.models import Client

        own = Client.objects.filter(user=user).values_list("language", flat=True).first() or ""
        request.client_language = own
    translation.activate(language.to_activate(own))
    request.LANGUAGE_CODE = translation.get_language()
