"""Every client and public page, rendered in Spanish, says nothing in English but what people wrote.

The template check (test_nothing_untranslated.py) reads templates; it cannot see text that Python puts on a
page: a form's error, a message after saving, a chart's labels, a choice's name. This walks every client and
public page as test_nothing_kept.py does (each demo client, by GET, by an empty POST that brings the form back
with its errors, and by POST with the permission matrix's data), with the demo clients' language set to
Spanish and the public pages at their /es/ addresses, and reads each page's visible text.

What people wrote is taken out first: every text the demo's records hold for these clients (names, goals,
exercises, notes to the client, answers), and any element marked with another language (`lang="en"`, as an
exercise the library has no Spanish words for). What remains must carry no common English word.

The hard paths (a refusal, a conflict, an expiry, an exercise that made things worse) are walked in
test_spanish_pages_on_hard_paths.py; the Python that says their words is read by test_python_words_translated.py.
"""

import pytest
from django.db import models

from assessments.screenings import assign
from clinic.clients.models import Client
from clinic.context_processors import PUBLIC_BY_LANGUAGE
from tests import test_nothing_kept as nothing_kept
from tests.i18n.helpers import english_left
from tests.test_nothing_kept import VISITORS, visit_every_page


def typed_texts(clients) -> list[str]:
    """Every text the records hold for these clients and the people around them: what people wrote."""
    from clinic.accounts.models import User
    from clinic.appointments.models import Appointment
    from clinic.plans.models import Assignment, CheckIn, Goal
    from intake.models import Intake

    found: set[str] = set()

    def add(value) -> None:
        if isinstance(value, str):
            found.update(line.strip() for line in value.splitlines() if line.strip())
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, list):
            for item in value:
                add(item)

    cases = {m.case_id for c in clients for m in c.memberships.all()}
    rows = [
        *Client.objects.filter(memberships__case_id__in=cases),
        *User.objects.all(),
        *Goal.objects.filter(version__plan__case_id__in=cases),
        *Assignment.objects.filter(case_id__in=cases),
        *CheckIn.objects.filter(assignment__case_id__in=cases),
        *Intake.objects.filter(client__in=clients),
        *Appointment.objects.filter(case_id__in=cases),
    ]
    for row in rows:
        for field in row._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                add(getattr(row, field.attname))
    from django.conf import settings

    add(settings.PRACTICE_NAME)
    return sorted(found, key=len, reverse=True)


def in_spanish(urls_for):
    def spanish_urls(pattern, ids):
        urls = urls_for(pattern, ids)
        return [f"/es{url}" for url in urls] if pattern.name in PUBLIC_BY_LANGUAGE else urls

    return spanish_urls


@pytest.fixture(scope="module")
def spanish_pages(demo, django_db_blocker):
    clients = [Client.objects.get(user__username=who) for who in VISITORS if who != "anonymous"]
    with django_db_blocker.unblock():
        before = {c.pk: c.language for c in clients}
        Client.objects.filter(pk__in=before).update(language="es")
        jo = Client.objects.get(user__username="client1")
        codes = [assign(client=jo, key=key, by=demo["users"]["therapist1"]).code for key in ("power", "safety")]
        try:
            typed = typed_texts(clients)
            # Public pages at their Spanish addresses (/es/…); clients' own pages follow their record.
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(nothing_kept, "urls_for", in_spanish(nothing_kept.urls_for))
                pages = [
                    (who, method, url, response.content.decode())
                    for who, method, url, response in visit_every_page({**demo, "questionnaires": codes})
                ]
        finally:
            for pk, language in before.items():
                Client.objects.filter(pk=pk).update(language=language)
    return pages, typed


def test_every_client_and_public_page_in_spanish_says_no_english_word(spanish_pages, db):
    pages, typed = spanish_pages
    wrong, not_spanish = [], []
    for who, method, url, html in pages:
        lang, words = english_left(html, typed)
        if lang != "es":
            not_spanish.append(f"{method.upper()} {url} as {who}: lang={lang!r}")
        elif words:
            wrong.append(f"{method.upper()} {url} as {who}: {words}")
    assert not not_spanish, "\n".join(sorted(set(not_spanish)))
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_the_walk_saw_the_pages_that_matter(spanish_pages, db):
    pages, _ = spanish_pages
    seen = {url for _, _, url, _ in pages}
    for part in ("/es/check/", "/es/start/", "/es/help/", "/my/questions/", "/my/practice/", "/my/forms/", "/account/"):
        assert any(part in url for url in seen), part
    assert len(pages) > 60


def test_the_reader_finds_english_it_is_shown():
    # The check can fail: English outside a marked element is found, inside one it is not.
    html = '<html lang="es"><body><p>Guardar. Please save</p><div lang="en">Only in English</div></body></html>'
    assert set(english_left(html, [])[1]) == {"please", "save"}
    assert english_left(html, ["Please save"])[1] == {}
