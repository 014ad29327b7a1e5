"""A therapist, their supervisor and the admin work through a day in the demo practice.

Write a draft, switch its format twice, sign it (confirmed once), co-sign
and return notes, move a case, search, read and export the audit log, make
both practice reports: no word lost and no error page on the way.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clinic.accounts.models import User
from clinic.clients.models import Case
from clinic.notes.models import SessionNote
from clinic.reports.models import ReportJob
from tests.browserlike import BrowserLikeClient
from tests.conftest import sign_in


def as_demo(username: str) -> BrowserLikeClient:
    http = BrowserLikeClient()
    http.raise_request_exception = True
    return sign_in(http, User.objects.get(username=username))


def ok(response) -> str:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return response.content.decode()


def note_url(name: str, note: SessionNote) -> str:
    return reverse(name, kwargs={"code": note.session.code})


@pytest.fixture
def demo_day(db, settings):
    settings.TASKS_BACKEND = "immediate"
    call_command("seed_demo", stdout=io.StringIO())


def test_a_day_in_the_demo_loses_no_word_and_meets_no_error(demo_day):
    therapist = as_demo("therapist1")
    dashboard = ok(therapist.get(reverse("dashboard")))
    draft = SessionNote.objects.filter(author__username="therapist1", status=SessionNote.Status.DRAFT).first()
    assert draft is not None and note_url("note_page", draft) in dashboard

    # Write in every field of the draft, switch SOAP -> DAP -> SOAP by autosave, then sign, confirming once.
    ok(therapist.get(note_url("note_page", draft)))
    draft.refresh_from_db()
    words = {
        "c_subjective": "Ana says the budget talks feel one-sided.",
        "c_objective": "Both sat apart; Ana spoke less.",
        "c_assessment": "Money decisions rest with one partner.",
        "c_plan": "Name the pattern again next week.",
        "next_steps": "Each keeps a note of one decision shared.",
        "focus_naming_power": "2",
        "evidence_naming_power": "Named who decides spending, without blame.",
    }
    data = {"format": "soap", "version": draft.version, **words}
    for fmt in ("dap", "soap"):
        saved = therapist.post(note_url("note_autosave", draft), {**data, "format": fmt})
        assert saved.status_code == 200, saved.content
        draft.refresh_from_db()
        page = ok(therapist.get(note_url("note_page", draft)))
        data = {"version": draft.version, "format": fmt, "next_steps": words["next_steps"]}
        data.update({f"c_{key}": value for key, value in draft.content.items()})
        data.update({k: v for k, v in words.items() if "naming_power" in k})
        for value in words.values():
            if len(value) > 2:
                assert value in page or value.replace("'", "&#x27;") in page, (fmt, value)
    therapist.post(note_url("note_save", draft), {**data, "go": "sign"})
    draft.refresh_from_db()
    confirm = ok(therapist.get(note_url("note_sign", draft)))
    assert "cannot be changed afterwards" in confirm
    therapist.post(note_url("note_sign", draft), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.is_signed and draft.verify()
    for key in ("c_subjective", "c_objective", "c_assessment", "c_plan"):
        assert words[key] in draft.content[key.removeprefix("c_")]

    # The supervisor co-signs one awaiting note and returns another; both land on a page that says so.
    supervisor = as_demo("supervisor")
    awaiting = list(
        SessionNote.objects.filter(status=SessionNote.Status.SIGNED, needs_cosign=True, cosigned_at__isnull=True)
    )
    assert len(awaiting) >= 2
    ok(supervisor.get(reverse("dashboard")))
    ok(supervisor.get(note_url("note_page", awaiting[0])))
    assert "Co-signed" in ok(supervisor.post(note_url("note_cosign", awaiting[0]), follow=True))
    returned = ok(
        supervisor.post(note_url("note_return", awaiting[1]), {"comment": "Add the pause plan."}, follow=True)
    )
    assert "Returned" in returned
    assert "Add the pause plan." in ok(therapist.get(reverse("dashboard")))

    # The admin moves a case to the other therapist; the old therapist keeps no trace of it.
    admin = as_demo("admin")
    case = Case.objects.filter(primary_therapist__username="therapist1", kind=Case.Kind.INDIVIDUAL).first()
    names = [c.full_name for c in case.clients.all()]
    other = User.objects.get(username="therapist2")
    ok(admin.post(reverse("case_reassign", kwargs={"code": case.code}), {"primary_therapist": other.pk}, follow=True))
    after = ok(therapist.get(reverse("dashboard")))
    assert not [name for name in names if name in after]

    # Search from a staff page, scoped: the new therapist finds the client, the old one no longer does.
    first_name = names[0].split()[0]
    assert names[0] in ok(as_demo("therapist2").post(reverse("search"), {"q": first_name}))
    assert names[0] not in ok(therapist.post(reverse("search"), {"q": first_name}))

    # The audit log reads in words, and exports.
    log = ok(admin.get(reverse("audit_log")))
    assert "clients.case" not in log and "Case therapist changed" in log and names[0] in log
    export = admin.get(reverse("audit_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")

    # Both practice reports.
    today = timezone.localdate()
    period = {"start": today.replace(year=today.year - 1).isoformat(), "end": today.isoformat()}
    texts = {}
    for version in ("internal", "release"):
        queued = admin.post(reverse("practice_report"), {**period, "version": version})
        assert queued.status_code == 302, queued.content.decode()[:300]
        job = ReportJob.objects.filter(kind="practice").order_by("-id").first()
        pdf = admin.get(reverse("report_download", kwargs={"code": job.code}))
        assert pdf["Content-Type"] == "application/pdf"
        texts[version] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Internal" in texts["internal"] and "<5" in texts["release"]
