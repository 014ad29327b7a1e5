"""The client summary holds the plan in force's shared goals (under the couple-release rules) and only the client's own
individual goals, assignments and check-ins: never the other partner's (marker strings)."""

import pytest
from django.urls import reverse

from tests.releases.flow import authorize, pdf_text, release_through_review, summary_url
from tests.reports.plan_material import OWN, PARTNERS, SHARED, SUMMARY, make_plan

pytestmark = pytest.mark.django_db

GOALS_WITHHELD = "The couple's shared treatment goals are withheld until the other partner authorizes their release."


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def plan(couple_case, therapist, person, partner):
    return make_plan(case=couple_case, therapist=therapist, person=person, partner=partner)


def internal(http, case, client, notes: str, keep=None) -> str:
    response = http.post(summary_url(case, client), {"purpose": "continuity", "notes": notes}, follow=True)
    if response["Content-Type"].startswith("text/html"):  # full notes: made by the background job
        code = response.redirect_chain[-1][0].rstrip("/").split("/")[-1]
        response = http.get(reverse("report_download", kwargs={"code": code}))
    assert response["Content-Type"] == "application/pdf"
    if keep:
        keep(f"client-summary-plan-{notes}", response.content)
    return flat(pdf_text(response.content))


def assert_none_of_the_partners(text: str) -> None:
    for marker in (*PARTNERS, SUMMARY):
        assert marker not in text


@pytest.mark.parametrize("notes", ["summaries", "full"])
def test_the_internal_summary_holds_shared_goals_and_only_own_material(
    as_user, therapist, couple_case, person, plan, notes, first_page_png
):
    text = internal(as_user(therapist), couple_case, person, notes, keep=first_page_png)
    assert "INTERNAL" in text and "Treatment plan" in text and "version 2" in text
    assert SHARED[0] in text and f"{SHARED[1]} seen in session" in text and "Some progress" in text
    assert OWN[0] in text and f"{OWN[1]} seen in session" in text and OWN[2] in text
    assert (OWN[3] in text) is (notes == "full")  # check-in words with full notes only
    assert GOALS_WITHHELD not in text
    assert_none_of_the_partners(text)


def test_the_partners_summary_holds_none_of_this_clients_material(as_user, therapist, couple_case, partner, plan):
    text = internal(as_user(therapist), couple_case, partner, "full")
    assert PARTNERS[0] in text and PARTNERS[3] in text and SHARED[0] in text
    for marker in OWN:
        assert marker not in text


def test_a_release_to_the_client_withholds_shared_goals_without_the_partners_authorization(
    as_user, therapist, couple_case, person, partner, plan
):
    # An authorization covering only the joint-session notes does not cover the shared material.
    authorize(case=couple_case, by_client=partner, to_client=person, scope="conjoint_notes", recorder=therapist)
    released = release_through_review(
        as_user(therapist), summary_url(couple_case, person), {"purpose": "client_request", "notes": "full"}
    )
    text = flat(released["pdf"])
    assert "INTERNAL" not in text
    assert GOALS_WITHHELD in text and SHARED[0] not in text and SHARED[1] not in text
    assert OWN[0] in text and OWN[3] in text
    assert_none_of_the_partners(text)


@pytest.mark.parametrize("scope", ["shared_material", "both"])
def test_the_partners_authorization_of_the_shared_material_releases_the_shared_goals(
    as_user, therapist, couple_case, person, partner, plan, scope
):
    authorize(case=couple_case, by_client=partner, to_client=person, scope=scope, recorder=therapist)
    released = release_through_review(
        as_user(therapist), summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"}
    )
    text = flat(released["pdf"])
    assert GOALS_WITHHELD not in text and SHARED[0] in text and OWN[0] in text
    assert_none_of_the_partners(text)


def test_a_third_party_gets_the_shared_goals_only_under_the_chosen_authorization(
    as_user, therapist, couple_case, person, partner, plan
):
    http = as_user(therapist)
    court = authorize(case=couple_case, by_client=partner, third_party="County Court", scope="both", recorder=therapist)
    data = {"purpose": "legal", "notes": "summaries", "recipient_name": "County Court"}
    text = flat(release_through_review(http, summary_url(couple_case, person), data)["pdf"])
    assert GOALS_WITHHELD in text and SHARED[0] not in text
    text = flat(
        release_through_review(http, summary_url(couple_case, person), {**data, "authorization": court.code})["pdf"]
    )
    assert GOALS_WITHHELD not in text and SHARED[0] in text
    assert_none_of_the_partners(text)


def test_a_revoked_authorization_withholds_the_shared_goals_again(
    as_user, therapist, couple_case, person, partner, plan
):
    given = authorize(
        case=couple_case, by_client=partner, to_client=person, scope="shared_material", recorder=therapist
    )
    given.revoke(by=therapist)
    released = release_through_review(
        as_user(therapist), summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"}
    )
    assert GOALS_WITHHELD in flat(released["pdf"])


def test_the_review_page_says_what_of_the_plan_goes(as_user, therapist, couple_case, person, plan):
    from tests.releases.flow import prepare

    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    page = http.get(reverse("release_detail", kwargs={"code": release.code})).content.decode()
    assert "the couple&#x27;s shared goals are withheld" in page or "the couple's shared goals are withheld" in page
    assert OWN[0] in page and SHARED[0] not in page and PARTNERS[0] not in page


def test_an_individual_case_has_no_shared_material_to_withhold(as_user, therapist):
    from clinic.accounts.models import Role
    from clinic.clients.models import Client
    from clinic.plans.planning import sign_version, start_plan
    from tests.factories import make_case, make_user
    from tests.reports.plan_material import goal

    user = make_user(Role.CLIENT, username="solo")
    case = make_case(therapist=therapist, kind="individual", users=[user])
    client = Client.objects.get(user=user)
    version = start_plan(case=case, by=therapist)
    goal(version, "SOLO-GOAL-3g3g")
    sign_version(version=version, by=therapist)
    released = release_through_review(
        as_user(therapist), summary_url(case, client), {"purpose": "client_request", "notes": "summaries"}
    )
    text = flat(released["pdf"])
    assert "SOLO-GOAL-3g3g" in text and GOALS_WITHHELD not in text and "not yet reviewed" in text


def test_a_redacted_passage_of_an_own_goal_is_left_out(as_user, therapist, couple_case, person, plan):
    from clinic.releases.contents import build
    from clinic.releases.releasing import add_redaction
    from tests.releases.flow import confirm, download, prepare, released_text

    http = as_user(therapist)
    release = prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    contents = build(case=couple_case, client=person, options=release.options, release=release)
    (key,) = [k for k, part in contents.parts.items() if OWN[0] in part.original]
    add_redaction(release=release, part=key, passage=OWN[0], occurrence=1, reason="Third-party detail", by=therapist)
    assert confirm(http, release).status_code == 302
    text = flat(released_text(download(http, release))["pdf"])
    assert OWN[0] not in text and "Say a preference first [redacted]" in text
