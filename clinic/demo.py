"""Demo data for the local run: stable usernames, one documented password.

Every step looks things up by a stable key first, so running it again
changes nothing. Later features add their own steps here.
"""

from dataclasses import dataclass

from django.db import transaction

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
    ("therapist2", "Tess", "Okafor", Role.THERAPIST, True),
]

# username, full name, preferred name, email, may_email, may_call
CLIENTS = {
    "client1": ("Jordan Avery", "Jo", "client1@example.org", True, True),
    "client2": ("Sam Avery", "", "client2@example.org", False, True),
    "client3": ("Riley Chen", "", "client3@example.org", True, False),
    "client4": ("Morgan Chen", "Mo", "client4@example.org", True, True),
    "client5": ("Casey Lind", "", "client5@example.org", False, False),
}

# (therapist, kind, clients)
CASES = [
    ("therapist1", Case.Kind.COUPLE, ["client1", "client2"]),
    ("therapist2", Case.Kind.COUPLE, ["client3", "client4"]),
    ("therapist1", Case.Kind.INDIVIDUAL, ["client5"]),
]


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
                    "phone": "07700 900" + username[-1] * 3,
                    "may_email": may_email,
                    "may_call": may_call,
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
    return [
        DemoLogin("admin", "practice admin", "practice page, staff, cases, audit log"),
        DemoLogin("therapist1", "therapist", "couple client1+client2, individual client5"),
        DemoLogin("therapist2", "therapist (supervisor)", "couple client3+client4"),
        *(DemoLogin(f"client{i}", "client", "") for i in range(1, 6)),
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
            "phone": "07700 900" + username[-1] * 3,
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
            "phone": "07700 900999",
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
        "health": {"current_care": "GP only.", "medication": "", "difficult_experiences": ""},
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
        "contact_value": "07700 900456",
        "may_leave_message": False,
        "message": "I would like to talk to someone on my own first. Please text, do not call.",
        "preferred_times": "Weekday mornings",
        "consent_to_contact": True,
    },
]


def seed_inquiries() -> None:
    for fields in DEMO_INQUIRIES:
        Inquiry.objects.get_or_create(name=fields["name"], contact_value=fields["contact_value"], defaults=fields)
