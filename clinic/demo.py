"""Demo data for the local run: stable usernames, one documented password.

Every step looks things up by a stable key first, so running it again
changes nothing. Later features add their own steps here.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.flags import record_warning_sign
from assessments.framework import registry
from assessments.models import RiskFlag, Screening
from assessments.screenings import assign, submit
from clinic.accounts.models import Role, User
from clinic.clients.cases import open_case
from clinic.clients.models import Case, Client
from intake.filling import submit_intake
from intake.models import Inquiry, Intake

DEMO_PASSWORD = "fulcrum-demo-2026"

STAFF = [
    # username, first, last, role, supervisor
    ("admin", "Ada", "Admin", Role.ADMIN, False),
    ("therapist1", "Theo", "Marsh", Role.THERAPIST, False),
    ("therapist2", "Tess", "Okafor", Role.THERAPIST, False),
    # Supervises therapist1 (who needs co-signature); has no cases of their own.
    ("supervisor", "Sol", "Reyes", Role.THERAPIST, True),
]

# username, full name, preferred name, email, may_email, may_call
CLIENTS = {
    "client1": ("Jordan Avery", "Jo", "client1@example.org", True, True),
    "client2": ("Sam Avery", "", "client2@example.org", False, True),
    "client3": ("Riley Chen", "", "client3@example.org", True, False),
    "client4": ("Morgan Chen", "Mo", "client4@example.org", True, True),
    "client5": ("Casey Lind", "", "client5@example.org", False, False),
    "client6": ("Lucía Morales Peña", "Lucía", "client6@example.org", True, False),
}
# The language on a client's record where it is not the practice's own (English).
LANGUAGES = {"client6": "es"}

# (therapist, kind, clients)
CASES = [
    ("therapist1", Case.Kind.COUPLE, ["client1", "client2"]),
    ("therapist2", Case.Kind.COUPLE, ["client3", "client4"]),
    ("therapist1", Case.Kind.INDIVIDUAL, ["client5"]),
    # Lucía reads Spanish: a new client, her account set up, everything still to do.
    ("therapist1", Case.Kind.INDIVIDUAL, ["client6"]),
]


def _demo_phone(username: str) -> str:
    """A US number in the 555-01xx range, which is kept for fiction: client1 is (213) 555-0101."""
    return f"(213) 555-01{int(username[-1]):02d}"


@dataclass
class DemoLogin:
    username: str
    role: str
    note: str


def _user(username: str, *, first: str, last: str, email: str, role: Role, supervisor: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": email, "role": role, "is_supervisor": supervisor},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed() -> list[DemoLogin]:
    staff = {
        username: _user(username, first=first, last=last, email=f"{username}@example.org", role=role, supervisor=sup)
        for username, first, last, role, sup in STAFF
    }
    admin = staff["admin"]
    for therapist, kind, members in CASES:
        users, people = [], []
        for username in members:
            full_name, preferred, email, may_email, may_call = CLIENTS[username]
            first, _, last = full_name.partition(" ")
            users.append(_user(username, first=first, last=last, email=email, role=Role.CLIENT))
            people.append(
                {
                    "full_name": full_name,
                    "preferred_name": preferred,
                    "email": email,
                    "phone": _demo_phone(username),
                    "may_email": may_email,
                    "may_call": may_call,
                    **({"language": LANGUAGES[username]} if username in LANGUAGES else {}),
                }
            )
        if Client.objects.filter(user__in=users).exists():
            continue
        case = open_case(kind=kind, therapist=staff[therapist], clients=people, by=admin)
        for client, user in zip(case.clients.order_by("memberships__id"), users, strict=True):
            client.user = user
            client.save(update_fields=["user"])
    seed_intakes()
    seed_inquiries()
    seed_assessments(staff)
    # Plans before notes: a note's goal links are made before it is signed (signed notes are locked).
    seed_plans(staff)
    seed_notes(staff)
    seed_practice(staff)
    seed_closed_case(staff)
    seed_practice_history(staff)
    seed_progress_view(staff)
    seed_session_checkins()
    seed_appointments(staff)
    seed_spanish_client(staff)
    return [
        DemoLogin("admin", "practice admin", "practice page, staff, cases, audit log"),
        DemoLogin(
            "therapist1",
            "therapist",
            "couple client1+client2 (signed plan, reviewed), individual client5, individual client6 (Spanish)",
        ),
        DemoLogin("therapist2", "therapist", "couple client3+client4"),
        DemoLogin("supervisor", "therapist (supervisor)", "co-signs therapist1's notes"),
        *(DemoLogin(f"client{i}", "client", "") for i in range(1, 6)),
        DemoLogin(
            "client6",
            "client",
            "reads Fulcrum in Spanish (Lucía); waiting for her: the intake (not started), both questionnaires, "
            "the check-in after a session that has just ended, and an exercise for this week",
        ),
    ]


def _answers(username: str) -> dict:
    full_name, preferred, email, may_email, may_call = CLIENTS[username]
    return {
        "about": {
            "legal_name": full_name,
            "preferred_name": preferred,
            "pronouns": "",
            "date_of_birth": "1987-06-14" if username == "client1" else "1990-02-03",
            "email": email,
            "phone": _demo_phone(username),
        },
        "contact": {
            "may_email": may_email,
            "may_call": may_call,
            "may_text": False,
            "may_leave_voicemail": False,
            "safe_email": "",
            "safe_phone": "",
            "safe_times": "Weekdays before 3pm",
        },
        "emergency": {
            "name": "Priya Shah",
            "relationship": "friend",
            "phone": "(213) 555-0199",
            "knows_about_care": True,
        },
        "reasons": {
            "reasons": "We keep having the same argument about money and who decides things.",
            "goals": "To talk without it turning into a fight, and to feel listened to.",
            "previous_therapy": "no",
            "previous_details": "",
        },
        "relationship": {
            "length": "9 years",
            "living": "together",
            "children": "One daughter, 6.",
            "who_suggested": "me",
            "decisions": "Mostly my partner decides about money; I decide about our daughter's school things.",
        },
        "health": {"current_care": "Primary care doctor only.", "medication": "", "difficult_experiences": ""},
    }


# Intake states for the demo: submitted, half-done draft, not started.
INTAKE_STATES = {"client1": "submitted", "client2": "draft", "client5": "submitted"}


def seed_intakes() -> None:
    for username, state in INTAKE_STATES.items():
        client = Client.objects.get(user__username=username)
        if Intake.objects.filter(client=client).exists():
            continue
        intake = Intake.objects.create(client=client)
        answers = _answers(username)
        slugs = list(answers) if state == "submitted" else ["about", "contact", "emergency"]
        for slug in slugs:
            intake.save_section(slug, answers[slug], complete=True)
        if state == "draft":
            # Half-typed, as a person leaves it: not yet complete.
            intake.save_section("reasons", {"reasons": "It is hard to say this, but", "goals": ""}, complete=False)
        else:
            submit_intake(intake=intake, signature=answers["about"]["legal_name"], request=None)


DEMO_INQUIRIES = [
    {
        "name": "Alex",
        "contact_method": Inquiry.ContactMethod.EMAIL,
        "contact_value": "alex.inquiry@example.org",
        "may_leave_message": False,
        "message": "My partner and I want help talking about money and who decides what.",
        "preferred_times": "Evenings",
        "consent_to_contact": True,
    },
    {
        "name": "R.",
        "contact_method": Inquiry.ContactMethod.TEXT,
        "contact_value": "(310) 555-0156",
        "may_leave_message": False,
        "message": "I would like to talk to someone on my own first. Please text, do not call.",
        "preferred_times": "Weekday mornings",
        "consent_to_contact": True,
    },
]


def seed_inquiries() -> None:
    for fields in DEMO_INQUIRIES:
        Inquiry.objects.get_or_create(name=fields["name"], contact_value=fields["contact_value"], defaults=fields)


def _power(**overrides) -> dict:
    instrument = registry.get("power", 1)
    answers = {i.id: (0 if i.scale == "who" else (4 if i.reversed else 0)) for i in instrument.items}
    answers.update(overrides)
    return answers


def _safety(**overrides) -> dict:
    return {**{i.id: 0 for i in registry.get("safety", 1).items}, **overrides}


# Jo sees marked imbalance toward Sam (money, digital control, pressure), easing over three screenings (by the
# third, reliably so overall and in voice and pressure, on the practice's own figures);
# Sam sees things as mostly shared: a perception gap.
JO_POWER = [
    _power(
        dec1=2,
        dec2=2,
        mon1=2,
        mon2=4,
        mon3=0,
        dig1=4,
        dig2=4,
        dig3=4,
        pre1=4,
        pre2=3,
        pre3=4,
        voi1=0,
        voi2=4,
        voi3=3,
        fea1=4,
        fea2=3,
        fea3=3,
        soc1=4,
        soc2=1,
        soc3=3,
        bou1=1,
        bou3=2,
        lab3=1,
    ),
    _power(
        dec1=2,
        dec2=2,
        mon1=2,
        mon2=4,
        mon3=1,
        dig1=4,
        dig2=3,
        dig3=4,
        pre1=3,
        pre2=2,
        pre3=4,
        voi1=1,
        voi2=3,
        voi3=3,
        fea1=3,
        fea2=3,
        fea3=3,
        soc1=3,
        soc2=1,
        soc3=3,
        bou1=1,
        bou3=2,
        lab3=1,
    ),
    _power(
        dec1=2,
        dec2=1,
        mon1=2,
        mon2=4,
        mon3=1,
        dig1=3,
        dig2=3,
        dig3=4,
        pre1=3,
        pre2=1,
        pre3=3,
        voi1=1,
        voi2=2,
        voi3=2,
        fea1=3,
        fea2=2,
        fea3=3,
        soc1=3,
        soc2=2,
        soc3=2,
        bou1=2,
        bou3=1,
        lab3=2,
    ),
]
DEMO_POWER = {
    "client2": _power(dec1=-1, mon1=-1, mon2=1, pre3=1),
    "client3": _power(dec1=-1, dec2=1, mon1=1, voi2=2, dig3=2, soc1=2, lab1=-2, lab2=-2, lab3=1),
    "client4": _power(dec1=1, dec2=1, mon1=-1, voi2=2, fea1=2, pre1=2, lab1=2, lab2=2),
}
SAM_FIRST_POWER = _power(dec1=-1, mon1=-1)
DEMO_SAFETY = {
    "client1": _safety(dg_physical=1, dg_afraid=1, ws_fear=3, ws_recurring=2),
    "client2": _safety(ws_conflict=2),
    "client3": _safety(ws_conflict=3, ws_denial=2),
    "client4": _safety(ws_self=1),
}


# Casey's two earlier rounds of the power questionnaire: easing a little, not a reliable change.
CASEY_POWER = [
    _power(dec1=1, dec2=1, mon2=2, voi1=2, voi2=2, fea1=3, fea3=2, soc1=2, pre1=2, pre3=3, lab1=1, lab3=1),
    _power(dec1=1, mon2=1, voi1=3, voi2=1, fea1=2, fea3=1, soc1=1, pre1=1, pre3=2, lab1=1, lab3=2),
]


def _submitted(client: Client, key: str, answers: dict, days_ago: int) -> Screening:
    screening = assign(client=client, key=key)
    screening.save_answers({k: str(v) for k, v in answers.items()})
    submit(screening=screening, at=timezone.now() - timedelta(days=days_ago))
    return screening


def seed_assessments(staff: dict) -> None:
    clients = {c.user.username: c for c in Client.objects.select_related("user").filter(user__username__in=CLIENTS)}
    if Screening.objects.submitted().filter(client__in=clients.values()).exists():
        return
    for days_ago, answers in zip((84, 42, 3), JO_POWER, strict=True):
        _submitted(clients["client1"], "power", answers, days_ago)
    # Sam answered at the start too (seeing even less imbalance then): two rounds of the perception gap.
    _submitted(clients["client2"], "power", SAM_FIRST_POWER, 83)
    for username, answers in DEMO_POWER.items():
        _submitted(clients[username], "power", answers, 20)
    for username, answers in DEMO_SAFETY.items():
        _submitted(clients[username], "safety", answers, 3 if username == "client1" else 20)
    # Client 5 answered the power questionnaire twice before; the next round is to do, and one half answered.
    for days_ago, answers in zip((75, 33), CASEY_POWER, strict=True):
        _submitted(clients["client5"], "power", answers, days_ago)
    assign(client=clients["client5"], key="power")
    assign(client=clients["client5"], key="safety").save_answers({"ws_recurring": "1", "ws_denial": "0"})

    # Flags in each state: Jo's urgent flag stays open; Riley's elevated one is acknowledged; Mo's resolved.
    riley_flag = RiskFlag.objects.get(client=clients["client3"])
    riley_flag.acknowledge(by=staff["therapist2"], note="Discussed in an individual check-in; no immediate risk.")
    therapist1, therapist2 = staff["therapist1"], staff["therapist2"]
    record_warning_sign(
        client=clients["client1"],
        fields={
            "type": "fear",
            "observed_on": timezone.localdate() - timedelta(days=10),
            "severity": "moderate",
            "source": "observed",
            "description": "Looked to partner before answering questions about money; quiet when partner raised voice.",
            "action_taken": "individual_sessions",
        },
        by=therapist1,
        request=None,
    )
    sign = record_warning_sign(
        client=clients["client4"],
        fields={
            "type": "threats",
            "observed_on": timezone.localdate() - timedelta(days=30),
            "severity": "severe",
            "source": "client_report",
            "description": "Reported a threat made during an argument last month.",
            "action_taken": "safety_plan",
        },
        by=therapist2,
        request=None,
    )
    flag = sign.risk_flags.get()
    flag.acknowledge(by=therapist2, note="Safety plan made with client alone.")
    flag.resolve(by=therapist2, note="Individual sessions in place; conjoint work resumed after review.")


# Twelve sessions over three months for each couple: naming power first, then tolerating
# disagreement, then restoring agency and repair as the work moves on.
PRACTICE_ARC = [
    [("naming_power", 3)],
    [("naming_power", 3), ("tolerating_disagreement", 1)],
    [("naming_power", 2), ("tolerating_disagreement", 2)],
    [("tolerating_disagreement", 3)],
    [("tolerating_disagreement", 2), ("naming_power", 1)],
    [("tolerating_disagreement", 2), ("restoring_agency", 1)],
    [("restoring_agency", 3)],
    [("restoring_agency", 3), ("tolerating_disagreement", 1)],
    [("restoring_agency", 2), ("repair", 1)],
    [("repair", 2), ("restoring_agency", 1)],
    [("repair", 3)],
    [("repair", 3), ("naming_power", 1)],
]
EVIDENCE = {
    "naming_power": "Named the pattern of who decides about money, without blame.",
    "tolerating_disagreement": "Both stayed in the room through a disagreement about the holidays.",
    "restoring_agency": "Jo set a boundary about phone checking and it was heard.",
    "repair": "Sam acknowledged the impact of last week's comment and offered a change.",
}


def seed_notes(staff: dict) -> None:
    from clinic.notes.models import Addendum, PracticeTag, PsychotherapyNote, SessionNote, TherapySession

    couples = Case.objects.filter(kind=Case.Kind.COUPLE).select_related("primary_therapist")
    if TherapySession.objects.filter(case__in=couples).exists():
        return
    # therapist1 is marked as needing co-signature (supervisor supervises) in the demo.
    staff["therapist1"].needs_cosign = True
    staff["therapist1"].supervisor = staff["supervisor"]
    staff["therapist1"].save(update_fields=["needs_cosign", "supervisor"])
    now = timezone.now().replace(hour=17, minute=0, second=0, microsecond=0)
    for case in couples:
        author = case.primary_therapist
        Case.objects.filter(pk=case.pk).update(opened_on=timezone.localdate(now - timedelta(days=7 * 13)))
        for week, tags in enumerate(PRACTICE_ARC):
            starts = now - timedelta(days=7 * (12 - week) - 1)
            session = TherapySession.objects.create(case=case, starts_at=starts, created_by=author)
            note = SessionNote.objects.create(
                session=session,
                author=author,
                content={
                    "subjective": "Both partners described the week; one felt unheard about money decisions.",
                    "objective": "Calmer than last time; turned toward each other when speaking.",
                    "assessment": "Pattern of one partner deciding alone continues but is named more readily.",
                    "plan": "Practise a pause before replying; check in about decisions mid-week.",
                },
                next_steps="Practise a pause before replying; check in about decisions mid-week.",
            )
            PracticeTag.objects.bulk_create(
                PracticeTag(note=note, practice=practice, focus=focus, evidence=EVIDENCE[practice])
                for practice, focus in tags
            )
            _link_goals(note, starts, tags)
            last = week == len(PRACTICE_ARC) - 1
            if last and case.primary_therapist == staff["therapist1"]:
                continue  # the latest note of Jo & Sam is still a draft
            late = week == 5
            signed_at = starts + (timedelta(days=6) if late else timedelta(hours=2))
            note.sign(by=author, at=signed_at)
            if week == 3:
                Addendum.add(note=note, by=author, text="Client called the next day: the pause helped at home.")
            if author == staff["therapist1"] and week < 9:
                # Older notes have been co-signed; the most recent signed ones still wait.
                note.cosign(by=staff["supervisor"])
        first = TherapySession.objects.filter(case=case).order_by("starts_at").first()
        PsychotherapyNote.objects.create(session=first, author=author, text="My own first impressions (private).")


# How a goal moved in a session, from the focus the session gave its practice.
MOVEMENT_BY_FOCUS = {1: "no_change", 2: "some", 3: "clear"}


def _link_goals(note, starts, tags) -> None:
    """Link a demo note to the shared goals of the plan in force when the session was held, one per tagged practice."""
    from clinic.plans.models import Goal, NoteGoal, PlanVersion

    version = (
        PlanVersion.objects.signed()
        .filter(plan__case_id=note.session.case_id, signed_at__lte=starts)
        .order_by("-number")
        .first()
    )
    if version is None:
        return
    goals = {g.practice: g for g in Goal.objects.filter(version=version, client__isnull=True)}
    NoteGoal.objects.bulk_create(
        NoteGoal(note=note, goal=goals[practice], movement=MOVEMENT_BY_FOCUS[focus])
        for practice, focus in tags
        if practice in goals
    )


# The couple's plan: (practice, whose (None: shared; else a username), statement, how progress will show, measure,
# target in days from the first signing), then at the review each goal's progress and a line of evidence.
COUPLE_GOALS = [
    (
        "naming_power",
        None,
        "Name who decides about money and larger purchases, without blame",
        # Both partners read this word for word: it says what each can notice, never one partner's answers (the
        # questionnaire target beside it is for the therapist).
        "Both can describe the last money decision and who made it, without blame",
        ("power", "money", "below", 50),
        120,
        ("some", "Both now say out loud who made a money decision; the questionnaire target is not met yet."),
    ),
    (
        "tolerating_disagreement",
        None,
        "Stay in a disagreement for ten minutes with a pause instead of a raised voice",
        "Each reports at least one disagreement a week that ended without shouting",
        None,
        120,
        ("much", "Three weeks running, both describe a disagreement that stayed calm; the pause is used."),
    ),
    (
        "restoring_agency",
        None,
        "Make one household decision a week together, with both views heard first",
        "A decision a week that both say they had a say in",
        ("power", "decisions", "below", 40),
        150,
        ("some", "Two shared decisions in the last month (a weekend plan, the car repair)."),
    ),
    (
        "repair",
        None,
        "After an argument, come back to it within a day and name its impact",
        "Repairs named in session, started by either partner",
        None,
        150,
        ("not_started", "Repair conversations have not yet started at home; practised once in session."),
    ),
    (
        "restoring_agency",
        "client1",
        "Say what I want first, before checking how my partner reacts",
        "Jo notices and notes the times of saying a view first",
        None,
        90,
        ("some", "Jo reports saying their view first about the holidays and about a purchase."),
    ),
    (
        "naming_power",
        "client1",
        "Notice when my voice gets smaller, and jot down a line",
        "A few lines a week, brought to individual sessions",
        None,
        60,
        ("much", "Jo kept notes for four weeks and brought them to individual sessions."),
    ),
    (
        "naming_power",
        "client2",
        "Notice when I decide for both of us, and ask first",
        "Sam can name one decision a week where Sam asked first",
        None,
        90,
        ("some", "Sam names decisions made alone more readily; asking first is still occasional."),
    ),
    (
        "repair",
        "client2",
        "Take responsibility for one hurtful comment a week without explaining it away",
        "Acknowledgements named in session, without a 'but'",
        None,
        120,
        ("some", "Sam acknowledged the impact of two comments this month without justifying them."),
    ),
]
COUPLE_SAFETY = (
    "Jo has individual sessions alongside the joint work, and a safety plan made with Jo alone (a trusted "
    "friend who knows, a bag with documents at the friend's home, the hotlines on the practice's resources page). "
    "Joint sessions were paused for two weeks after the warning sign and resumed after review; at each joint "
    "session the therapist checks with Jo privately that it is safe to continue."
)
REVIEW_SUMMARY = (
    "Steady movement on naming decisions and on staying in disagreement. Repair has not started at home yet and "
    "stays a goal. The safety plan is in place and was reviewed with Jo alone; joint work continues."
)
# When the couple's plan was signed and reviewed, in days ago: after the first session, and after the ninth.
COUPLE_SIGNED_DAYS_AGO, COUPLE_REVIEWED_DAYS_AGO = 82, 26
# Casey's plan was signed long enough ago that its review is due.
INDIVIDUAL_SIGNED_DAYS_AGO = 100
INDIVIDUAL_GOALS = [
    (
        "naming_power",
        "Notice who decides in my family and at work, and how I go along with it",
        "Casey can describe two recent decisions and the part Casey played",
    ),
    (
        "restoring_agency",
        "Say no to one request a week that I do not want to take on",
        "One 'no' a week, noted and talked through",
    ),
    (
        "tolerating_disagreement",
        "Hold my view in a disagreement with my sister without giving in at once",
        "Casey stays with her view for the length of the conversation",
    ),
]


def _plan_goal(version, position: int, practice: str, client, statement: str, shows: str, measure, target_on):
    from clinic.plans.models import Goal

    instrument, domain, direction, target = measure or ("", "", "", None)
    return Goal.objects.create(
        version=version,
        position=position,
        practice=practice,
        client=client,
        statement=statement,
        progress_shows=shows,
        measure_instrument=instrument,
        measure_domain=domain,
        measure_direction=direction,
        measure_target=target,
        target_date=target_on,
    )


def seed_plans(staff: dict) -> None:
    """Jo & Sam: a signed plan on the four practices with individual goals, reviewed once (version 2 signed);
    Casey: an individual plan, due for review."""
    from clinic.plans.models import Goal, PlanVersion, TreatmentPlan
    from clinic.plans.planning import acknowledge, sign_version, start_plan, start_review

    therapist = staff["therapist1"]
    clients = {c.user.username: c for c in Client.objects.select_related("user").filter(user__username__in=CLIENTS)}
    couple = Case.objects.get(clients=clients["client1"])
    now = timezone.now()
    if not TreatmentPlan.objects.filter(case=couple).exists():
        signed_at = now - timedelta(days=COUPLE_SIGNED_DAYS_AGO)
        first = start_plan(case=couple, by=therapist)
        for position, (practice, whose, statement, shows, measure, days, _) in enumerate(COUPLE_GOALS):
            target_on = timezone.localdate(signed_at) + timedelta(days=days)
            client = clients[whose] if whose else None
            _plan_goal(first, position, practice, client, statement, shows, measure, target_on)
        PlanVersion.objects.filter(pk=first.pk).update(
            safety_included=True,
            safety_individual_first=True,
            safety_conjoint_paused=True,
            safety_planning=COUPLE_SAFETY,
            created_at=signed_at - timedelta(hours=2),
        )
        first.refresh_from_db()
        sign_version(version=first, by=therapist, at=signed_at)
        review = start_review(plan=first.plan, by=therapist)
        marks = {statement: mark for _, _, statement, _, _, _, mark in COUPLE_GOALS}
        for goal in review.goals.all():
            progress, evidence = marks[goal.statement]
            Goal.objects.filter(pk=goal.pk).update(progress=progress, progress_evidence=evidence)
        reviewed_at = now - timedelta(days=COUPLE_REVIEWED_DAYS_AGO)
        PlanVersion.objects.filter(pk=review.pk).update(
            review_summary=REVIEW_SUMMARY, ask_acknowledgement=True, created_at=reviewed_at - timedelta(hours=1)
        )
        review.refresh_from_db()
        sign_version(version=review, by=therapist, at=reviewed_at)
        # Jo has acknowledged the reviewed plan in her portal; Sam has not yet.
        acknowledge(version=review, client=clients["client1"], typed_name=CLIENTS["client1"][0])

    individual = Case.objects.get(clients=clients["client5"])
    if not TreatmentPlan.objects.filter(case=individual).exists():
        signed_at = now - timedelta(days=INDIVIDUAL_SIGNED_DAYS_AGO)
        version = start_plan(case=individual, by=therapist)
        for position, (practice, statement, shows) in enumerate(INDIVIDUAL_GOALS):
            target_on = timezone.localdate(signed_at) + timedelta(days=120)
            _plan_goal(version, position, practice, None, statement, shows, None, target_on)
        PlanVersion.objects.filter(pk=version.pk).update(created_at=signed_at - timedelta(days=2))
        version.refresh_from_db()
        sign_version(version=version, by=therapist, at=signed_at)


# Each partner's own exercise from the library, and what they sent back about it.
PRACTICE_FOR = {
    "client1": (
        "Notice when your voice gets smaller",
        "Try this alongside what we talked about in your own session.",
        "partly",
        "Noticed it twice at dinner and once on the phone. Wrote a line each time.",
    ),
    "client2": (
        "Who decides what: a week of small notes",
        "",
        "yes",
        "Kept the tally for six days. I decided more than I thought.",
    ),
}


def seed_practice(staff: dict) -> None:
    """An exercise for each partner of Jo & Sam, assigned privately, each with a check-in sent."""
    from clinic.plans.exercises import assign, draft_of, save_checkin, send_checkin
    from clinic.plans.library import ensure_library
    from clinic.plans.models import Assignment, Exercise

    ensure_library()

    therapist = staff["therapist1"]
    clients = {c.user.username: c for c in Client.objects.select_related("user").filter(user__username__in=CLIENTS)}
    couple = Case.objects.get(clients=clients["client1"])
    if Assignment.objects.filter(case=couple).exists():
        return
    today = timezone.localdate()
    for username, (title, personal_note, tried, text) in PRACTICE_FOR.items():
        exercise = Exercise.objects.filter(title=title).first() or Exercise.objects.order_by("id").first()
        (assignment,) = assign(
            case=couple,
            clients=[clients[username]],
            exercise=exercise,
            starts_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=2),
            by=therapist,
            personal_note=personal_note,
        )
        checkin = save_checkin(checkin=draft_of(assignment), tried=tried, text=text, made_things_worse=False)
        send_checkin(checkin=checkin)


def seed_closed_case(staff: dict) -> None:
    """A case discharged eight years ago, past the retention period: listed for an admin's review."""
    from clinic.notes.models import TherapySession

    if Client.objects.filter(full_name="Alex Former").exists():
        return
    therapist = staff["therapist2"]
    case = open_case(
        kind=Case.Kind.INDIVIDUAL,
        therapist=therapist,
        clients=[{"full_name": "Alex Former", "email": ""}],
        by=staff["admin"],
    )
    last = timezone.now() - timedelta(days=365 * 8 + 30)
    TherapySession.objects.create(case=case, starts_at=last, created_by=therapist)
    Case.objects.filter(pk=case.pk).update(
        opened_on=timezone.localdate(last - timedelta(days=120)),
        status=Case.Status.CLOSED,
        discharged_on=timezone.localdate(last),
        discharge_note="Goals met; ended by agreement.",
    )


# Demo data, marked as such in every name: past clients of the practice, each with a first and a later power
# questionnaire and a few signed sessions, so that the practice's own SD and Cronbach's alpha can be computed
# (at least 30 screenings: assessments/change.py MIN_OWN) and the outcomes report has outcomes to show.
HISTORY_CLIENTS = 18
HISTORY_NAME = "Demo past client {:02d}"
HISTORY_NOTE = "Demo data: a past client made up for the demonstration."


def _history_answers(rng, level: float, offsets: dict[str, float]) -> dict:
    """Answers whose imbalance follows one level per domain (0-100) with item noise: items of a domain agree."""
    instrument = registry.get("power", 1)
    answers = {}
    for item in instrument.items:
        imbalance = min(1.0, max(0.0, (level + offsets[item.domain] + rng.gauss(0, 16)) / 100))
        if item.scale == "who":
            answers[item.id] = round(imbalance * 2) * (1 if rng.random() < 0.8 else -1)
        else:
            value = round(imbalance * 4)
            answers[item.id] = 4 - value if item.reversed else value
    return answers


def seed_practice_history(staff: dict) -> None:
    import random

    from clinic.notes.models import PracticeTag, SessionNote, TherapySession

    if Client.objects.filter(full_name=HISTORY_NAME.format(1)).exists():
        return
    rng = random.Random(2026)  # noqa: S311 - made-up demo answers, the same every time
    practices = [p for p, _ in PRACTICE_ARC[0] + PRACTICE_ARC[3] + PRACTICE_ARC[6] + PRACTICE_ARC[10]]
    domains = [d.key for d in registry.get("power", 1).domains]
    for number in range(1, HISTORY_CLIENTS + 1):
        therapist = staff["therapist1" if number % 2 else "therapist2"]
        case = open_case(
            kind=Case.Kind.INDIVIDUAL,
            therapist=therapist,
            clients=[{"full_name": HISTORY_NAME.format(number), "email": ""}],
            by=staff["admin"],
        )
        client = case.clients.get()
        first_days = rng.randint(120, 330)
        later_days = first_days - rng.randint(42, 90)
        level = rng.uniform(15, 75)
        # Most ease, some hold steady, a few get worse: the spread a real caseload shows.
        change = rng.choice([-30, -25, -20, -12, -8, -5, 0, 0, 5, 12])
        offsets = {d: rng.gauss(0, 12) for d in domains}
        _submitted(client, "power", _history_answers(rng, level, offsets), first_days)
        _submitted(client, "power", _history_answers(rng, max(0, level + change), offsets), later_days)
        # Four signed sessions between the two questionnaires, one practice worked on in each.
        for week in range(4):
            starts = timezone.now() - timedelta(days=first_days - 7 * (week + 1), hours=3)
            session = TherapySession.objects.create(case=case, starts_at=starts, created_by=therapist)
            note = SessionNote.objects.create(
                session=session,
                author=therapist,
                content={
                    "subjective": HISTORY_NOTE,
                    "objective": HISTORY_NOTE,
                    "assessment": HISTORY_NOTE,
                    "plan": HISTORY_NOTE,
                },
                next_steps=HISTORY_NOTE,
            )
            practice = practices[(number + week) % len(practices)]
            PracticeTag.objects.create(note=note, practice=practice, focus=rng.randint(1, 3), evidence=HISTORY_NOTE)
            note.sign(by=therapist, at=starts + timedelta(hours=2))
            if therapist.needs_cosign:
                note.cosign(by=staff["supervisor"])
        ended = timezone.localdate() - timedelta(days=max(later_days - 7, 1))
        Case.objects.filter(pk=case.pk).update(
            opened_on=timezone.localdate() - timedelta(days=first_days + 7),
            status=Case.Status.CLOSED,
            discharged_on=ended,
            discharge_note=HISTORY_NOTE,
        )


def seed_progress_view(staff: dict) -> None:
    """therapist1 has turned on Casey's own progress page (Casey has no open flag)."""
    from assessments.models import ProgressView
    from assessments.own_progress import turn_progress

    casey = Client.objects.get(user__username="client5")
    # Casey has been coming for four months: the case opened before the first questionnaire and the plan.
    Case.objects.filter(clients=casey, status=Case.Status.OPEN).update(
        opened_on=timezone.localdate() - timedelta(days=120)
    )
    if not ProgressView.objects.filter(client=casey).exists():
        turn_progress(client=casey, on=True, by=staff["therapist1"])


# Jo and Sam's check-ins after their last eight sessions, oldest first: (heard, say, disagree, pace, fair).
# Sam's run high; Jo's run lower, most of all "I had a say" (the therapist may be drifting toward Sam,
# who speaks more), so a balance alert shows. No line is low enough to raise a flag.
JO_CHECKINS = [
    (7, 6, 6, 7, 7),
    (6, 5, 6, 6, 6),
    (6, 4, 5, 6, 6),
    (5, 4, 5, 6, 5),
    (6, 4, 5, 5, 6),
    (5, 3, 4, 6, 5),
    (6, 4, 5, 6, 6),
    (5, 4, 5, 5, 5),
]
SAM_CHECKINS = [
    (8, 8, 7, 8, 8),
    (8, 8, 8, 8, 9),
    (9, 8, 8, 8, 8),
    (8, 9, 8, 8, 8),
    (9, 8, 8, 9, 9),
    (8, 8, 8, 8, 8),
    (9, 9, 8, 8, 9),
    (8, 8, 9, 8, 8),
]
JO_LINES = {5: "I found it hard to get a word in this time."}


def seed_session_checkins() -> None:
    """Jo and Sam answered a check-in after each of their last eight sessions (demo data, made up)."""
    from django.http import QueryDict

    from assessments import checkins
    from assessments.checkin_v1 import CHECKIN_V1
    from assessments.models import SessionCheckIn
    from clinic.notes.models import TherapySession

    jo, sam = (Client.objects.get(user__username=name) for name in ("client1", "client2"))
    case = Case.objects.filter(clients=jo).filter(clients=sam).get()
    if SessionCheckIn.objects.filter(session__case=case).exists():
        return
    sessions = list(case.sessions.filter(format=TherapySession.Format.CONJOINT).order_by("-starts_at")[:8])[::-1]
    ids = [item.id for item in CHECKIN_V1.items]
    for number, session in enumerate(sessions):
        ended = checkins.session_ends(session)
        checkins.offer_after_session(session=session, now=ended, notify=False)
        for client, answers in ((jo, JO_CHECKINS[number]), (sam, SAM_CHECKINS[number])):
            checkin = SessionCheckIn.objects.get(session=session, client=client)
            data = QueryDict(mutable=True)
            data.update(dict(zip(ids, map(str, answers), strict=True)))
            data["comment"] = JO_LINES.get(number, "") if client == jo else ""
            answered = ended + timedelta(hours=3 if client == jo else 1)
            checkins.save_answers(checkin, data, now=answered)
            checkins.submit(checkin, now=answered)


VIDEO_LINK = "https://video.example.org/fulcrum-demo-room"


def _workday(offset: int):
    """The working day `offset` working days from today (0 is today, even at a weekend)."""
    day, step = timezone.localdate(), 1 if offset >= 0 else -1
    while offset:
        day += timedelta(days=step)
        if day.weekday() < 5:
            offset -= step
    return day


def _local(day, hour: int, minute: int = 0):
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_appointments(staff: dict) -> None:
    """A realistic week: recurring couples and individual appointments, one cancellation, one late
    cancellation, one missed; the Averys' session that has just ended; open consultation times;
    reminders queued only where the client chose a safe way (Jo by email; Mo by email, naming the practice)."""
    from clinic.appointments.booking import Booking, Slot, book
    from clinic.appointments.consultations import publish
    from clinic.appointments.models import Appointment, AppointmentStatus

    if Appointment.objects.exists():
        return
    t1, t2 = staff["therapist1"], staff["therapist2"]
    jo, sam, riley, mo, casey = (Client.objects.get(user__username=f"client{n}") for n in range(1, 6))
    averys = Case.objects.filter(clients=jo).filter(clients=sam).get()
    chens = Case.objects.filter(clients=riley).filter(clients=mo).get()
    solo = Case.objects.filter(clients=casey).get()
    Client.objects.filter(pk=jo.pk).update(reminder_channel="email")
    Client.objects.filter(pk=mo.pk).update(reminder_channel="email", reminder_names_practice=True)
    override = "Joint session agreed with both after Jo's individual safety check; reviewed at the start."

    def plan(case, first, **kw):
        values = {"minutes": 50, "format": "conjoint", "individual_client": None, "modality": "in_person"}
        return book(
            case=case, booking=Booking(first=first, outside_hours=True, **{**values, **kw}), by=case.primary_therapist
        )

    # The Averys' session today has just ended: therapist1 records it and writes the note.
    just_ended = timezone.now() - timedelta(minutes=62)
    Appointment.objects.create(
        case=averys,
        therapist=t1,
        starts_at=just_ended,
        ends_at=just_ended + timedelta(minutes=50),
        conjoint_override_reason=override,
        created_by=t1,
        created_at=just_ended - timedelta(days=7),
    )
    # Earlier this week: a missed individual appointment and a late cancellation.
    for offset, hour, case, who, status, reason in (
        (-1, 10, solo, casey, AppointmentStatus.NO_SHOW, "No contact; called twice, left no message."),
        (-2, 15, averys, sam, AppointmentStatus.LATE_CANCELLED, "Called the same morning: unwell."),
    ):
        starts = _local(_workday(offset), hour)
        Appointment.objects.create(
            case=case,
            therapist=case.primary_therapist,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=50),
            format="individual",
            individual_client=who,
            status=status,
            status_reason=reason,
            status_changed_at=starts,
            status_changed_by=case.primary_therapist,
            created_by=case.primary_therapist,
        )
    # Recurring: Casey weekly; the Chens weekly in the evening by video, one week cancelled in good time.
    plan(solo, _local(_workday(1), 10), format="individual", individual_client=casey, every_weeks=1, count=8)
    chen_weeks = plan(
        chens, _local(_workday(1), 18), modality="telehealth", video_link=VIDEO_LINK, every_weeks=1, count=8
    )
    from clinic.appointments.booking import cancel

    cancel(appointment=chen_weeks[2], status="cancelled", reason="Away for the holidays.", version=1, by=t2)
    # Jo alone by video later this week; the Averys together every two weeks from the week after next.
    plan(
        averys,
        _local(_workday(3), 12),
        format="individual",
        individual_client=jo,
        modality="telehealth",
        video_link=VIDEO_LINK,
    )
    plan(averys, _local(_workday(10), 17), every_weeks=2, count=4, conjoint_override_reason=override)
    # Free first consultations next week.
    for therapist, hour in ((t1, 12), (t2, 13)):
        days = [_local(_workday(5 + d), hour) for d in (0, 1, 2)]
        publish(therapist=therapist, slots=[Slot(day, day + timedelta(minutes=20)) for day in days])


# Lucía's exercise for this week: the library has its words in Spanish, so her assignment is in Spanish.
LUCIA_EXERCISE = "A pause before you reply"
LUCIA_NOTE = "Empiece por los momentos pequeños, en casa."


def seed_spanish_client(staff: dict) -> None:
    """Lucía (client6) reads Spanish and is new: no intake yet; the power and safety questionnaires open; the
    check-in after an individual session that ended two hours ago; one library exercise for this week.

    Each part is looked up first, so a demo seeded before Lucía was added gains her on the next run.
    """
    from assessments.checkins import offer_after_session
    from clinic.notes.models import TherapySession
    from clinic.plans.exercises import assign as assign_exercise
    from clinic.plans.library import ensure_library
    from clinic.plans.models import Assignment, Exercise

    therapist = staff["therapist1"]
    lucia = Client.objects.get(user__username="client6")
    case = Case.objects.get(clients=lucia)
    for key in ("power", "safety"):
        if not lucia.screenings.filter(instrument_key=key).exists():
            assign(client=lucia, key=key, by=therapist)
    if not TherapySession.objects.filter(case=case).exists():
        # A 50-minute session that ended two hours ago; no note written yet.
        session = TherapySession.objects.create(
            case=case,
            starts_at=timezone.now() - timedelta(hours=2, minutes=50),
            format=TherapySession.Format.INDIVIDUAL,
            individual_client=lucia,
            created_by=therapist,
        )
        # No email while seeding: the demo sends nothing.
        offer_after_session(session=session, notify=False)
    if not Assignment.objects.filter(case=case).exists():
        ensure_library()
        today = timezone.localdate()
        assign_exercise(
            case=case,
            clients=[lucia],
            exercise=Exercise.objects.filter(title=LUCIA_EXERCISE).first()
            or Exercise.objects.filter(texts__language="es").order_by("id").first(),
            starts_on=today,
            ends_on=today + timedelta(days=6),
            by=therapist,
            personal_note=LUCIA_NOTE,
        )
