from django.apps import AppConfig


class NotesConfig(AppConfig):
    """Therapy sessions and their notes (label "notes": "sessions" is Django's own)."""

    name = "clinic.notes"
    label = "notes"
