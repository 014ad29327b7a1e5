from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import gettext_lazy

from clinic.accounts.twofactor import second_factor_due
from clinic.lib import language
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
        "staff_page_title": staff_page_title(request) if is_staff else "",
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


# The tab title of each staff page, by URL name: which page it is, never whose (no client names,
# which a shared screen, the browser's history or a screenshot would show). A page not listed
# keeps the site title.
STAFF_PAGE_TITLES = {
    "account": "Your account",
    "password_change": "Change password",
    "two_factor_verify": "Two-factor code",
    "two_factor_setup": "Set up two-factor",
    "recovery_codes_renew": "Recovery codes",
    "dashboard": "Dashboard",
    "case_list": "Cases",
    "case_create": "New case",
    "case_detail": "Case",
    "client_contact_edit": "Contact choices",
    "case_discharge": "Close a case",
    "practice_home": "Practice",
    "staff_list": "Staff",
    "staff_create": "New staff member",
    "staff_detail": "Staff member",
    "audit_log": "Audit log",
    "search": "Search",
    "audit_export": "Audit log",
    "audit_export_full": "Audit log",
    "retention_list": "Records due for review",
    "retention_review": "Retention review",
    "intake_read": "Intake",
    "consent_texts": "Consent texts",
    "inquiry_list": "Inquiries",
    "inquiry_detail": "Inquiry",
    "safety_edit": "Safety page",
    "client_record": "Client record",
    "warning_sign_new": "New warning sign",
    "comparison": "Couple comparison",
    "screening_result": "Questionnaire result",
    "session_new": "New session",
    "note_page": "Session note",
    "note_save": "Session note",
    "practice_report": "Practice report",
    "case_summary": "Case summary",
    "report_job": "Your PDF",
    "report_download": "Your PDF",
    "client_summary": "Client summary",
    "client_export": "Export record",
    "authorization_list": "Release authorizations",
    "release_list": "Releases",
    "release_detail": "Release review",
    "release_redact": "Release review",
    "exercise_library": "Practice library",
    "exercise_new": "New exercise",
    "exercise_edit": "Exercise",
    "assignment_new": "Assign an exercise",
}


def staff_page_title(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return STAFF_PAGE_TITLES.get(match.url_name if match else "", "")


# Words that scripts on client pages show (static/js/autosave.js), in the page's language; lazy, so cheap.
PAGE_WORDS = {
    "saving": gettext_lazy("Saving…"),
    "saved_at": gettext_lazy("Saved at {time}"),
    "not_saved": gettext_lazy("Not saved yet."),
    "signed_out": gettext_lazy("Not saved: you were signed out."),
    "still_signed_out": gettext_lazy("Still signed out. Sign in again in the other tab, then press Save now."),
    "offline": gettext_lazy("Not saved yet: check your connection. Trying again…"),
    "unsaved": gettext_lazy("Unsaved changes"),
    "switch_loses": gettext_lazy(
        "What you typed on this page is not kept when you change the language. Change the language anyway?"
    ),
}


def languages(request: HttpRequest) -> dict:
    """On a public page, links to the same page in the practice's other languages (by address, never a cookie).

    Only for visitors: a signed-in client's pages speak the language on their record, which they change in
    their account.
    """
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if (user is not None and user.is_authenticated) or match is None or match.url_name not in PUBLIC_BY_LANGUAGE:
        return {"other_languages": [], "page_words": PAGE_WORDS}
    here = language.current()
    others = []
    for code, name in language.choices():
        if code != here:
            url = translate_url(request.get_full_path(), language.to_activate(code))
            others.append({"code": code, "name": name, "url": url})
    return {"other_languages": others, "page_words": PAGE_WORDS}


# The public pages whose address carries a language (clinic/urls.py, i18n_patterns).
PUBLIC_BY_LANGUAGE = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "safety_page",
    "self_check",
    "inquiry_start",
    "inquiry_thanks",
    "consultation_confirm",
}
