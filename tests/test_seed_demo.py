from django.core.management import call_command

from clinic.accounts.models import Role, User
from clinic.audit.models import AuditEvent
from clinic.clients.models import Case, Client
from clinic.demo import DEMO_PASSWORD


def counts():
    return (User.objects.count(), Client.objects.count(), Case.objects.count(), AuditEvent.objects.count())


def test_seed_demo_creates_the_documented_practice_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    # Ten logins; six clients in four cases, Alex Former's old case, and the made-up past clients.
    history = Client.objects.filter(full_name__startswith="Demo past client")
    assert first[:3] == (10, 7 + history.count(), 5 + history.count())
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert "therapist1" in out and "client5" in out
    assert "client6" in out and "Spanish" in out

    users = {u.username: u for u in User.objects.all()}
    assert users["admin"].role == Role.ADMIN
    assert users["supervisor"].is_supervisor and not users["therapist2"].is_supervisor
    assert users["therapist1"].needs_cosign
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())

    def case_of(username):
        return Case.objects.get(clients__user__username=username)

    assert case_of("client1") == case_of("client2")
    assert case_of("client1").primary_therapist.username == "therapist1"
    assert case_of("client3").primary_therapist.username == "therapist2"
    assert case_of("client5").kind == Case.Kind.INDIVIDUAL
    assert case_of("client5").primary_therapist.username == "therapist1"
    assert case_of("client6").kind == Case.Kind.INDIVIDUAL
    assert case_of("client6").primary_therapist.username == "therapist1"
    assert case_of("client6") not in (case_of("client5"), case_of("client1"))


def test_seed_demo_adds_a_new_client_who_reads_spanish(db):
    """Lucía (client6): Spanish on her record, a login, no intake yet; both questionnaires open, the check-in
    after a session that ended two hours ago waiting, and this week's exercise in Spanish."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.checkins import session_ends
    from clinic.plans.models import Assignment
    from intake.models import Intake

    call_command("seed_demo")
    call_command("seed_demo")
    lucia = Client.objects.get(user__username="client6")
    assert (lucia.full_name, lucia.preferred_name, lucia.language) == ("Lucía Morales Peña", "Lucía", "es")
    assert lucia.email.endswith("@example.org") and "555-01" in lucia.phone
    assert lucia.user.check_password(DEMO_PASSWORD) and lucia.user.role == Role.CLIENT
    assert not Intake.objects.filter(client=lucia).exists()
    assert sorted(lucia.screenings.open().values_list("instrument_key", flat=True)) == ["power", "safety"]
    assert not lucia.screenings.submitted().exists()
    (checkin,) = lucia.session_checkins.waiting()
    ended = timezone.now() - session_ends(checkin.session)
    assert timedelta(hours=1) < ended < timedelta(hours=3)
    assert checkin.session.individual_client == lucia
    (assignment,) = Assignment.objects.filter(client=lucia)
    assert assignment.language == "es" and assignment.title == "Una pausa antes de responder"
    assert assignment.starts_on <= timezone.localdate() <= assignment.ends_on
    # The other clients keep the practice's own language.
    assert set(Client.objects.exclude(pk=lucia.pk).values_list("language", flat=True)) == {"en"}


def test_seed_demo_adds_the_assessment_story(db):
    from assessments.models import RiskFlag, Screening, WarningSign
    from assessments.screenings import compare, latest_submitted
    from intake.models import Inquiry, Intake

    call_command("seed_demo")
    jo, sam = Client.objects.get(user__username="client1"), Client.objects.get(user__username="client2")
    trend = [
        s.scores["index"] for s in jo.screenings.submitted().filter(instrument_key="power").order_by("submitted_at")
    ]
    assert len(trend) == 3 and trend[0] > trend[1] > trend[2]
    gaps = compare(latest_submitted(jo, "power"), latest_submitted(sam, "power"))
    assert gaps["wide_count"] >= 2
    assert latest_submitted(jo, "power").scores["band"] in ("some_imbalance", "marked_imbalance")
    assert set(RiskFlag.objects.values_list("status", flat=True)) == {"open", "acknowledged", "resolved"}
    assert RiskFlag.objects.get(client=jo).severity == "urgent"
    assert WarningSign.objects.count() == 2
    assert all(Screening.objects.filter(client__user__username=f"client{i}").exists() for i in range(1, 6))
    assert set(Intake.objects.values_list("status", flat=True)) == {"draft", "submitted"}
    assert Inquiry.objects.filter(status="open").count() == 2


def test_seed_demo_adds_a_history_of_sessions_and_notes(db):
    from clinic.notes.models import Addendum, SessionNote, TherapySession

    call_command("seed_demo")
    call_command("seed_demo")
    for username in ("client1", "client3"):
        case = Case.objects.get(clients__user__username=username)
        assert TherapySession.objects.filter(case=case).count() == 12
    notes = SessionNote.objects.all()
    assert notes.filter(status="draft").count() == 1
    assert notes.filter(late_entry=True).count() == 2
    assert Addendum.objects.count() == 2
    assert sum(1 for n in notes if n.awaiting_cosign) == 2
    assert all(n.verify() for n in notes.filter(status="signed"))
    first, last = (
        SessionNote.objects.filter(session__case__clients__user__username="client3")
        .order_by("session__starts_at")[i]
        .tags.values_list("practice", flat=True)
        for i in (0, 11)
    )
    assert "naming_power" in first and "repair" in last


def test_seed_demo_tells_the_measurement_story(db, client):
    """Enough of the practice's own screenings for its own SD and alpha, marked as demo data; Jo improves
    reliably in two domains or more; Casey's progress page is on and shows."""
    import assessments.catalogue  # noqa: F401 - the questionnaires
    from assessments.change import OWN
    from assessments.reliable import own_change, practice_bases
    from clinic.demo import HISTORY_NOTE

    call_command("seed_demo")
    history = Client.objects.filter(full_name__startswith="Demo past client")
    assert history.count() >= 15
    assert all(not c.user_id for c in history)
    assert set(Case.objects.filter(clients__in=history).values_list("discharge_note", flat=True)) == {HISTORY_NOTE}
    bases = practice_bases(1)
    assert {b.source for b in bases.values()} == {OWN}
    assert min(b.n for b in bases.values()) >= 30
    assert all(0.6 < b.r < 0.99 for b in bases.values())

    jo = Client.objects.get(user__username="client1")
    change = own_change(list(jo.screenings.all()))["change"]
    better = [c.key for c in change.reliable_since_first if c.verdict == "better" and c.key != "index"]
    assert len(better) >= 2, better

    casey = Client.objects.get(user__username="client5")
    assert casey.progress_view.turned_on_by.username == "therapist1"
    client.force_login(casey.user)
    page = client.get("/my/progress/")
    assert page.status_code == 200
    assert "Your progress" in page.content.decode()
