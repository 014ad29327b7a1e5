"""What is kept of a name typed at sign-in: the account it names, never any other text.

People type their password into the name box, or someone else's address. The audit log keeps the
account a failed sign-in named (as the row's person), or only that the name is no account's. The
sign-in throttle (django-axes) counts failures per name and address; a name that is no account's is
counted under a keyed hash of it (`AXES_USERNAME_CALLABLE`), so that its tables never hold the text
while the pause still comes after LOGIN_FAILURE_LIMIT tries, the same as for an account's name (the
pages read the same whether or not an account exists).
"""

import unicodedata

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# Sign-in names hold letters, digits and @ . + - _ only (Django's username validator): never a colon,
# so a counted hash never reads as an account's name.
UNKNOWN = "unknown:"


def account_named(name: str | None):
    """The account whose sign-in name is exactly `name` (as the sign-in backend looks it up), or None."""
    if not name:
        return None
    return get_user_model().objects.filter(username=name).first()


def _typed(request: HttpRequest | None, credentials: dict | None) -> str | None:
    if credentials and "username" in credentials:
        return credentials["username"]
    name = getattr(request, "POST", {}).get("username")
    # As the sign-in form reads it (Django's UsernameField), so both ways reach the same key.
    return unicodedata.normalize("NFKC", name) if name is not None else None


def lockout_name(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """The name the sign-in throttle counts failures under: an account's own name, or a keyed hash of the text."""
    name = _typed(request, credentials)
    if name is None or account_named(name) is not None:
        return name
    digest = salted_hmac("fulcrum.accounts.lockout-name", name, algorithm="sha256").hexdigest()
    return UNKNOWN + digest[:40]
