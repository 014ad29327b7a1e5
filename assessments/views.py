from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.flags import acknowledge_flag, record_warning_sign, resolve_flag
from assessments.forms import FlagNoteForm, SafetyInfoForm, WarningSignForm
from assessments.models import FlagStateError, RiskFlag, SafetyInfo
from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client


def _case_client(request: HttpRequest, case_code, client_code) -> tuple[Case, Client]:
    # Clinical pages are for the treating therapist (role_required): admins see administration, not content.
    case = get_object_or_404(Case.objects.visible_to(request.user), code=case_code)
    return case, get_object_or_404(case.clients.all(), code=client_code)


@role_required(Role.THERAPIST)
@require_GET
def client_record(request: HttpRequest, case_code, client_code) -> HttpResponse:
    case, client = _case_client(request, case_code, client_code)
    signs = client.warning_signs.select_related("recorded_by")
    flags = client.risk_flags.select_related("acknowledged_by", "resolved_by")
    record(action=Action.WARNING_SIGNS_VIEWED, request=request, target=client, client=client)
    context = {"case": case, "client": client, "signs": signs, "flags": flags, "note_form": FlagNoteForm()}
    return render(request, "assessments/client_record.html", context)


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def warning_sign_new(request: HttpRequest, case_code, client_code) -> HttpResponse:
    case, client = _case_client(request, case_code, client_code)
    form = WarningSignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign = record_warning_sign(client=client, fields=form.cleaned_data, by=request.user, request=request)
        note = " An urgent risk flag was raised." if sign.risk_flags.exists() else ""
        messages.success(request, "Warning sign recorded." + note)
        return redirect("client_record", case_code=case.code, client_code=client.code)
    return render(request, "assessments/warning_sign_form.html", {"case": case, "client": client, "form": form})


def _flag_for(request: HttpRequest, code) -> RiskFlag:
    visible = RiskFlag.objects.filter(client__in=Client.objects.visible_to(request.user))
    return get_object_or_404(visible.select_related("client"), code=code)


@role_required(Role.THERAPIST)
@require_POST
def flag_step(request: HttpRequest, code, step: str) -> HttpResponse:
    flag = _flag_for(request, code)
    form = FlagNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Add a short note (what you did or decided) to " + step + " the flag.")
    else:
        action = acknowledge_flag if step == "acknowledge" else resolve_flag
        try:
            action(flag=flag, by=request.user, note=form.cleaned_data["note"], request=request)
        except FlagStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Flag " + ("acknowledged." if step == "acknowledge" else "resolved."))
    back = request.POST.get("back", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("dashboard")


# The safety page: public, so it can be reached from anywhere, and holds nothing about anyone.


@login_not_required
@require_GET
def safety_page(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/safety.html", {"info": SafetyInfo.current()})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def safety_edit(request: HttpRequest) -> HttpResponse:
    current = SafetyInfo.current()
    initial = {"intro": current.intro, "hotlines": SafetyInfoForm.lines_of(current.hotlines)}
    form = SafetyInfoForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        info = SafetyInfo.objects.create(
            intro=form.cleaned_data["intro"], hotlines=form.cleaned_data["hotlines"], updated_by=request.user
        )
        record(action=Action.SAFETY_INFO_CHANGED, request=request, target=info)
        messages.success(request, "The safety page is updated.")
        return redirect("safety_edit")
    return render(request, "assessments/safety_edit.html", {"form": form})
