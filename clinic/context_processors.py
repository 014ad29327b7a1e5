from django.conf import settings
from django.http import HttpRequest

from clinic.accounts.twofactor import second_factor_due
from clinic.lib.country import current as current_country

STAFF_LAYOUT = "layouts/staff.html"
CLIENT_LAYOUT = "layouts/client.html"


def practice(request: HttpRequest) -> dict:
    """Practice name, demo banner, and the layout a shared page (login, account) should use.

    Anyone not signed in as staff gets the client layout: neutral, and with
    the quick-exit control.
    """
    user = getattr(request, "user", None)
    is_staff = bool(user is not None and user.is_authenticated and user.is_staff_member)
    return {
        "practice_name": settings.PRACTICE_NAME,
        "two_factor_relaxed": not settings.REQUIRE_2FA,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "layout": STAFF_LAYOUT if is_staff else CLIENT_LAYOUT,
        # Navigation is hidden until the second factor is passed: its links would only bounce back.
        "show_nav": bool(user is not None and user.is_authenticated and second_factor_due(user) is None),
    }


def country(request: HttpRequest) -> dict:
    """What the practice's country decides, for templates: no page writes an emergency number itself."""
    practice_country = current_country()
    return {
        "emergency_number": practice_country.emergency_number,
        "country_name": practice_country.name,
        "phone_example": practice_country.phone_example,
        "site_title": settings.SITE_TITLE,
    }
