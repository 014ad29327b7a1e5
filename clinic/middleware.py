import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

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
        logout(request)
        if wants_json(request):
            # Scripts (autosave) learn that the session ended; what they sent is not lost
            # because the page still holds it and can send it again after signing in.
            return JsonResponse({"error": "signed_out", "login_url": reverse(settings.LOGIN_URL)}, status=401)
        messages.info(request, "You were signed out because your session ended. Sign in again to continue.")
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
