from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client, case_and_client
from clinic.lib.http import posted
from clinic.releases import releasing
from clinic.releases.authorizations import revoke, save_authorization
from clinic.releases.forms import (
    PaperAuthorizationForm,
    PortalAuthorizationForm,
    RedactionForm,
    RevokeForm,
    StaffRevokeForm,
    WithholdForm,
)
from clinic.releases.models import Method, Release, ReleaseAuthorization

# --- The client's own page: "Sharing your records" -------------------------------------------------


def _couple_case_of(client: Client) -> Case | None:
    """The client's open couple case (their joint sessions), if any."""
    members = Prefetch("clients", queryset=Client.objects.order_by("memberships__id"))
    return (
        client.cases.filter(kind=Case.Kind.COUPLE, status=Case.Status.OPEN)
        .prefetch_related(members)
        .order_by("-opened_on", "-id")
        .first()
    )


def _own_profile(request: HttpRequest) -> Client:
    profile = Client.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404
    return profile


@role_required(Role.CLIENT)
@require_GET
def sharing_home(request: HttpRequest) -> HttpResponse:
    """The client's own authorizations only; never the partner's (their list is theirs)."""
    profile = _own_profile(request)
    case = _couple_case_of(profile)
    given = ReleaseAuthorization.objects.of_client_user(request.user).select_related("recipient_client")
    return render(request, "releases/sharing_home.html", {"case": case, "given": given})


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def sharing_new(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    case = _couple_case_of(profile)
    if case is None:
        raise Http404
    partner = next((c for c in case.clients.all() if c.pk != profile.pk), None)
    if partner is None:
        raise Http404
    form = PortalAuthorizationForm(posted(request), partner=partner, legal_name=profile.full_name)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        authorization = ReleaseAuthorization(
            case=case,
            authorizing_client=profile,
            recipient_kind=data["recipient_kind"],
            recipient_client=partner if data["recipient_kind"] == ReleaseAuthorization.RecipientKind.PARTNER else None,
            third_party_name=data["third_party_name"].strip(),
            third_party_organisation=data["third_party_organisation"].strip(),
            scope=data["scope"],
            signed_on=form.signed_on_value(data),
            expires_on=data["expires_on"],
            method=Method.PORTAL,
            signature_name=data["signature"],
        )
        save_authorization(authorization=authorization, by=request.user, request=request)
        messages.success(request, gettext("Signed. You can withdraw it here at any time."))
        return redirect("sharing_home")
    return render(request, "releases/sharing_new.html", {"form": form, "partner": partner})


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def sharing_revoke(request: HttpRequest, code) -> HttpResponse:
    authorization = get_object_or_404(
        ReleaseAuthorization.objects.of_client_user(request.user).select_related("recipient_client"), code=code
    )
    form = RevokeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        revoke(authorization=authorization, by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(request, gettext("Withdrawn. Nothing more will be shared under it."))
        return redirect("sharing_home")
    # Every agreement to that recipient that still stands is withdrawn with it: the client sees them all first.
    same_recipient = [a for a in ReleaseAuthorization.objects.to_recipient(authorization) if not a.is_revoked]
    context = {"a": authorization, "form": form, "same_recipient": same_recipient}
    return render(request, "releases/sharing_revoke.html", context)


# --- Staff: authorizations recorded from paper ---------------------------------------------------------


@reach_required(Kind.AUTHORIZATIONS, Level.WRITE)
@require_http_methods(["GET", "POST"])
def authorization_list(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """The authorizations this client gave, and a form to record one from a signed paper form."""
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.AUTHORIZATIONS, level=Level.WRITE)
    if case.kind != Case.Kind.COUPLE:
        raise Http404
    partner = case.clients.exclude(pk=client.pk).first()
    form = PaperAuthorizationForm(posted(request), partner=partner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        authorization = ReleaseAuthorization(
            case=case,
            authorizing_client=client,
            recipient_kind=data["recipient_kind"],
            recipient_client=partner if data["recipient_kind"] == ReleaseAuthorization.RecipientKind.PARTNER else None,
            third_party_name=data["third_party_name"].strip(),
            third_party_organisation=data["third_party_organisation"].strip(),
            scope=data["scope"],
            signed_on=data["signed_on"],
            expires_on=data["expires_on"],
            method=Method.PAPER,
        )
        save_authorization(authorization=authorization, by=request.user, request=request)
        messages.success(request, "Authorization recorded.")
        return redirect("authorization_list", case_code=case.code, client_code=client.code)
    given = client.authorizations_given.filter(case=case).select_related(
        "recipient_client", "recorded_by", "revoked_by"
    )
    context = {
        "case": case,
        "client": client,
        "partner": partner,
        "given": given,
        "form": form,
        "revoke_form": StaffRevokeForm(),
    }
    return render(request, "releases/authorization_list.html", context)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_POST
def authorization_revoke(request: HttpRequest, code) -> HttpResponse:
    authorization = get_object_or_404(ReleaseAuthorization.objects.visible_to(request.user), code=code)
    form = StaffRevokeForm(request.POST)
    if form.is_valid():
        revoke(authorization=authorization, by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(request, "Authorization revoked.")
    else:
        messages.error(request, "Say why it is revoked, and how the client asked for it.")
    return redirect(
        "authorization_list", case_code=authorization.case.code, client_code=authorization.authorizing_client.code
    )


# --- Staff: review before release --------------------------------------------------------------------


def _release(request: HttpRequest, code) -> Release:
    scope = Release.objects.visible_to(request.user).select_related("case__primary_therapist", "client", "prepared_by")
    return get_object_or_404(scope, code=code)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    releases = (
        Release.objects.visible_to(request.user)
        .select_related("client", "prepared_by", "confirmed_by")
        .order_by("-prepared_at")[:100]
    )
    return render(request, "releases/release_list.html", {"releases": releases})


def review_page(request, release, *, form=None, withhold_form=None, changed=False, status=200) -> HttpResponse:
    context = {"release": release, "changed": changed, "reviewer": release.may_review(request.user)}
    if context["reviewer"] and release.status == Release.Status.PREPARED:
        # Clinical content: only the case's primary therapist sees the preview.
        contents = releasing.contents_of(release)
        record(
            action=Action.NOTE_VIEWED,
            request=request,
            target=release,
            client=release.client,
            detail={"release": str(release.code), "preview": True},
        )
        context.update(
            contents=contents,
            form=form or RedactionForm(contents=contents),
            withhold_form=withhold_form or WithholdForm(contents=contents),
            redactions=release.redactions.select_related("redacted_by"),
        )
    return render(request, "releases/release_detail.html", context, status=status)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_GET
def release_detail(request: HttpRequest, code) -> HttpResponse:
    return review_page(request, _release(request, code))


def _reviewable(request: HttpRequest, code) -> Release:
    release = _release(request, code)
    if not release.may_review(request.user):
        raise Http404
    return release


@role_required(Role.THERAPIST)
@require_POST
def release_redact(request: HttpRequest, code) -> HttpResponse:
    release = _reviewable(request, code)
    if release.status != Release.Status.PREPARED:
        messages.error(request, "Only a release waiting for review can be changed.")
        return redirect("release_detail", code=release.code)
    contents = releasing.contents_of(release)
    form = RedactionForm(request.POST, contents=contents)
    if not form.is_valid():
        return review_page(request, release, form=form, status=400)
    data = form.cleaned_data
    releasing.add_redaction(
        release=release,
        part=data["part"],
        passage=data["passage"],
        occurrence=data["occurrence"],
        reason=data["reason"],
        by=request.user,
        request=request,
    )
    messages.success(request, "Redacted in this release. The record itself is unchanged.")
    return redirect("release_detail", code=release.code)


@role_required(Role.THERAPIST)
@require_POST
def release_withhold(request: HttpRequest, code) -> HttpResponse:
    release = _reviewable(request, code)
    if release.status != Release.Status.PREPARED:
        messages.error(request, "Only a release waiting for review can be changed.")
        return redirect("release_detail", code=release.code)
    form = WithholdForm(request.POST, contents=releasing.contents_of(release))
    if not form.is_valid():
        return review_page(request, release, withhold_form=form, status=400)
    releasing.add_redaction(
        release=release,
        part=form.cleaned_data["item"],
        reason=form.cleaned_data["reason"],
        by=request.user,
        request=request,
    )
    messages.success(request, "Withheld from every file of this release. The record itself is unchanged.")
    return redirect("release_detail", code=release.code)


@role_required(Role.THERAPIST)
@require_POST
def release_confirm(request: HttpRequest, code) -> HttpResponse:
    release = _reviewable(request, code)
    if release.status != Release.Status.PREPARED:
        return redirect("release_detail", code=release.code)
    try:
        releasing.confirm(release=release, reviewed=request.POST.get("reviewed", ""), by=request.user, request=request)
    except releasing.ContentsChanged:
        return review_page(request, release, changed=True, status=409)
    messages.success(request, "Confirmed. It can now be downloaded.")
    return redirect("release_detail", code=release.code)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_POST
def release_cancel(request: HttpRequest, code) -> HttpResponse:
    release = _release(request, code)
    if not (release.may_review(request.user) or release.prepared_by_id == request.user.pk):
        raise Http404
    releasing.cancel(release=release, by=request.user, request=request)
    messages.success(request, "Cancelled. Nothing was released.")
    return redirect("release_detail", code=release.code)
