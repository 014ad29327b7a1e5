import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from clinic.lib.http import safe_local_url
from clinic.middleware import activate_for

logger = logging.getLogger(__name__)

# Fields that must never be echoed back, even to the person who typed them.
_SECRET_FIELD_MARKERS = ("password", "token", "csrf", "otp", "code", "secret")


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not. No data either way."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database did not answer", exc_info=True)
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _same_origin(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return bool(origin) and url_has_allowed_host_and_scheme(origin, allowed_hosts={request.get_host()})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was refused because its security token was missing or stale.

    The usual cause is a page left open past the end of a session. What the
    person typed is shown back so it can be copied (only for a request that
    came from our own pages, so no other site can put words on this page),
    never passwords or codes.
    """
    typed = []
    if request.method == "POST" and _same_origin(request):
        for name, value in request.POST.items():
            if value.strip() and not any(marker in name.lower() for marker in _SECRET_FIELD_MARKERS):
                typed.append(value)
    back = request.headers.get("Referer", "")
    back = safe_local_url(request, back)
    # The token is checked before the page's language is chosen (clinic.middleware.LanguageMiddleware).
    activate_for(request)
    return render(request, "errors/csrf_failure.html", {"typed": typed, "back": back}, status=403)


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # An address that matches nothing reaches no view, so the client's language was not chosen yet.
    activate_for(request)
    return render(request, "errors/404.html", status=404)


def _plain_page(status: int, heading: str, explanation: str) -> HttpResponse:
    """An error page that needs neither the database nor the session (either may be what failed).

    It has the client layout, quick exit included: a client may be the one who sees it.
    """
    from django.conf import settings
    from django.template import loader

    context = {
        "heading": heading,
        "explanation": explanation,
        "practice_name": settings.PRACTICE_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "show_nav": False,
        # No request context here: the page's language is the one active for this request.
        "LANGUAGE_CODE": translation.get_language(),
    }
    return HttpResponse(loader.get_template("errors/plain.html").render(context), status=status)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _plain_page(
        400,
        gettext("We could not handle that request"),
        gettext(
            "Something about the request was not right, so nothing was changed. Go back and try again; "
            "if it keeps happening, sign out and in again."
        ),
    )


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _plain_page(
        403, gettext("Not available to you"), gettext("You do not have access to this page, so nothing was changed.")
    )


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an unexpected failure, rendered without touching the database.

    When the database itself is out of reach (restarting, failing over), the
    answer is 503 with Retry-After and says so; scripts that save drafts get
    JSON they can act on (the page keeps what was typed and tries again).
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        if "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse(
                {
                    "error": "unavailable",
                    "message": gettext("Not saved yet: our records are out of reach for a moment. Trying again…"),
                },
                status=503,
            )
        else:
            response = _plain_page(
                503,
                gettext("Please try again in a moment"),
                gettext(
                    "We could not reach our records just now. This usually lasts less than a minute. Anything you "
                    "saved before is safe; if you were filling in a page, go back to it: what you typed is still there."
                ),
            )
        response["Retry-After"] = "15"
        return response
    return _plain_page(
        500,
        gettext("Something went wrong"),
        gettext(
            "The page could not be shown because of a problem on our side. Please try again in a few minutes; "
            "anything you saved before is safe."
        ),
    )
