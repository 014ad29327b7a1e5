from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from clinic.accounts.models import Role
from clinic.lib import language
from clinic.lib.fields import RecordChoiceField

User = get_user_model()


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"inputmode": "text", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your app"),
        max_length=10,
        help_text=_("Enter the 6-digit code your app shows now."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("Enter the 6 digits your app shows, without letters."))
        return token


class StaffForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "username", "email", "role", "is_supervisor", "needs_cosign", "supervisor"]
        field_classes = {"supervisor": RecordChoiceField}
        labels = {"supervisor": "Supervised by"}
        help_texts = {
            "supervisor": "Therapists only: the supervisor who co-signs this therapist's notes and sees their urgent flags.",
            "username": "Used to sign in. Letters, digits and @/./+/-/_ only.",
            "is_supervisor": "Therapists only: may co-sign notes of therapists they supervise.",
            "needs_cosign": "Therapists only: their signed notes wait for a supervisor's co-signature.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in (Role.THERAPIST, Role.ADMIN)]
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        if self.instance.pk:
            # The sign-in name stays fixed once the account exists.
            self.fields["username"].disabled = True
        supervisors = User.objects.therapists().filter(is_supervisor=True).order_by("last_name", "first_name")
        if self.instance.pk:
            supervisors = supervisors.exclude(pk=self.instance.pk)
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].empty_label = "Nobody"
        self.fields["supervisor"].error_messages["invalid_choice"] = (
            "Choose an active therapist marked as a supervisor, other than this person."
        )

    @property
    def supervision_changed(self) -> bool:
        return "supervisor" in self.changed_data


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refusing a name longer than any account's before it is looked up.

    Django sets the name's max_length without a validator, and normalising
    (NFKC) can make a name several times longer: such a name reached the
    sign-in throttle's record, whose column is shorter, and failed there on
    PostgreSQL. It is answered as any wrong name or password is.
    """

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return super().clean()


class LanguageForm(forms.Form):
    """The language a client reads their pages, emails, text messages and documents in."""

    language = forms.ChoiceField(
        label=_("Language of your pages, emails and messages"),
        choices=language.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one of the languages listed."),
            "invalid_choice": _("Choose one of the languages listed."),
        },
    )
