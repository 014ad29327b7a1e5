"""Signing and autosave racing on one draft: the stored hash is always of the content as stored."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from clinic.notes.models import NoteLocked, SessionNote, SignRefused, TherapySession
from tests.concurrency import at_once
from tests.conftest import sign_in

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 30


def editor_data(version: int, text: str) -> dict:
    return {
        "format": "soap",
        "version": version,
        "c_subjective": text,
        "next_steps": f"Next: {text}",
        "focus_naming_power": "2",
        "evidence_naming_power": f"Evidence: {text}",
    }


def test_signing_and_autosave_at_once_never_leave_a_hash_of_other_text(couple_case, therapist):
    signer, typer = sign_in(HttpClient(), therapist), sign_in(HttpClient(), therapist)
    outcomes = set()
    for round_ in range(ROUNDS):
        session = TherapySession.objects.create(
            case=couple_case, starts_at=timezone.now() - timedelta(hours=3, minutes=round_), created_by=therapist
        )
        code = {"code": session.code}
        assert signer.get(reverse("note_page", kwargs=code)).status_code == 200
        note = SessionNote.objects.get(session=session)
        signer.post(reverse("note_save", kwargs=code), editor_data(note.version, "as confirmed"))
        note.refresh_from_db()
        stale = SessionNote.objects.get(pk=note.pk)  # what a signer held in memory before the race

        if round_ % 2:
            # Through the pages: the confirmed version is signed while autosave posts newer text.
            def sign(code=code, version=note.version):
                return signer.post(reverse("note_sign", kwargs=code), {"version": version}).status_code
        else:
            # Straight on the model, with an instance loaded before the autosave landed.
            def sign(stale=stale):
                try:
                    stale.sign(by=therapist)
                except (NoteLocked, SignRefused) as refused:
                    return type(refused).__name__
                return "signed"

        def autosave(code=code, version=note.version):
            response = typer.post(reverse("note_autosave", kwargs=code), editor_data(version, "typed later"))
            return response.status_code

        signed_result, saved = at_once(sign, autosave)
        assert not isinstance(signed_result, Exception), signed_result
        assert saved in (200, 409)
        stored = SessionNote.objects.get(pk=note.pk)
        if stored.is_signed:
            assert stored.compute_hash() == stored.content_hash, f"round {round_}: hash of other content"
            assert stored.verify()
            # An autosave that came after the lock changed nothing.
            assert saved == 409 or stored.content["subjective"] == "typed later"
        else:
            assert saved == 200 and stored.content["subjective"] == "typed later"
        outcomes.add((stored.is_signed, saved))
    # The race was real: some rounds signed (the rest lost to a newer autosave, as they should).
    assert any(signed for signed, _ in outcomes)
