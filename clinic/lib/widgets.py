from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker. It only accepts ISO dates (2026-11-20), whatever the site's locale."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
