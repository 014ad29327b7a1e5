from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_static.models import StaticDevice

from clinic.accounts import twofactor
from clinic.accounts.decorators import role_required
from clinic.accounts.forms import EnrolForm, LanguageForm, LoginForm, StaffForm, TokenForm
from clinic.accounts.models import Role, User
from clinic.accounts.staff import create_staff, set_active
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.contact import change_language
from clinic.clients.models import Client
from clinic.lib import language
from clinic.lib.http import posted, safe_local_url
from clinic.middleware import otp_exempt


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    target = safe_local_url(request, request.POST.get("next") or request.GET.get("next") or "")
    return target or (resolve_url(default) if default else "")


login = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True, authentication_form=LoginForm
)
logout = otp_exempt(auth_views.LogoutView.as_view())


@otp_exempt
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not twofactor.has_device(request.user):
        return redirect("two_factor_setup")
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request=request, token=form.cleaned_data["token"]):
            left = twofactor.remaining_recovery_codes(request.user)
            has_codes = StaticDevice.objects.filter(user=request.user, confirmed=True).exists()
            if has_codes and left <= 3:
                messages.warning(
                    request,
                    gettext("You have %(left)s recovery codes left. Make new ones on your account page.")
                    % {"left": left},
                )
            return redirect(_safe_next(request))
        form.add_error(
            "token",
            gettext(
                "That code was not accepted. Enter the code your app shows now (codes change every 30 seconds); "
                "after several wrong codes, wait a few seconds between tries."
            ),
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")})


@otp_exempt
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if twofactor.has_device(request.user) and not request.user.is_verified():
        # Replacing the app needs the current one first.
        return redirect("two_factor_verify")
    device = twofactor.pending_device(request.user)
    form = EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(request=request, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _safe_next(request), "new": True}
            )
        form.add_error(
            "token", gettext("That code did not match. Check the app shows this account, then enter its current code.")
        )
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.readable_secret(device),
        "next": _safe_next(request, ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_device(request.user):
        return redirect("two_factor_setup")
    codes = twofactor.renew_recovery_codes(user=request.user)
    record(action=Action.RECOVERY_CODES_RENEWED, request=request)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": resolve_url("account"), "new": False}
    )


@require_safe
def account(request: HttpRequest) -> HttpResponse:
    context = {
        "has_device": twofactor.has_device(request.user),
        "recovery_left": twofactor.remaining_recovery_codes(request.user),
    }
    if request.user.is_client:
        # The language on the client's record, already read to speak it (clinic.middleware.activate_for).
        context["language_form"] = LanguageForm(initial={"language": language.bare(request.LANGUAGE_CODE)})
    return render(request, "accounts/account.html", context)


@role_required(Role.CLIENT)
@require_POST
def account_language(request: HttpRequest) -> HttpResponse:
    """A client chooses the language of their pages, emails, text messages and documents; at once, audited."""
    client = get_object_or_404(Client.objects.filter(user=request.user))
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the languages listed."))
        return redirect("account")
    chosen = form.cleaned_data["language"]
    change_language(client=client, to=chosen, request=request)
    # The confirmation is in the language just chosen.
    translation.activate(language.to_activate(chosen))
    messages.success(request, gettext("Saved. Your pages, emails and messages are now in this language."))
    return redirect("account")


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, posted(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        record(action=Action.PASSWORD_CHANGED, request=request)
        messages.success(request, gettext("Your password has been changed."))
        return redirect("account")
    return render(request, "accounts/password_change.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Setting a password signs nobody in: two-factor still applies at the next login.
        record(action=Action.PASSWORD_SET, request=self.request, actor=form.user)
        return response


password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# Practice management: staff accounts (admins only).


@role_required(Role.ADMIN)
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "active")
    staff = User.objects.staff().order_by("last_name", "first_name", "username")
    if show == "active":
        staff = staff.filter(is_active=True)
    elif show == "inactive":
        staff = staff.filter(is_active=False)
    query = request.GET.get("q", "").strip()
    if query:
        staff = staff.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    return render(request, "accounts/staff_list.html", {"staff": staff, "show": show, "q": query})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    form = StaffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = create_staff(user=form.save(commit=False), by=request.user, request=request)
        if user.supervisor_id:
            _supervision_changed(request, user)
        messages.success(request, f"{user} can now set a password from the link emailed to {user.email}.")
        return redirect("staff_detail", code=user.code)
    return render(request, "accounts/staff_form.html", {"form": form})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, code) -> HttpResponse:
    member = get_object_or_404(User.objects.staff(), code=code)
    form = StaffForm(posted(request), instance=member)
    if member == request.user:
        # An admin cannot demote themselves and leave the practice without one.
        form.fields["role"].disabled = True
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        form.save()
        if changed:
            record(action=Action.STAFF_UPDATED, request=request, target=member, detail={"fields": changed})
        if form.supervision_changed:
            _supervision_changed(request, member)
        messages.success(request, "Saved.")
        return redirect("staff_detail", code=member.code)
    context = {"member": member, "form": form, "has_device": twofactor.has_device(member)}
    return render(request, "accounts/staff_detail.html", context)


def _supervision_changed(request: HttpRequest, member: User) -> None:
    supervisor = member.supervisor
    detail = {"supervisor": str(supervisor.code) if supervisor else None}
    record(action=Action.SUPERVISION_CHANGED, request=request, target=member, detail=detail)


@role_required(Role.ADMIN)
@require_POST
def staff_set_active(request: HttpRequest, code, active: bool) -> HttpResponse:
    member = get_object_or_404(User.objects.staff(), code=code)
    if member == request.user:
        messages.error(request, "You cannot deactivate your own account. Ask another admin.")
    else:
        set_active(user=member, active=active, by=request.user, request=request)
        state = "reactivated" if active else "deactivated; any session they had has ended"
        messages.success(request, f"{member} is {state}.")
    return redirect("staff_detail", code=member.code)
