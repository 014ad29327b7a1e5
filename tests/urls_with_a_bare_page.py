"""The real URLconf plus one new public page with a bare form: the nothing-kept check must catch it."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from clinic.urls import handler400, handler403, handler404, handler500  # noqa: F401
from clinic.urls import urlpatterns as real

PAGE = """{% extends "layouts/client.html" %}{% block content %}
<form method="post">{% csrf_token %}{{ form.safe_word }}<input type="text" name="nickname"><button>Send</button></form>
{% endblock %}"""


class NewForm(forms.Form):
    safe_word = forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "nickname"}))


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(PAGE).render({"form": NewForm()}, request))


urlpatterns = [*real, path("bare/", bare, name="bare_page")]
