"""Every record field a client or visitor page shows is declared: words staff write to clients, or not staff's.

clinic/clients/words.py declares the fields whose text clients read word for word as staff typed it (and who
reads each), and apart from them what else a client page may show of the records (their own name, their own
answers). This walks every client and public page as test_nothing_kept.py does (each demo client and an
anonymous visitor; GET, an empty POST and the permission matrix's POST) and finds what each page showed of the
records in two ways:

- every variable a template read from a row (`{{ goal.progress_shows }}`, `{% if assignment.personal_note %}`),
  caught as the template engine looks it up, whether the field is empty or not;
- every text the demo's records hold (twelve characters or more), looked for in each page's text, which finds
  words that Python copied from a row before the template saw them.

A field found that is in neither list fails, naming the field and a page that showed it; so does a client
page template that the walk never rendered.
"""

import copy
import html
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import base as template_base
from django.test.signals import template_rendered
from django.urls import reverse

from assessments.screenings import assign
from clinic.clients import words
from clinic.clients.models import Client
from tests.browserlike import BrowserLikeClient
from tests.test_nothing_kept import visit_every_page

SHORTEST = 12
# Records a client page never shows, and whose rows are many: not searched for by value.
NOT_SEARCHED = {"audit.AuditEvent", "accounts.User", "django_tasks_db.DBTaskResult"}
TEXT = (models.CharField, models.TextField, models.JSONField)


def machine_value(model, name: str) -> bool:
    """A field holding one of the app's own values (a choice), not words anyone typed."""
    try:
        return bool(model._meta.get_field(name).choices)
    except FieldDoesNotExist:  # a property or a method: its words count
        return False


class Reads:
    """What the template engine read from rows while it drew pages: {"plans.Goal.statement": where}."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def resolve_lookup(self, original):
        fields = self.fields

        def tracking(variable, context):
            value = original(variable, context)
            last = variable.lookups[-1] if variable.lookups else ""
            if len(variable.lookups) > 1 and isinstance(value, str) and not last.startswith("get_"):
                owner_lookup = copy.copy(variable)
                owner_lookup.lookups = variable.lookups[:-1]
                owner = original(owner_lookup, context)
                if isinstance(owner, models.Model) and not machine_value(owner, last):
                    request = getattr(context, "request", None)
                    where = f"{request.method} {request.path} as {request.user}" if request else "a page"
                    fields.setdefault(f"{owner._meta.label}.{last}", where)
            return value

        return tracking


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def record_texts() -> dict[str, str]:
    """Every text of at least SHORTEST characters the records hold, with the field it is in: {text: label.field}."""
    found: dict[str, str] = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in NOT_SEARCHED or not model.__module__.startswith(("clinic.", "intake.", "assessments.")):
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT) and not f.choices]
        for field in fields:
            for value in model.objects.values_list(field.attname, flat=True):
                for text in _strings(value):
                    for line in text.splitlines():
                        line = " ".join(line.split())
                        if len(line) >= SHORTEST:
                            found.setdefault(line, f"{label}.{field.name}")
    return found


def page_text(content: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def client_templates() -> set[str]:
    root = Path(settings.BASE_DIR) / "templates"
    return {
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if '{% extends "layouts/client.html" %}' in path.read_text()
    }


@pytest.fixture(scope="module")
def walk(demo, django_db_blocker):
    """(fields read by templates, fields found by value, templates rendered): each field with a page showing it."""
    reads = Reads()
    rendered: set[str] = set()

    def on_render(sender, template, context, **kwargs):
        rendered.add(template.name)

    by_value: dict[str, str] = {}
    with django_db_blocker.unblock():
        jo = Client.objects.get(user__username="client1")
        codes = [assign(client=jo, key=key, by=demo["users"]["therapist1"]).code for key in ("power", "safety")]
        texts = record_texts()
        template_rendered.connect(on_render)
        original = template_base.Variable._resolve_lookup
        template_base.Variable._resolve_lookup = reads.resolve_lookup(original)
        try:
            for who, method, url, response in visit_every_page({**demo, "questionnaires": codes}):
                shown = page_text(response.content.decode())
                for text, field in texts.items():
                    if field not in by_value and text in shown:
                        by_value[field] = f"{method.upper()} {url} as {who}: “{text[:60]}”"
            # Pages the walk does not reach: a spent invitation link, a refused form token, a refused address,
            # a sign-in name locked out after failed attempts.
            BrowserLikeClient().get(reverse("invitation_accept", kwargs={"token": "no-such-invitation"}))
            BrowserLikeClient(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
            BrowserLikeClient().get(reverse("login"), HTTP_HOST="not-this-site.invalid")
            for _ in range(settings.AXES_FAILURE_LIMIT):
                BrowserLikeClient().post(reverse("login"), {"username": "no-such-person", "password": "wrong"})
        finally:
            template_base.Variable._resolve_lookup = original
            template_rendered.disconnect(on_render)
    return reads.fields, by_value, rendered


def test_every_field_a_client_page_shows_is_declared(walk, db):
    read, by_value, _ = walk
    undeclared = [
        f"{field} (seen on {where})"
        for field, where in sorted({**read, **by_value}.items())
        if not words.declared(*field.rsplit(".", 1))
    ]
    assert not undeclared, "Declare these in clinic/clients/words.py:\n" + "\n".join(undeclared)


def test_the_walk_saw_the_words_staff_write_to_clients(walk, db):
    # The check above is only as good as what the walk saw: the demo's goals, exercise and notes among them.
    read, by_value, _ = walk
    for field in (
        "plans.Goal.statement",
        "plans.Goal.progress_shows",
        "plans.Assignment.title",
        "plans.Assignment.instructions",
        "plans.Assignment.personal_note",
        "plans.CheckIn.text",
        "intake.ConsentDocument.body",
        "assessments.SafetyInfo.intro",
    ):
        assert field in read, field
    assert "plans.Goal.progress_shows" in by_value and "plans.Assignment.personal_note" in by_value


def test_the_walk_rendered_every_client_page_template(walk, db):
    _, _, rendered = walk
    missing = client_templates() - rendered
    assert not missing, f"Client page templates the walk never drew: {sorted(missing)}"


def test_the_registry_names_real_fields():
    assert words.check() == []
