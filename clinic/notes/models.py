import hashlib
import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from clinic.accounts.reach import Kind, Relation, allows
from clinic.clients.models import Case, Client


class SessionFormat(models.TextChoices):
    CONJOINT = "conjoint", _("Conjoint (both partners)")
    INDIVIDUAL = "individual", _("Individual")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    TELEHEALTH = "telehealth", "Telehealth"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "Did not attend"


class SessionLocked(Exception):
    """A session whose note is signed cannot be moved or deleted."""


class TherapySession(models.Model):
    """A held (or planned) appointment of a case."""

    Format = SessionFormat
    Modality = Modality
    Attendance = Attendance

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=50)
    format = models.CharField(max_length=20, choices=SessionFormat.choices, default=SessionFormat.CONJOINT)
    # For an individual session within a couple case: which partner.
    individual_client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.PROTECT, related_name="individual_sessions"
    )
    modality = models.CharField(max_length=20, choices=Modality.choices, default=Modality.IN_PERSON)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.ATTENDED)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Why a conjoint session was held although an urgent flag on a partner was not resolved (by created_by).
    conjoint_override_reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(format__in=SessionFormat.values), name="session_format_valid"),
            models.CheckConstraint(condition=models.Q(modality__in=Modality.values), name="session_modality_valid"),
            models.CheckConstraint(
                condition=models.Q(attendance__in=Attendance.values), name="session_attendance_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480), name="session_duration_range"
            ),
            models.CheckConstraint(
                condition=(models.Q(format=SessionFormat.INDIVIDUAL) & models.Q(individual_client__isnull=False))
                | (models.Q(format=SessionFormat.CONJOINT) & models.Q(individual_client__isnull=True)),
                name="session_individual_has_client",
            ),
            models.CheckConstraint(
                condition=models.Q(conjoint_override_reason="") | models.Q(format=SessionFormat.CONJOINT),
                name="session_override_is_conjoint",
            ),
        ]
        indexes = [
            # A case's sessions in time order (case page, practice timeline).
            models.Index(fields=["case", "starts_at"], name="session_case_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"Session {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.individual_client_id and not self.case.clients.filter(pk=self.individual_client_id).exists():
            raise ValidationError({"individual_client": "Choose one of the partners in this case."})

    def move(self, *, starts_at) -> None:
        if SessionNote.objects.filter(session=self, status=NoteStatus.SIGNED).exists():
            raise SessionLocked("This session has a signed note: it cannot be moved.")
        self.starts_at = starts_at
        self.save(update_fields=["starts_at"])

    def delete(self, *args, **kwargs):
        if SessionNote.objects.filter(session=self, status=NoteStatus.SIGNED).exists():
            raise SessionLocked("This session has a signed note: it cannot be deleted.")
        return super().delete(*args, **kwargs)


class NoteFormat(models.TextChoices):
    SOAP = "soap", "SOAP"
    DAP = "dap", "DAP"
    BIRP = "birp", "BIRP"


# The headings each format asks for, in order.
FORMAT_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    NoteFormat.SOAP: (
        ("subjective", gettext_noop("Subjective")),
        ("objective", gettext_noop("Objective")),
        ("assessment", gettext_noop("Assessment")),
        ("plan", gettext_noop("Plan")),
    ),
    NoteFormat.DAP: (
        ("data", gettext_noop("Data")),
        ("assessment", gettext_noop("Assessment")),
        ("plan", gettext_noop("Plan")),
    ),
    NoteFormat.BIRP: (
        ("behavior", gettext_noop("Behaviour")),
        ("intervention", gettext_noop("Intervention")),
        ("response", gettext_noop("Response")),
        ("plan", gettext_noop("Plan")),
    ),
}


def _unfold(text: str, labels: dict[str, str]) -> tuple[list[str], dict[str, list[str]]]:
    """Split text carried under headings ("Subjective: …") back into those headings' fields; the rest stays."""
    rest, found, target = [], {}, None
    for paragraph in str(text).replace("\r\n", "\n").split("\n\n"):
        label, sep, body = paragraph.partition(": ")
        if sep and label in labels:
            target = labels[label]
            found.setdefault(target, []).append(body)
        elif target is None:
            rest.append(paragraph)
        else:
            found[target].append(paragraph)
    return rest, found


def carry_over(content: dict, format: str) -> dict:
    """The content in `format`'s fields. Text under a heading the format lacks is kept, not dropped:
    it moves into the format's first field under its old heading (switching SOAP to DAP loses nothing),
    and switching back puts it into its own heading's field again when that field is empty."""
    names = [name for name, _ in FORMAT_FIELDS[format]]
    labels = {name: label for fields in FORMAT_FIELDS.values() for name, label in fields}
    result = {name: content.get(name, "") for name in names}
    orphans = []
    for key, value in content.items():
        if key in names or not str(value).strip():
            continue
        rest, found = _unfold(value, {labels[n]: n for n in labels})
        for name, parts in found.items():
            if name in names and not str(result[name]).strip():
                result[name] = "\n\n".join(parts)
            else:
                orphans.append(f"{labels[name]}: " + "\n\n".join(parts))
        if "\n\n".join(rest).strip():
            orphans.append(f"{labels.get(key, key)}: " + "\n\n".join(rest))
    if orphans:
        first = names[0]
        result[first] = "\n\n".join([*([result[first]] if result[first].strip() else []), *orphans])
    return result


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Practice(models.TextChoices):
    NAMING_POWER = "naming_power", _("Naming power")
    TOLERATING_DISAGREEMENT = "tolerating_disagreement", _("Tolerating disagreement")
    RESTORING_AGENCY = "restoring_agency", _("Restoring agency")
    REPAIR = "repair", _("Repair")


class NoteLocked(Exception):
    """A signed note changes only by addenda."""


class StaleDraft(Exception):
    """Someone else saved this draft since it was opened; nothing was overwritten."""

    def __init__(self, current: "SessionNote") -> None:
        self.current = current
        super().__init__("This note was changed elsewhere since you opened it.")


class SignRefused(ValueError):
    pass


class SessionNoteQuerySet(models.QuerySet):
    def awaiting_cosign_by(self, user) -> "SessionNoteQuerySet":
        """Signed notes waiting for `user`'s co-signature: only those of the therapists assigned to them.

        Supervision is an assignment, not a practice-wide right: a supervisor
        reads and co-signs their own supervisees' notes and nobody else's, and
        only while clinic.accounts.reach lets a supervisor reach session notes.
        """
        if not user.is_authenticated or not user.is_active or not getattr(user, "is_supervisor", False):
            return self.none()
        if not allows(Relation.SUPERVISOR, Kind.NOTES):
            return self.none()
        return self.filter(
            status=NoteStatus.SIGNED, needs_cosign=True, cosigned_at__isnull=True, author__supervisor=user
        ).exclude(author=user)


class SessionNote(models.Model):
    """The clinical record of one session. Draft → signed (locked, hashed) → optional co-sign."""

    Format = NoteFormat
    Status = NoteStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # One note per session.
    session = models.OneToOneField(TherapySession, on_delete=models.PROTECT, related_name="note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes_written")
    format = models.CharField(max_length=10, choices=NoteFormat.choices, default=NoteFormat.SOAP)
    content = models.JSONField(default=dict, blank=True)
    safety_concern = models.BooleanField(default=False)
    next_steps = models.TextField(blank=True, max_length=5000)
    # Optimistic locking: every saved draft increments it.
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    late_entry = models.BooleanField(default=False)
    needs_cosign = models.BooleanField(default=False)
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(blank=True, max_length=2000)

    objects = SessionNoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(format__in=NoteFormat.values), name="note_format_valid"),
            models.CheckConstraint(condition=models.Q(status__in=NoteStatus.values), name="note_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=NoteStatus.DRAFT)
                | (models.Q(signed_at__isnull=False, signed_by__isnull=False) & ~models.Q(content_hash="")),
                name="note_signed_has_signature",
            ),
        ]
        indexes = [
            # Dashboards: a therapist's unsigned notes, oldest first.
            models.Index(fields=["author", "status", "created_at"], name="note_author_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Note for {self.session}"

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED

    @property
    def awaiting_cosign(self) -> bool:
        return self.is_signed and self.needs_cosign and self.cosigned_at is None

    def fields(self) -> tuple[tuple[str, str], ...]:
        return FORMAT_FIELDS[self.format]

    @transaction.atomic
    def save_draft(
        self, *, content: dict, format: str, safety_concern: bool, next_steps: str, expected_version: int
    ) -> None:
        """Save only if nobody saved since `expected_version`; otherwise StaleDraft and nothing changes."""
        current = SessionNote.objects.select_for_update().get(pk=self.pk)
        if current.is_signed:
            raise NoteLocked
        if current.version != expected_version:
            raise StaleDraft(current)
        self.content = carry_over(content, format)
        self.format, self.safety_concern, self.next_steps = format, safety_concern, next_steps
        self.version = current.version + 1
        self.updated_at = timezone.now()
        self.save(update_fields=["content", "format", "safety_concern", "next_steps", "version", "updated_at"])

    def canonical(self) -> str:
        """What the signature covers, in a stable form."""
        tags = sorted([t.practice, t.focus, t.evidence] for t in self.tags.all())
        body = {
            "session": str(self.session.code),
            "format": self.format,
            "content": {name: self.content.get(name, "") for name, _ in self.fields()},
            "safety_concern": self.safety_concern,
            "next_steps": self.next_steps,
            "tags": tags,
        }
        # The plan goals the session worked on (clinic.plans.NoteGoal), when any: notes signed before
        # plans existed keep the body (and hash) they were signed with.
        goals = sorted([str(link.goal.code), link.movement] for link in self.goal_links.select_related("goal"))
        if goals:
            body["goals"] = goals
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    def sign_gaps(self) -> list[str]:
        """What signing still needs, in words; empty when the note may be signed. A draft may be incomplete."""
        tags = list(self.tags.all())
        gaps = [] if tags else ["Tag at least one of the four practices."]
        gaps += [f"Add a line of evidence for {t.get_practice_display()}." for t in tags if not t.evidence.strip()]
        gaps += [f"Say how “{link.goal.statement[:60]}” moved." for link in self.goal_links.all() if not link.movement]
        return gaps

    @transaction.atomic
    def sign(self, *, by, at=None, expected_version: int | None = None) -> None:
        """Sign and lock. `at` records when, for notes signed earlier on paper (the demo uses it too).
        The row is locked and the hash is of the row as stored, so a save racing this one cannot slip
        in between; `expected_version` (the version the signer confirmed) refuses a note changed since."""
        current = SessionNote.objects.select_for_update().select_related("session").get(pk=self.pk)
        if current.is_signed:
            raise NoteLocked
        if by.pk != current.author_id:
            raise SignRefused("Only the author can sign this note.")
        if expected_version is not None and current.version != expected_version:
            raise SignRefused("The note changed since you confirmed; check it and confirm again.")
        if gaps := current.sign_gaps():
            raise SignRefused(" ".join(gaps))
        now = at or timezone.now()
        session_day = timezone.localdate(current.session.starts_at)
        current.late_entry = (timezone.localdate(now) - session_day) > timedelta(days=settings.LATE_NOTE_DAYS)
        current.status, current.signed_at, current.signed_by = NoteStatus.SIGNED, now, by
        current.content_hash = current.compute_hash()
        current.needs_cosign = bool(getattr(by, "needs_cosign", False))
        fields = ["status", "signed_at", "signed_by", "content_hash", "late_entry", "needs_cosign"]
        current.save(update_fields=fields)
        for name in ["content", "format", "safety_concern", "next_steps", "version", "updated_at", *fields]:
            setattr(self, name, getattr(current, name))

    def _check_supervisor(self, by) -> None:
        if not self.awaiting_cosign:
            raise SignRefused("This note is not waiting for a co-signature.")
        if not getattr(by, "is_supervisor", False) or by.pk == self.author_id:
            raise SignRefused("Only a supervisor other than the author can co-sign or return a note.")
        if self.author.supervisor_id != by.pk:
            raise SignRefused("Only the author's own supervisor can co-sign or return this note.")

    @transaction.atomic
    def cosign(self, *, by) -> None:
        self._check_supervisor(by)
        self.cosigned_at, self.cosigned_by = timezone.now(), by
        self.save(update_fields=["cosigned_at", "cosigned_by"])

    @transaction.atomic
    def return_to_author(self, *, by, comment: str) -> None:
        """Send back with a comment: unlocks the note for its author, once. The first signature stays on record."""
        self._check_supervisor(by)
        if self.returned_at is not None:
            raise SignRefused("This note was already returned once; add an addendum instead.")
        if not comment.strip():
            raise SignRefused("Say what needs changing.")
        self.status, self.returned_at, self.returned_by = NoteStatus.DRAFT, timezone.now(), by
        self.return_comment = comment
        self.save(update_fields=["status", "returned_at", "returned_by", "return_comment"])

    def verify(self) -> bool:
        """Does the signed content still match its hash?"""
        return self.is_signed and self.compute_hash() == self.content_hash


class PracticeTag(models.Model):
    FOCUS_CHOICES = ((1, _("Touched on")), (2, _("Worked on")), (3, _("Central")))

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="tags")
    practice = models.CharField(max_length=30, choices=Practice.choices)
    focus = models.PositiveSmallIntegerField(choices=FOCUS_CHOICES)
    evidence = models.CharField(max_length=300)

    class Meta:
        ordering = ["practice"]
        constraints = [
            models.CheckConstraint(condition=models.Q(practice__in=Practice.values), name="tag_practice_valid"),
            models.CheckConstraint(condition=models.Q(focus__gte=1, focus__lte=3), name="tag_focus_range"),
            models.UniqueConstraint(fields=["note", "practice"], name="tag_one_per_practice"),
        ]

    def __str__(self) -> str:
        return f"{self.get_practice_display()} ({self.focus})"


class Addendum(models.Model):
    """Added to a signed note; signed and timestamped itself. The original stays as it was."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    signed_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"Addendum {self.signed_at:%Y-%m-%d}"

    @classmethod
    def add(cls, *, note: SessionNote, by, text: str) -> "Addendum":
        if not note.is_signed:
            raise SignRefused("A draft is edited directly; addenda are for signed notes.")
        addendum = cls(note=note, author=by, text=text, signed_at=timezone.now())
        addendum.content_hash = addendum.compute_hash()
        addendum.save()
        return addendum

    def compute_hash(self) -> str:
        """Chained to the note's own hash: an addendum cannot be moved to another note unnoticed."""
        text = f"{self.note.content_hash}|{self.author_id}|{self.signed_at.isoformat()}|{self.text}"
        return hashlib.sha256(text.encode()).hexdigest()

    def verify(self) -> bool:
        return self.compute_hash() == self.content_hash


class PsychotherapyNote(models.Model):
    """The therapist's private process notes: only their author ever sees them."""

    session = models.ForeignKey(TherapySession, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=20000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "author"], name="psychnote_one_per_author")]

    def __str__(self) -> str:
        return "Private note"
