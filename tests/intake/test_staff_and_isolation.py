import pytest
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from intake.filling import submit_intake
from intake.models import ConsentDocument, Intake


def submitted_intake(person, reasons="Unique answer text 7f3a"):
    intake = Intake.objects.create(client=person)
    intake.save_section("about", {"legal_name": person.full_name}, complete=True)
    intake.save_section("reasons", {"reasons": reasons}, complete=True)
    submit_intake(intake=intake, signature=person.full_name, request=None)
    return intake


def read_url(case, person):
    return reverse("intake_read", kwargs={"case_code": case.code, "client_code": person.code})


def test_the_therapist_reads_a_submitted_intake_and_it_is_audited(as_user, therapist, couple_case, person):
    submitted_intake(person)
    response = as_user(therapist).get(read_url(couple_case, person))
    assert response.status_code == 200
    assert "Unique answer text 7f3a" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.INTAKE_VIEWED)
    assert (event.actor, event.client) == (therapist, person)


def test_an_admin_does_not_browse_it(as_user, admin_user, couple_case, person):
    """Admins reach clinical content only through a summary made with a recorded purpose."""
    submitted_intake(person)
    assert as_user(admin_user).get(read_url(couple_case, person)).status_code == 404
    case_page = as_user(admin_user).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert read_url(couple_case, person) not in case_page
    assert not AuditEvent.objects.filter(action=Action.INTAKE_VIEWED).exists()


def test_a_draft_is_not_shown_to_staff(as_user, therapist, couple_case, person):
    Intake.objects.create(client=person, answers={"reasons": {"reasons": "draft words"}})
    assert as_user(therapist).get(read_url(couple_case, person)).status_code == 404


@pytest.mark.parametrize("who", ["colleague", "client_user", "partner_user", "outsider"])
def test_nobody_else_reads_an_intake(request, as_user, couple_case, person, who):
    submitted_intake(person)
    response = as_user(request.getfixturevalue(who)).get(read_url(couple_case, person))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Action.INTAKE_VIEWED).exists()


def test_a_partner_sees_nothing_of_the_other_partners_intake(as_user, partner_user, person, partner):
    submitted_intake(person)
    c = as_user(partner_user)
    pages = [
        c.get(reverse("client_home")),
        c.get(reverse("intake_start"), follow=True),
        c.get(reverse("intake_section", kwargs={"step": 4})),
    ]
    for page in pages:
        body = page.content.decode()
        assert "Unique answer text 7f3a" not in body
        assert person.full_name not in body
        assert "Sent on" not in body
    # Their own intake is separate and untouched by the other's.
    assert Intake.objects.get(client=partner).answers == {}


def test_the_copy_shows_only_the_clients_own_answers(as_user, client_user, partner_user, person, partner):
    submitted_intake(person, reasons="Mine 111")
    submitted_intake(partner, reasons="Theirs 222")
    body = as_user(client_user).get(reverse("intake_copy")).content.decode()
    assert "Mine 111" in body and "Theirs 222" not in body


def test_an_admin_publishes_a_new_consent_version_and_old_signatures_keep_theirs(as_user, admin_user, person):
    intake = submitted_intake(person)
    response = as_user(admin_user).post(
        reverse("consent_texts"), {"kind": "informed_consent", "title": "Agreement (2027)", "body": "New words."}
    )
    assert response.status_code == 302
    current = ConsentDocument.objects.current(ConsentDocument.Kind.INFORMED_CONSENT)
    assert (current.version, current.title, current.created_by) == (2, "Agreement (2027)", admin_user)
    intake.refresh_from_db()
    assert intake.consent_document.version == 1
    assert AuditEvent.objects.filter(action=Action.CONSENT_TEXT_CHANGED).exists()


def test_consent_texts_need_a_body_and_only_admins_edit_them(as_user, admin_user, therapist):
    response = as_user(admin_user).post(reverse("consent_texts"), {"kind": "privacy_notice", "title": "T", "body": ""})
    assert "Write the text clients will read" in response.content.decode()
    assert ConsentDocument.objects.filter(kind="privacy_notice").count() == 1
    assert as_user(therapist).get(reverse("consent_texts")).status_code == 404
