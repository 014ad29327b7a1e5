from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinic.accounts.models import User
from clinic.clients import words
from intake.models import ConsentDocument


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("Choose a sign-in name"),
        max_length=150,
        help_text=_("Something only you would know to use. Letters, digits and @ . + - _ only. Avoid your full name."),
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocapitalize": "none"}),
        error_messages={"required": _("Choose a sign-in name.")},
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        help_text=_("At least 12 characters. A few unrelated words work well."),
        widget=forms.PasswordInput(),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(),
        error_messages={"required": _("Type the password again.")},
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are different. Type the same password twice."))
        elif first:
            try:
                password_validation.validate_password(first, User(username=data.get("username", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        # Whether a name is taken is said only once all else is right, and each try counts against the link
        # (intake.invitations.try_invitation): the form is not a free way to test which names exist.
        username = data.get("username")
        if username and not self.errors and User.objects.filter(username__iexact=username).exists():
            self.add_error("username", _("That sign-in name is taken. Please choose another."))
        return data


class ConsentTextForm(forms.Form):
    kind = forms.ChoiceField(label="Which text", choices=ConsentDocument.Kind.choices)
    title = forms.CharField(max_length=200, error_messages={"required": "Give the text a title."})
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        error_messages={"required": "Write the text clients will read."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        words.mark_fields(self, ConsentDocument)

    @transaction.atomic
    def publish(self, *, by: User, language: str = "en") -> ConsentDocument:
        kind = self.cleaned_data["kind"]
        latest = (
            ConsentDocument.objects.select_for_update()
            .filter(kind=kind, language=language)
            .order_by("-version")
            .first()
        )
        return ConsentDocument.objects.create(
            kind=kind,
            language=language,
            version=(latest.version + 1) if latest else 1,
            title=self.cleaned_data["title"],
            body=self.cleaned_data["body"],
            created_by=by,
        )
