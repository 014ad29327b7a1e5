"""Form fields that read numbers strictly (see clinic/lib/numbers.py for why)."""

from django import forms
from django.core.exceptions import ValidationError

from clinic.lib.numbers import NotANumber, whole_number


class WholeNumberField(forms.IntegerField):
    """IntegerField that takes ASCII digits only (Django's takes any Unicode digit)."""

    default_error_messages = {"invalid": "Enter a whole number using the digits 0 to 9."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return whole_number(value)
        except NotANumber:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class RecordChoiceField(forms.ModelChoiceField):
    """A choice of record by its numeric id: only ASCII digits are looked up (int() would take Arabic-Indic three for 3)."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            try:
                whole_number(value, minimum=1)
            except NotANumber:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        return super().to_python(value)


class AsciiDateTimeField(forms.DateTimeField):
    """DateTimeField that refuses non-ASCII digits (Django's ISO parser takes Arabic-Indic ones)."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
