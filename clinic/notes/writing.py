"""Writing session notes: drafts with optimistic locking, tags, signing, addenda and private notes, all audited."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.notes.forms import NoteForm
from clinic.notes.models import Addendum, PracticeTag, PsychotherapyNote, SessionNote, TherapySession


def _client_of(session: TherapySession):
    """The client an event is about: the partner of an individual session, else none (the case is the target)."""
    return session.individual_client


def note_for(session: TherapySession, *, author) -> SessionNote:
    note, _ = SessionNote.objects.get_or_create(session=session, defaults={"author": author})
    return note


@transaction.atomic
def save_note(*, note: SessionNote, form: NoteForm, by, request: HttpRequest) -> None:
    """Save a valid editor form as the draft. Raises StaleDraft (nothing saved) if someone saved in between."""
    note.save_draft(
        content=form.content(),
        format=form.cleaned_data["format"],
        safety_concern=form.cleaned_data["safety_concern"],
        next_steps=form.cleaned_data["next_steps"],
        expected_version=form.cleaned_data["version"],
    )
    note.tags.all().delete()
    PracticeTag.objects.bulk_create(
        PracticeTag(note=note, practice=practice, focus=focus, evidence=evidence)
        for practice, focus, evidence in form.tags()
    )
    if form.goals:
        # The plan goals worked on, in the same transaction: a draft's words and its goal links never disagree.
        from clinic.plans.progress import save_goal_links

        save_goal_links(note=note, links=form.goal_links())
    record(
        action=Action.NOTE_SAVED,
        request=request,
        actor=by,
        target=note,
        client=_client_of(note.session),
        detail={"version": note.version},
    )


@transaction.atomic
def sign_note(*, note: SessionNote, by, request: HttpRequest, expected_version: int | None = None) -> None:
    note.sign(by=by, expected_version=expected_version)
    record(
        action=Action.NOTE_SIGNED,
        request=request,
        actor=by,
        target=note,
        client=_client_of(note.session),
        detail={"late_entry": note.late_entry, "hash": note.content_hash},
    )


def add_addendum(*, note: SessionNote, by, text: str, request: HttpRequest) -> Addendum:
    addendum = Addendum.add(note=note, by=by, text=text)
    record(action=Action.ADDENDUM_ADDED, request=request, actor=by, target=note, client=_client_of(note.session))
    return addendum


def save_private_note(*, session: TherapySession, by, text: str, request: HttpRequest) -> PsychotherapyNote:
    private, _ = PsychotherapyNote.objects.get_or_create(session=session, author=by)
    private.text, private.updated_at = text, timezone.now()
    private.save(update_fields=["text", "updated_at"])
    # Only that it was saved; the text never leaves its author's page.
    record(action=Action.PRIVATE_NOTE_SAVED, request=request, actor=by, target=session)
    return private
