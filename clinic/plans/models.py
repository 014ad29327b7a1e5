"""Treatment plans on the four practices, and between-session practice for each partner.

A case has one plan; the plan is a chain of versions. A version is a draft
until its therapist signs it; then it is locked and hashed (and on PostgreSQL
kept so by triggers). A review starts a new draft version from the signed one,
with the same goals (same `lineage`) and a progress mark on each; signing it
makes it the plan in force. Old versions stay readable and unchanged.

Goals are shared (the couple's, or an individual client's own) or belong to one
partner (`client`): an individual goal is part of that partner's own record and
is never shown to the other partner.

Exercises are the practice's library; an assignment gives one exercise to one
client privately (assigning to both partners makes two assignments); the
client's check-ins on it are theirs alone.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.accounts.reach import Kind, Level
from clinic.clients import words
from clinic.clients.models import Case, Client, Membership
from clinic.lib.language import base_language
from clinic.lib.language import choices as language_choices
from clinic.notes.models import Practice, SessionNote


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    SOME = "some", _("Some progress")
    MUCH = "much", _("Much progress")
    MET = "met", _("Met")


# How far along each progress mark is, for charts (0 = not started, 3 = met).
PROGRESS_LEVEL = {Progress.NOT_STARTED: 0, Progress.SOME: 1, Progress.MUCH: 2, Progress.MET: 3}


class Movement(models.TextChoices):
    """How a goal moved in one session, as the therapist marks it in the note."""

    SETBACK = "setback", "Set back"
    NO_CHANGE = "no_change", "No change"
    SOME = "some", "Some movement"
    CLEAR = "clear", "Clear movement"


class TargetDirection(models.TextChoices):
    BELOW = "below", "below"
    ABOVE = "above", "above"


class PlanLocked(Exception):
    """A signed plan version changes only by a review, which makes a new version."""


class PlanRefused(ValueError):
    pass


class TreatmentPlanQuerySet(models.QuerySet):
    def visible_to(self, user, level: Level = Level.READ) -> "TreatmentPlanQuerySet":
        """Plans of the cases where `user` reaches the plan at `level` on a page (clinic.accounts.reach)."""
        return self.filter(case__in=Case.objects.reaching(user, Kind.PLAN, level))


class TreatmentPlan(models.Model):
    """One per case: the chain of its versions."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="plan")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = TreatmentPlanQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Treatment plan for {self.case}"

    def signed_versions(self) -> models.QuerySet:
        return self.versions.filter(status=PlanStatus.SIGNED).order_by("-number")

    def in_force(self) -> "PlanVersion | None":
        """The latest signed version: the plan notes are written against."""
        return self.signed_versions().first()

    def draft(self) -> "PlanVersion | None":
        return self.versions.filter(status=PlanStatus.DRAFT).first()


class PlanVersionQuerySet(models.QuerySet):
    def signed(self) -> "PlanVersionQuerySet":
        return self.filter(status=PlanStatus.SIGNED)


class PlanVersion(models.Model):
    """One version of a plan. Version 1 is the first plan; every later one is a review."""

    Status = PlanStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # The signed version this one reviews (None for the first plan).
    reviews = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_by_version"
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # The concerns in the clients' own words (prefilled from their intakes' "what brings you").
    concerns = models.TextField(blank=True, max_length=10000)
    # The safety section: required before signing when the case is flagged (see safety_reasons()).
    safety_included = models.BooleanField(default=False)
    safety_individual_first = models.BooleanField(default=False)
    safety_conjoint_paused = models.BooleanField(default=False)
    safety_planning = models.TextField(blank=True, max_length=5000)
    # A review's summary in the therapist's words.
    review_summary = models.TextField(blank=True, max_length=5000)
    # Whether clients are asked to acknowledge this version in their portal.
    ask_acknowledgement = models.BooleanField(default=False)
    # Optimistic locking of drafts: every saved draft increments it.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="planversion_status_valid"),
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_number_unique"),
            # One draft at a time: a plan is written, or reviewed, in one place.
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status=PlanStatus.DRAFT), name="planversion_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT)
                | (Q(signed_at__isnull=False, signed_by__isnull=False) & ~Q(content_hash="")),
                name="planversion_signed_has_signature",
            ),
            models.CheckConstraint(
                condition=Q(number=1, reviews__isnull=True) | Q(number__gt=1, reviews__isnull=False),
                name="planversion_review_links_previous",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan version {self.number}"

    @property
    def is_signed(self) -> bool:
        return self.status == PlanStatus.SIGNED

    @property
    def is_review(self) -> bool:
        return self.reviews_id is not None

    def safety_reasons(self) -> list[str]:
        """Why this case's plan must carry a safety section, in words (empty when it need not)."""
        from assessments.models import RiskFlag, WarningSign

        clients = Client.objects.filter(memberships__case_id=self.plan.case_id)
        reasons = []
        if RiskFlag.objects.urgent_unresolved().filter(client__in=clients).exists():
            reasons.append("A partner in this case has an urgent risk flag that is not resolved.")
        if WarningSign.objects.filter(client__in=clients).exists():
            reasons.append("A warning sign of abuse is recorded for a client in this case.")
        return reasons

    def sign_gaps(self) -> list[str]:
        """What signing still needs, in words; a draft may be incomplete."""
        goals = list(self.goals.all())
        gaps = [] if goals else ["Add at least one goal under one of the four practices."]
        gaps += [f"Say how progress will show for “{g.statement[:60]}”." for g in goals if not g.progress_shows.strip()]
        if self.is_review:
            gaps += [
                f"Mark the progress of “{g.statement[:60]}”, with a line of evidence."
                for g in goals
                if g.carried_over and (not g.progress or not g.progress_evidence.strip())
            ]
        if self.safety_reasons():
            if not (self.safety_included and self.safety_individual_first and self.safety_conjoint_paused):
                gaps.append(
                    "Include the safety section: individual sessions first, and joint work paused until reviewed."
                )
            if not self.safety_planning.strip():
                gaps.append("Write the safety planning in the safety section.")
        return gaps

    def word_warnings(self, partners: list | None = None, goals: list | None = None) -> list[str]:
        """Where a goal's words, which clients read once signed, name a partner beside a score, in words.

        Each says which goal and field, and why (clinic.clients.words.warnings); empty when none does.
        `partners` (the case's clients) and `goals` (this version's), when the caller has them, save queries.
        """
        goals = goals if goals is not None else list(self.goals.select_related("client"))
        if partners is None and goals:
            partners = list(Client.objects.filter(memberships__case_id=self.plan.case_id).order_by("memberships__id"))
        return [f"“{goal.statement[:60]}”. {warning}" for goal in goals for warning in goal.word_warnings(partners)]

    def canonical(self) -> str:
        """What the signature covers, in a stable form."""
        goals = sorted(
            [
                str(g.lineage),
                g.practice,
                str(g.client.code) if g.client_id else "",
                g.statement,
                g.progress_shows,
                g.measure_instrument,
                g.measure_domain,
                g.measure_direction,
                g.measure_target,
                g.target_date.isoformat() if g.target_date else "",
                g.progress,
                g.progress_evidence,
            ]
            for g in self.goals.select_related("client")
        )
        body = {
            "plan": str(self.plan.code),
            "number": self.number,
            "reviews": str(self.reviews.code) if self.reviews_id else "",
            "concerns": self.concerns,
            "safety": [
                self.safety_included,
                self.safety_individual_first,
                self.safety_conjoint_paused,
                self.safety_planning,
            ],
            "review_summary": self.review_summary,
            "ask_acknowledgement": self.ask_acknowledgement,
            "goals": goals,
        }
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    def verify(self) -> bool:
        return self.is_signed and self.compute_hash() == self.content_hash

    @transaction.atomic
    def sign(self, *, by, at=None, expected_revision: int | None = None, words_confirmed: bool = False) -> None:
        """Sign and lock, hashing the row as stored (locked against a racing save).

        `at` records when, for a plan signed earlier on paper (the demo uses it too), as SessionNote.sign has.
        Goals whose words name a partner beside a score (word_warnings) are signed only when the therapist
        confirmed them as meant (`words_confirmed`): from signing on, clients read them.
        """
        current = PlanVersion.objects.select_for_update().select_related("plan__case").get(pk=self.pk)
        if current.is_signed:
            raise PlanLocked
        if by.pk != current.plan.case.primary_therapist_id:
            raise PlanRefused("Only the case's primary therapist can sign its plan.")
        if expected_revision is not None and current.revision != expected_revision:
            raise PlanRefused("The plan changed since you confirmed; check it and confirm again.")
        if gaps := current.sign_gaps():
            raise PlanRefused(" ".join(gaps))
        if not words_confirmed and (warnings := current.word_warnings()):
            raise PlanRefused("Check the words clients will read, or confirm them as meant: " + " ".join(warnings))
        current.status, current.signed_at, current.signed_by = PlanStatus.SIGNED, at or timezone.now(), by
        current.content_hash = current.compute_hash()
        current.save(update_fields=["status", "signed_at", "signed_by", "content_hash"])
        for name in ["status", "signed_at", "signed_by", "content_hash", "revision", "updated_at"]:
            setattr(self, name, getattr(current, name))

    def review_due(self, *, today=None) -> list[str]:
        """Why a review of this signed version is due, in words (empty when it is not yet)."""
        if not self.is_signed:
            return []
        from clinic.notes.models import TherapySession

        today = today or timezone.localdate()
        reasons = []
        days = (today - timezone.localdate(self.signed_at)).days
        if days >= settings.PLAN_REVIEW_DAYS:
            reasons.append(f"{days} days since this plan was signed (review every {settings.PLAN_REVIEW_DAYS}).")
        held = TherapySession.objects.filter(
            case_id=self.plan.case_id,
            attendance=TherapySession.Attendance.ATTENDED,
            starts_at__gt=self.signed_at,
            starts_at__lte=timezone.now(),
        ).count()
        if held >= settings.PLAN_REVIEW_SESSIONS:
            reasons.append(
                f"{held} sessions since this plan was signed (review every {settings.PLAN_REVIEW_SESSIONS})."
            )
        return reasons

    def next_review_on(self):
        return (
            timezone.localdate(self.signed_at) + timedelta(days=settings.PLAN_REVIEW_DAYS) if self.signed_at else None
        )


class GoalQuerySet(models.QuerySet):
    def shared(self) -> "GoalQuerySet":
        return self.filter(client__isnull=True)

    def seen_by_client(self, client: Client) -> "GoalQuerySet":
        """What `client` may see of a version's goals: the shared ones and their own, never a partner's."""
        return self.filter(Q(client__isnull=True) | Q(client=client))


class Goal(models.Model):
    """One goal of one plan version, under one of the four practices."""

    Practice = Practice
    Progress = Progress

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="goals")
    # The same goal across versions: a review copies each goal with its lineage.
    lineage = models.UUIDField(default=uuid.uuid4)
    practice = models.CharField(max_length=30, choices=Practice.choices)
    # None: a shared goal; a client: that partner's individual goal (part of their own record).
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_goals")
    statement = models.CharField(max_length=500)
    progress_shows = models.TextField("how progress will show", blank=True, max_length=2000)
    # Optional link to a questionnaire domain with a target (e.g. power_v1 / money below 50).
    measure_instrument = models.CharField(max_length=50, blank=True)
    measure_domain = models.CharField(max_length=50, blank=True)
    measure_direction = models.CharField(max_length=10, choices=TargetDirection.choices, blank=True)
    measure_target = models.PositiveSmallIntegerField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Set at a review: how far the goal has come, and a line of evidence.
    progress = models.CharField(max_length=20, choices=Progress.choices, blank=True)
    progress_evidence = models.CharField(max_length=500, blank=True)
    # True when a review copied this goal from the version it reviews (its progress must then be marked).
    carried_over = models.BooleanField(default=False)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(practice__in=Practice.values), name="goal_practice_valid"),
            models.CheckConstraint(
                condition=Q(progress="") | Q(progress__in=Progress.values), name="goal_progress_valid"
            ),
            models.CheckConstraint(
                condition=(Q(measure_domain="") & Q(measure_target__isnull=True) & Q(measure_direction=""))
                | (
                    ~Q(measure_instrument="")
                    & ~Q(measure_domain="")
                    & Q(measure_target__isnull=False, measure_target__lte=100)
                    & Q(measure_direction__in=TargetDirection.values)
                ),
                name="goal_measure_complete",
            ),
            models.UniqueConstraint(fields=["version", "lineage"], name="goal_once_per_version"),
        ]
        indexes = [
            # A goal's history across versions (case page progress, note links).
            models.Index(fields=["lineage"], name="goal_lineage_idx"),
        ]

    def __str__(self) -> str:
        return self.statement[:80]

    def clean(self) -> None:
        case_id = self.version.plan.case_id
        if self.client_id and not Membership.objects.filter(case_id=case_id, client_id=self.client_id).exists():
            raise ValidationError({"client": "Choose one of the partners in this case."})

    @property
    def is_individual(self) -> bool:
        return self.client_id is not None

    def word_warnings(self, partners: list | None = None) -> list[str]:
        """Where this goal's words name a partner beside a score while another reads them (see PlanVersion's)."""
        labels = {"statement": "The goal", "progress_shows": "How progress will show"}
        return [
            f"{label}: {warning}"
            for name, label in labels.items()
            for warning in words.warnings(self, name, partners=partners)
        ]

    def measure_text(self) -> str:
        if not self.measure_domain:
            return ""
        return f"{self.measure_domain} {self.measure_direction} {self.measure_target}"


class PlanAcknowledgement(models.Model):
    """A client's acknowledgement, with a typed name, of the goals they were shown of one version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="plan_acknowledgements")
    typed_name = models.CharField(max_length=200)
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "client"], name="planack_once_per_client")]

    def __str__(self) -> str:
        return f"Acknowledged {self.acknowledged_at:%Y-%m-%d}"


class NoteGoal(models.Model):
    """A session note says it worked on a goal of the plan version in force, and how the goal moved.

    It points at that version's goal row, so an old note keeps pointing at the
    version it was written against when the plan is revised. Part of what the
    note's signature covers.
    """

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="goal_links")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="note_links")
    # Blank while a draft says the goal was worked on but not yet how it moved: signing asks for it.
    movement = models.CharField(max_length=20, choices=Movement.choices, blank=True)

    class Meta:
        ordering = ["goal__practice", "goal__position", "goal_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(movement="") | Q(movement__in=Movement.values), name="notegoal_movement_valid"
            ),
            models.UniqueConstraint(fields=["note", "goal"], name="notegoal_once_per_note"),
        ]

    def __str__(self) -> str:
        return f"{self.goal} ({self.get_movement_display()})"


class Exercise(models.Model):
    """An exercise of the practice's library, under one of the four practices."""

    Practice = Practice

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.CharField(max_length=30, choices=Practice.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(max_length=5000)
    suggested_length = models.CharField(max_length=100, help_text="For example “Ten minutes a day, for a week”.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["practice", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(practice__in=Practice.values), name="exercise_practice_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def words_in(self, language: str) -> "ExerciseWords":
        """The exercise's words in `language` when the library has them, else its own (the practice's language).

        Reads `texts` (prefetch it when listing many exercises).
        """
        for text in self.texts.all():
            if text.language == language:
                return ExerciseWords(text.title, text.instructions, text.suggested_length, language)
        return ExerciseWords(self.title, self.instructions, self.suggested_length, base_language())


@dataclass(frozen=True)
class ExerciseWords:
    title: str
    instructions: str
    suggested_length: str
    language: str


class ExerciseText(models.Model):
    """An exercise's words in another language than the practice's own, written by the practice."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=language_choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(max_length=5000)
    suggested_length = models.CharField(max_length=100)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "language"], name="exercise_text_one_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.language})"


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user, level: Level = Level.READ) -> "AssignmentQuerySet":
        """Staff: assignments of the cases where `user` reaches exercises at `level` (clinic.accounts.reach)."""
        return self.filter(case__in=Case.objects.reaching(user, Kind.EXERCISES, level))

    def of_client_user(self, user) -> "AssignmentQuerySet":
        """A client sees only what was assigned to them: never a partner's, nor that one exists."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(client__user=user)

    def current(self, *, today=None) -> "AssignmentQuerySet":
        today = today or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, starts_on__lte=today, ends_on__gte=today)


class Assignment(models.Model):
    """One exercise given to one client, privately, for a period.

    Title, instructions and length are copied from the library when assigned:
    the client reads what the therapist chose, even if the library changes later.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assignments")
    exercise = models.ForeignKey(Exercise, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    practice = models.CharField(max_length=30, choices=Practice.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(max_length=5000)
    suggested_length = models.CharField(max_length=100, blank=True)
    # The language of the words above, as snapshotted from the library for this client.
    language = models.CharField(max_length=10, default="en")
    # A few words from the therapist to this client only.
    personal_note = models.TextField(blank=True, max_length=1000)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField()
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(practice__in=Practice.values), name="assignment_practice_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="assignment_period_valid"),
        ]
        indexes = [
            # A client's home: their current assignments.
            models.Index(fields=["client", "ends_on"], name="assignment_client_ends_idx"),
            # The case page and the note sidebar: a case's assignments, newest first.
            models.Index(fields=["case", "-starts_on"], name="assignment_case_starts_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.client_id
            and self.case_id
            and not Membership.objects.filter(case_id=self.case_id, client_id=self.client_id).exists()
        ):
            raise ValidationError({"client": "Choose one of the partners in this case."})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})


class Tried(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NOT_YET = "not_yet", _("Not yet")


class CheckIn(models.Model):
    """A client's check-in on an assignment. Autosaved as a draft while typed; sent once.

    `made_things_worse` is the explicit "this made things worse or felt unsafe"
    choice: sending it raises an elevated flag for the therapist.
    """

    Tried = Tried

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="checkins")
    tried = models.CharField(max_length=10, choices=Tried.choices, blank=True)
    text = models.TextField(blank=True, max_length=3000)
    made_things_worse = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assignment", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(tried="") | Q(tried__in=Tried.values), name="checkin_tried_valid"),
            models.CheckConstraint(condition=Q(sent_at__isnull=True) | ~Q(tried=""), name="checkin_sent_says_tried"),
            # One draft per assignment: reopening the page finds every word.
            models.UniqueConstraint(fields=["assignment"], condition=Q(sent_at__isnull=True), name="checkin_one_draft"),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.created_at:%Y-%m-%d}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
