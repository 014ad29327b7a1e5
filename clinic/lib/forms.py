"""How every form field is drawn: nothing kept by the browser, and Bootstrap's classes.

`PrivateBoundField` is the project's BoundField (set once, on the form
renderer in settings.FORM_RENDERER), so every field of every form, with or
without crispy, tells the browser not to keep what is typed: no form
history to offer again on a shared device, no form state restored on Back.
A widget's own `autocomplete` token ("name", "email", "one-time-code") is
replaced too: those tokens invite the browser to fill in, and to remember.

Password fields get "new-password" instead of "off": Chromium's password
manager ignores "off" on a password field, and with "current-password" it
fills a saved password in by itself, so whoever uses the device next would
be signed in as the client. A "new-password" field is never filled in
unasked. (Password fields are never kept in form history or restored.)

`BootstrapBoundField` adds Bootstrap's classes on each widget, so that a
page can render its fields with the small `includes/_fields.html` template.
On the client intake pages this halves the time to draw the page.
"""

from django.forms import BoundField, CheckboxInput, PasswordInput, Select
from django.forms.renderers import Jinja2

NOT_KEPT = "off"
NOT_FILLED = "new-password"


def autocomplete_for(widget) -> str:
    return NOT_FILLED if isinstance(widget, PasswordInput) else NOT_KEPT


class PrivateBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs["autocomplete"] = autocomplete_for(widget or self.field.widget)
        return attrs


class BootstrapBoundField(PrivateBoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, Select):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        attrs["class"] = " ".join(filter(None, [widget.attrs.get("class", ""), attrs.get("class", ""), css]))
        return attrs


class FormRenderer(Jinja2):
    """Django's Jinja2 widget templates (see settings), with PrivateBoundField for every form."""

    bound_field_class = PrivateBoundField
