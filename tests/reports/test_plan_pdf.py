"""The treatment plan PDF for the record: goals by practice, reviews, signatures; internal, audited, neutral name."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clinic.audit.models import Action, AuditEvent
from tests.reports.plan_material import OWN, PARTNERS, SHARED, SUMMARY, make_plan

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def plan(couple_case, therapist, person, partner):
    return make_plan(case=couple_case, therapist=therapist, person=person, partner=partner)


def url(case) -> str:
    return reverse("plan_pdf", kwargs={"case_code": case.code})


def test_the_plan_pdf_holds_goals_by_practice_reviews_and_signatures(
    as_user, therapist, couple_case, person, partner, plan, first_page_png
):
    first, review = plan
    response = as_user(therapist).post(url(couple_case), {"purpose": "continuity", "version": "2"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Nothing clinical in the name, nor in the URL (the case's code only).
    assert response["Content-Disposition"].startswith('attachment; filename="plan-')
    assert str(couple_case.code) in url(couple_case) and "plan/pdf" in url(couple_case)
    first_page_png("treatment-plan", response.content)
    text = text_of(response.content)
    assert "INTERNAL" in text.upper() and "version 2" in text
    # Shared goals first, under their practices in the practices' order, then each partner's labelled.
    order = [
        text.index("Shared goals of the couple"),
        text.index("Naming power"),
        text.index("Tolerating disagreement"),
        text.index("Restoring agency"),
        text.index("Repair"),
        text.index(f"Individual goals of {person.display_name}"),
        text.index(f"Individual goals of {partner.display_name}"),
    ]
    assert order == sorted(order)
    assert SHARED[0] in text and OWN[0] in text and PARTNERS[0] in text
    # The review: progress per goal with its evidence, and the summary.
    assert "Review: version 2" in text and "Some progress" in text
    assert f"{SHARED[1]} seen in session" in text and SUMMARY in text
    # Both signatures, with their hashes, checked against the stored content.
    review.refresh_from_db()
    first.refresh_from_db()
    compact = text.replace(" ", "")
    assert review.content_hash in compact and first.content_hash in compact
    assert text.count("matches the stored content") == 2
    assert "Not yet acknowledged" in text


def test_an_older_version_is_printed_as_it_was_signed(as_user, therapist, couple_case, plan):
    response = as_user(therapist).post(url(couple_case), {"purpose": "continuity", "version": "1"})
    text = text_of(response.content)
    assert "version 1" in text and "No review yet" in text and "a later version replaced it" in text
    assert SUMMARY not in text


def test_the_plan_pdf_shows_the_safety_section_and_acknowledgements(as_user, therapist, couple_case, person, plan):
    from clinic.plans.models import PlanVersion
    from clinic.plans.planning import acknowledge, sign_version, start_review

    draft = start_review(plan=couple_case.plan, by=therapist)
    PlanVersion.objects.filter(pk=draft.pk).update(
        safety_included=True,
        safety_individual_first=True,
        safety_conjoint_paused=True,
        safety_planning="SAFETY-PLAN-1x1x",
        ask_acknowledgement=True,
    )
    from clinic.plans.models import Goal

    Goal.objects.filter(version=draft).update(progress="much", progress_evidence="More")
    draft.refresh_from_db()
    sign_version(version=draft, by=therapist)
    acknowledge(version=draft, client=person, typed_name="Typed Name 5t5t")
    text = text_of(as_user(therapist).post(url(couple_case), {"purpose": "continuity", "version": "3"}).content)
    assert "Safety first" in text and "SAFETY-PLAN-1x1x" in text and "Joint work paused until reviewed" in text
    assert f"acknowledged by {person.display_name}" in text and "Typed Name 5t5t" in text


def test_making_it_is_a_recorded_disclosure_of_each_partner(as_user, therapist, couple_case, plan):
    as_user(therapist).post(url(couple_case), {"purpose": "supervision", "version": "2"})
    events = AuditEvent.objects.filter(action=Action.PDF_GENERATED, detail__report="treatment_plan")
    assert events.count() == 2
    assert {e.target_id for e in events} == {str(plan[1].code)}
    assert all(set(e.detail) == {"purpose", "report", "version"} for e in events)


def test_the_purpose_is_asked_first(as_user, therapist, couple_case, plan):
    response = as_user(therapist).post(url(couple_case), {"version": "2"})
    assert response["Content-Type"].startswith("text/html")
    assert "every PDF is a disclosure" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.PDF_GENERATED).exists()


def test_an_admin_may_make_it(as_user, admin_user, couple_case, plan):
    response = as_user(admin_user).post(url(couple_case), {"purpose": "continuity", "version": "2"})
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["colleague", "supervisor", "client_user", "outsider"])
def test_anyone_else_gets_404(request, as_user, couple_case, plan, who):
    http = as_user(request.getfixturevalue(who))
    assert http.get(url(couple_case)).status_code == 404
    assert http.post(url(couple_case), {"purpose": "continuity", "version": "2"}).status_code == 404


def test_wrong_method(as_user, therapist, couple_case, plan):
    assert as_user(therapist).put(url(couple_case)).status_code == 405


def test_without_a_signed_plan_the_page_says_so(as_user, therapist, couple_case):
    response = as_user(therapist).get(url(couple_case))
    assert response.status_code == 200 and 'id="no-signed-plan"' in response.content.decode()
    response = as_user(therapist).post(url(couple_case), {"purpose": "continuity", "version": "1"})
    assert response["Content-Type"].startswith("text/html")


def test_the_case_page_links_to_it(as_user, therapist, couple_case):
    page = as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert url(couple_case) in page
