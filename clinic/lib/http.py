from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request.

    Behind TRUSTED_PROXY_COUNT reverse proxies, each proxy appends to
    X-Forwarded-For, so the client is that many places from the right; any
    entries further left were written by the client and are not trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def posted(request: HttpRequest):
    """The data to bind a form to: what was posted, even when empty, or None for a GET.

    (`request.POST or None` leaves a form unbound when a POST arrives empty, so
    it shows no errors — or, where code goes on to read cleaned_data, fails.)
    """
    return request.POST if request.method == "POST" else None


def safe_local_url(request: HttpRequest, target: str) -> str:
    """`target` if it is a printable address on this site (a "next" or "back" value), else "".

    Only a path or an http(s) URL: anything else handed to redirect() would be taken for a view name.
    """
    from django.utils.http import url_has_allowed_host_and_scheme

    if (
        target.startswith(("/", "http://", "https://"))
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return ""


def storable(text: str) -> str:
    """Text as it can be stored everywhere: without NUL characters, which PostgreSQL refuses in text and JSON.

    For values saved as typed (drafts); validated forms refuse NUL with a message instead.
    """
    return text.replace("\x00", "")


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def sent_as_form(request: HttpRequest) -> bool:
    """Whether a POST carries form fields. Any other body (JSON, text) reads as an empty form,
    which a save-as-you-go endpoint would take for "everything cleared"."""
    return request.content_type in FORM_TYPES


def not_a_form() -> JsonResponse:
    message = gettext("Not saved: the page sent something unexpected.")
    return JsonResponse({"error": "invalid", "message": message}, status=400)
