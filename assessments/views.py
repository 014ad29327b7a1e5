import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import checkins
from assessments.catalogue import client_title
from assessments.checkin_v1 import COMMENT_MAX, COMMENT_PROMPT
from assessments.checkins import CommentChanged, CommentTooLong
from assessments.flags import acknowledge_flag, record_warning_sign, resolve_flag
from assessments.forms import FlagNoteForm, SafetyInfoForm, WarningSignForm
from assessments.framework import IncompleteAnswers, Instrument, InvalidAnswer, registry, score
from assessments.models import (
    BalanceAlert,
    FlagStateError,
    RiskFlag,
    SafetyInfo,
    Screening,
    ScreeningLocked,
    SessionCheckIn,
)
from assessments.own_progress import progress_shown, progress_view_of
from assessments.reliable import case_change, own_change
from assessments.rescreening import offer_safety_screen
from assessments.safety_v1 import RULE_REASONS
from assessments.screenings import assign, compare, instrument_of, latest_submitted, save_answers_from, submit
from assessments.translations import localized
from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Client, case_and_client
from clinic.clients.retention import refuse_if_closed
from clinic.lib import language
from clinic.lib.charts import Bar, bar_chart, line_chart
from clinic.lib.country import current as current_country
from clinic.lib.dates import show
from clinic.lib.http import not_a_form, posted, safe_local_url, sent_as_form
from clinic.plans.exercises import CHECKIN_REASONS


@reach_required(Kind.CLIENT_DETAILS)
@require_GET
def client_record(request: HttpRequest, case_code, client_code) -> HttpResponse:
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.CLIENT_DETAILS)
    # The accounting of disclosures a client may ask for: every PDF of their record.
    disclosures = AuditEvent.objects.disclosures_of(client)
    if not all(case.reaches(request.user, kind) for kind in (Kind.SCREENINGS, Kind.WARNING_SIGNS, Kind.RISK_FLAGS)):
        # What an admin may already make as a PDF starts here: who the client is, their disclosures and
        # the PDF and export forms (each asking a purpose). No questionnaire results, flags or warning
        # signs: admins read clinical content only in a document made for a recorded purpose.
        record(action=Action.CLIENT_RECORD_VIEWED, request=request, target=client, client=client)
        context = {"case": case, "client": client, "disclosures": disclosures, "clinical": False}
        return render(request, "assessments/client_record.html", context)
    signs = client.warning_signs.select_related("recorded_by")
    flags = list(client.risk_flags.select_related("acknowledged_by", "resolved_by"))
    for flag in flags:
        flag.reason_texts = [
            RULE_REASONS.get(r)
            or CHECKIN_REASONS.get(r)
            or checkins.REASON_TEXTS.get(r)
            or r.replace("warning_sign:", "Warning sign: ")
            for r in flag.reasons
        ]
    screenings = list(client.screenings.order_by(F("submitted_at").desc(nulls_first=True), "-id"))
    trend = [
        (timezone.localdate(s.submitted_at), s.scores["index"])
        for s in reversed(screenings)
        if s.is_submitted and s.instrument_key == "power"
    ]
    record(action=Action.WARNING_SIGNS_VIEWED, request=request, target=client, client=client)
    context = {
        "case": case,
        "client": client,
        "signs": signs,
        "flags": flags,
        "screenings": screenings,
        "trend": line_chart({"Power index": trend}, title="Power index over time") if trend else None,
        "reliable": own_change(screenings),
        "note_form": FlagNoteForm(),
        "rescreen_choices": [("power", "power questionnaire"), ("safety", "safety questionnaire")],
        "progress_view": progress_view_of(client),
        "progress_shown": progress_shown(client),
        "disclosures": disclosures,
        "clinical": True,
    }
    return render(request, "assessments/client_record.html", context)


@reach_required(Kind.WARNING_SIGNS, Level.WRITE)
@require_http_methods(["GET", "POST"])
def warning_sign_new(request: HttpRequest, case_code, client_code) -> HttpResponse:
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.WARNING_SIGNS, level=Level.WRITE)
    form = WarningSignForm(posted(request))
    if request.method == "POST" and form.is_valid():
        sign = record_warning_sign(client=client, fields=form.cleaned_data, by=request.user, request=request)
        note = " An urgent risk flag was raised." if sign.risk_flags.exists() else ""
        messages.success(request, "Warning sign recorded." + note)
        return redirect("client_record", case_code=case.code, client_code=client.code)
    return render(request, "assessments/warning_sign_form.html", {"case": case, "client": client, "form": form})


def _flag_for(request: HttpRequest, code) -> RiskFlag:
    cases = Case.objects.reaching(request.user, Kind.RISK_FLAGS, Level.WRITE)
    visible = RiskFlag.objects.filter(client__in=Client.objects.filter(memberships__case__in=cases))
    return get_object_or_404(visible.select_related("client"), code=code)


@reach_required(Kind.RISK_FLAGS, Level.WRITE)
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
    return redirect(safe_local_url(request, request.POST.get("back", "")) or "dashboard")


# The safety page: public, so it can be reached from anywhere, and holds nothing about anyone.


@login_not_required
@require_GET
def safety_page(request: HttpRequest) -> HttpResponse:
    reading = language.current()
    info = SafetyInfo.current(reading)
    return render(request, "assessments/safety.html", {"info": info, "hotlines": info.lines_for(reading)})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def safety_edit(request: HttpRequest) -> HttpResponse:
    # One page per language (?language=es); English unless another of the practice's languages is asked for.
    editing = language.editing(request)
    current = SafetyInfo.current(editing)
    initial = {"intro": current.intro, "hotlines": SafetyInfoForm.lines_of(current.hotlines)}
    form = SafetyInfoForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        info = SafetyInfo.objects.create(
            intro=form.cleaned_data["intro"],
            hotlines=form.cleaned_data["hotlines"],
            language=editing,
            updated_by=request.user,
        )
        record(action=Action.SAFETY_INFO_CHANGED, request=request, target=info)
        messages.success(request, "The safety page is updated.")
        return redirect(language.editing_address(reverse("safety_edit"), editing))
    context = {"form": form, "editing": editing, "own_page": current.pk is not None}
    return render(request, "assessments/safety_edit.html", context)


# Client: questionnaires


UNREADABLE = _("One answer could not be read. Please choose it again.")
ALREADY_SENT = _("You have already sent these answers. Thank you.")


def _own_screening(request: HttpRequest, code) -> Screening:
    own = Screening.objects.filter(client__in=Client.objects.visible_to(request.user), client__user=request.user)
    return get_object_or_404(own, code=code)


def _question_rows(screening: Screening, answers: dict, language_code: str = "en") -> list[dict]:
    return _rows(localized(instrument_of(screening), language_code), answers)


def _chosen(row: dict) -> str:
    return next((c["label"] for c in row["choices"] if c["checked"]), "—")


def _rows(instrument: Instrument, answers: dict, missing=()) -> list[dict]:
    """Each question with its choices as the page shows them, the chosen one checked."""
    rows = []
    for number, item in enumerate(instrument.items, start=1):
        scale = instrument.scale(item.scale)
        chosen = str(answers.get(item.id, ""))
        choices = [
            # `words`: a label's text after its number ("0 Not at all"), for a scale drawn as numbered buttons.
            {"value": c.value, "label": c.label, "words": c.label.partition(" ")[2], "checked": chosen == str(c.value)}
            for c in scale.choices
        ]
        rows.append({"number": number, "item": item, "choices": choices, "missing": item.id in missing})
    return rows


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest, code) -> HttpResponse:
    screening = _own_screening(request, code)
    if screening.is_submitted:
        messages.info(request, ALREADY_SENT)
        return redirect("client_home")
    problem, missing, status = "", [], 200
    if request.method == "POST" and not sent_as_form(request):
        problem, status = UNREADABLE, 400
    elif request.method == "POST":
        try:
            # An answer that is not one of the choices is refused whole: nothing is stored.
            save_answers_from(screening, request.POST)
            done = submit(screening=screening, request=request)
        except IncompleteAnswers as error:
            missing, problem = error.missing, _("Some questions are not answered yet. They are listed here.")
        except InvalidAnswer:
            problem, status = UNREADABLE, 400
        else:
            if done.urgent:
                messages.info(
                    request,
                    _(
                        "Thank you. Your answers have reached your therapist. Some of them suggest you may not be "
                        "safe: below are people you can talk to, any time."
                    ),
                )
                return redirect("safety_page")
            messages.success(request, _("Thank you. Your answers have been sent to your therapist."))
            return redirect("client_home")
    instrument = localized(instrument_of(screening), language.current())
    rows = _rows(instrument, screening.answers, missing)
    context = {
        "screening": screening,
        "instrument": instrument,
        "title": client_title(instrument.key),
        "instructions": instrument.instructions_for(emergency_number=current_country().emergency_number),
        "rows": rows,
        "missing": [r for r in rows if r["item"].id in missing],
        "problem": problem,
        "autosave_url": reverse("questions_save", kwargs={"code": screening.code}),
    }
    return render(request, "assessments/questions.html", context, status=status)


@role_required(Role.CLIENT)
@require_POST
def questions_save(request: HttpRequest, code) -> JsonResponse:
    screening = _own_screening(request, code)
    if not sent_as_form(request):
        return not_a_form()
    try:
        save_answers_from(screening, request.POST)
    except ScreeningLocked:
        return JsonResponse({"error": "submitted", "message": gettext("These answers were already sent.")}, status=409)
    except InvalidAnswer:
        return JsonResponse(
            {"error": "invalid", "message": gettext("Not saved: choose that answer again.")}, status=400
        )
    return JsonResponse({"saved": True, "saved_at": show(screening.updated_at, "TIME_FORMAT")})


# Clinicians: results, comparison, rescreening


@reach_required(Kind.SCREENINGS, Level.WRITE)
@require_POST
def rescreen(request: HttpRequest, case_code, client_code, key: str) -> HttpResponse:
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.SCREENINGS, level=Level.WRITE)
    if key not in ("power", "safety"):
        raise Http404
    if refused := refuse_if_closed(request, case):
        return refused
    if key == "safety":
        # The therapist asks for it: the same path as a warning sign or a check-in, with its neutral notice.
        offer_safety_screen(client=client, reason="therapist", by=request.user, request=request)
    else:
        assign(client=client, key=key, by=request.user, request=request, reason="therapist")
    messages.success(request, f"{client.display_name} will see the questionnaire on their home page.")
    return redirect("client_record", case_code=case.code, client_code=client.code)


def power_chart(screening: Screening, title: str):
    bars = [Bar(d["title"], (d["score"],), highlight=d["score"] >= 50) for d in screening.scores["domains"]]
    return bar_chart(bars, title=title)


@reach_required(Kind.SCREENINGS)
@require_GET
def screening_result(request: HttpRequest, case_code, client_code, code) -> HttpResponse:
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.SCREENINGS)
    screening = get_object_or_404(client.screenings.submitted(), code=code)
    instrument = instrument_of(screening)
    record(action=Action.SCREENING_VIEWED, request=request, target=screening, client=client)
    # In the words the client read, with the English beside when those were not English.
    answers = [
        {
            "item": row["item"],
            "answer": _chosen(row),
            "own": own if screening.language != language.base_language() else None,
            "own_answer": _chosen(own),
        }
        for row, own in zip(
            _question_rows(screening, screening.answers),
            _question_rows(screening, screening.answers, screening.language),
            strict=True,
        )
    ]
    context = {
        "case": case,
        "client": client,
        "screening": screening,
        "instrument": instrument,
        "answers": answers,
        "answered_in": language.name_of(screening.language),
        "chart": power_chart(screening, f"{client.display_name}: imbalance by domain")
        if screening.instrument_key == "power"
        else None,
        "rule_reasons": [RULE_REASONS.get(r, r) for r in screening.scores.get("rules", [])],
        "flags": screening.risk_flags.all(),
    }
    return render(request, "assessments/screening_result.html", context)


@reach_required(Kind.SCREENINGS)
@require_GET
def comparison(request: HttpRequest, case_code) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.reaching(request.user, Kind.SCREENINGS), code=case_code, kind=Case.Kind.COUPLE
    )
    partners = list(case.clients.order_by("memberships__id"))
    latest = [latest_submitted(p, "power") for p in partners]
    context = {"case": case, "partners": partners, "latest": latest}
    if all(latest) and len(latest) == 2:
        result = compare(latest[0], latest[1])
        bars = [Bar(r["title"], (r["a"], r["b"]), highlight=r["wide"]) for r in result["rows"]]
        names = tuple(p.display_name for p in partners)
        context.update(result=result, chart=bar_chart(bars, title="Imbalance by domain, both partners", series=names))
    context["reliable"] = case_change(case)
    for partner in partners:
        record(action=Action.COMPARISON_VIEWED, request=request, target=case, client=partner)
    return render(request, "assessments/comparison.html", context)


# The public self-check: scored on the server, nothing stored, nothing logged.

SELF_CHECK_ITEMS = ("dec1", "mon2", "voi1", "fea1", "soc1", "dig1", "bou1", "lab3", "pre1")


def self_check_instrument(language_code: str = "en") -> Instrument:
    """A short form of the screener: one question per domain, scored the same way, in the page's language."""
    power = localized(registry.latest("power"), language_code)
    items = tuple(i for i in power.items if i.id in SELF_CHECK_ITEMS)
    return dataclasses.replace(power, key="power-short", items=items)


@login_not_required
@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    instrument = self_check_instrument(language.current())
    sent = request.POST if request.method == "POST" else {}
    answers = {item.id: sent.get(item.id, "") for item in instrument.items}
    result, missing = None, []
    if request.method == "POST":
        try:
            result = score(instrument=instrument, answers={k: v for k, v in answers.items() if v != ""})
        except IncompleteAnswers as error:
            missing = error.missing
        except InvalidAnswer:
            missing = [item.id for item in instrument.items]
    rows = _rows(instrument, answers, missing)
    context = {
        "instrument": instrument,
        "rows": rows,
        "missing": [r for r in rows if r["item"].id in missing],
        "result": result,
        "stand_out": [d["title"] for d in result["domains"] if d["key"] in result["stand_out"]] if result else [],
    }
    return render(request, "assessments/self_check.html", context)


# Client: the check-in after a session


def _own_checkin(request: HttpRequest, code) -> SessionCheckIn:
    own = SessionCheckIn.objects.filter(client__in=Client.objects.visible_to(request.user), client__user=request.user)
    return get_object_or_404(own.select_related("session"), code=code)


CHECKIN_CLOSED = _("This one has closed: it stays open a few days after each appointment. Thank you.")


def _checkin_page(request, checkin, *, chosen: dict, comment: str, missing=(), problem="", status=200, other=None):
    instrument = localized(checkins.instrument_of(checkin), language.current())
    rows = _rows(instrument, chosen, missing)
    context = {
        "checkin": checkin,
        "title": client_title(instrument.key),
        "instructions": instrument.instructions,
        "rows": rows,
        "missing": [r for r in rows if r["missing"]],
        "problem": problem,
        "comment": comment,
        # What the line reads in another window that saved it meanwhile; the next send keeps this page's.
        "other_line": other,
        "revision": checkins.comment_revision(checkin.comment if other is None else other),
        "comment_prompt": gettext(COMMENT_PROMPT),
        "comment_max": COMMENT_MAX,
        "autosave_url": reverse("session_checkin_save", kwargs={"code": checkin.code}),
    }
    return render(request, "assessments/session_checkin.html", context, status=status)


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def session_checkin(request: HttpRequest, code) -> HttpResponse:
    checkin = _own_checkin(request, code)
    if checkin.is_submitted:
        messages.info(request, ALREADY_SENT)
        return redirect("client_home")
    if checkin.is_expired():
        messages.info(request, CHECKIN_CLOSED)
        return redirect("client_home")
    if request.method == "GET":
        return _checkin_page(request, checkin, chosen=checkin.answers, comment=checkin.comment)
    # What was sent stays on the page whatever goes wrong: nothing a client chose or typed is lost.
    items = checkins.instrument_of(checkin).items
    chosen = {**checkin.answers, **{i.id: request.POST[i.id] for i in items if request.POST.get(i.id)}}
    comment = request.POST.get("comment", checkin.comment)
    if not sent_as_form(request):
        return _checkin_page(request, checkin, chosen=chosen, comment=comment, problem=UNREADABLE, status=400)
    try:
        checkins.save_answers(checkin, request.POST)
        checkins.submit(checkin, request=request)
    except IncompleteAnswers as error:
        problem = _("Some lines are not answered yet. They are listed here.")
        return _checkin_page(request, checkin, chosen=chosen, comment=comment, missing=error.missing, problem=problem)
    except InvalidAnswer:
        return _checkin_page(request, checkin, chosen=chosen, comment=comment, problem=UNREADABLE, status=400)
    except CommentTooLong as error:
        return _checkin_page(request, checkin, chosen=chosen, comment=comment, problem=str(error), status=400)
    except CommentChanged as changed:
        problem = _("Your last line was changed in another window. Both are below: keep the words you want and send.")
        return _checkin_page(
            request, checkin, chosen=chosen, comment=comment, problem=problem, status=409, other=changed.stored
        )
    except checkins.CheckInClosed:
        messages.info(request, CHECKIN_CLOSED)
        return redirect("client_home")
    except ScreeningLocked:
        messages.info(request, ALREADY_SENT)
        return redirect("client_home")
    messages.success(request, _("Thank you. Your answers have reached your therapist."))
    return redirect("client_home")


@role_required(Role.CLIENT)
@require_POST
def session_checkin_save(request: HttpRequest, code) -> JsonResponse:
    checkin = _own_checkin(request, code)
    if not sent_as_form(request):
        return not_a_form()
    try:
        saved = checkins.save_answers(checkin, request.POST)
    except ScreeningLocked:
        return JsonResponse({"error": "submitted", "message": gettext("These answers were already sent.")}, status=409)
    except checkins.CheckInClosed:
        return JsonResponse(
            {"error": "closed", "message": gettext("Not saved: %(why)s") % {"why": CHECKIN_CLOSED}}, status=409
        )
    except InvalidAnswer:
        return JsonResponse(
            {"error": "invalid", "message": gettext("Not saved: choose that answer again.")}, status=400
        )
    except CommentTooLong as error:
        return JsonResponse({"error": "invalid", "message": gettext("Not saved. %(why)s") % {"why": error}}, status=400)
    except CommentChanged:
        message = gettext("Not saved: your last line was changed in another window. Press Send to see both and choose.")
        return JsonResponse({"error": "changed", "message": message}, status=409)
    revision = checkins.comment_revision(saved.comment)
    return JsonResponse({"saved": True, "saved_at": show(saved.updated_at, "TIME_FORMAT"), "revision": revision})


# Clinicians: balance alerts


@reach_required(Kind.SESSION_CHECKINS, Level.WRITE)
@require_POST
def balance_alert_resolve(request: HttpRequest, code) -> HttpResponse:
    mine = BalanceAlert.objects.filter(case__in=Case.objects.reaching(request.user, Kind.SESSION_CHECKINS, Level.WRITE))
    alert = get_object_or_404(mine.select_related("case", "client"), code=code)
    form = FlagNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Add a short note (what you noticed or did) to resolve the alert.")
    elif checkins.resolve_alert(alert=alert, by=request.user, note=form.cleaned_data["note"], request=request):
        messages.success(request, "Balance alert resolved.")
    else:
        messages.info(request, "That alert was already resolved.")
    return redirect(reverse("case_detail", kwargs={"code": alert.case.code}) + "#checkins-h")
