"""The plan pages, the case page's plan card and the dashboard's plans due keep a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.plans.models import PlanAcknowledgement, PlanVersion, Progress
from clinic.plans.planning import sign_version, start_review
from clinic.plans.views import case_plan_context
from tests.factories import make_case
from tests.plans.plan_pages import signed_plan, url

pytestmark = pytest.mark.django_db


def build(therapist, scale: int):
    """A couple's plan: 4 x scale shared goals, scale goals per partner, scale reviews, both partners acknowledged."""
    case = make_case(therapist=therapist)
    partners = list(case.clients.order_by("memberships__id"))
    version = signed_plan(case, therapist, goals=4 * scale, partners=partners * scale)
    for _ in range(scale):
        review = start_review(plan=version.plan, by=therapist)
        review.goals.update(progress=Progress.SOME, progress_evidence="A line of evidence")
        PlanVersion.objects.filter(pk=review.pk).update(ask_acknowledgement=True)
        review.refresh_from_db()
        sign_version(version=review, by=therapist)
        version = review
    for client in partners:
        PlanAcknowledgement.objects.create(version=version, client=client, typed_name=client.full_name)
    return case, version


def count(http, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert http.get(path).status_code == 200
    return len(queries.captured_queries)


def test_plan_detail_and_old_versions_at_1x_and_10x(as_user, therapist, django_assert_num_queries):
    http = as_user(therapist)
    small, _ = build(therapist, 1)
    large, _ = build(therapist, 10)
    for name, kw in [("plan_detail", {}), ("plan_version", {"number": 2})]:
        small_count = count(http, url(name, small, **kw))
        with django_assert_num_queries(small_count):
            http.get(url(name, large, **kw))


def test_plan_edit_at_1x_and_10x(as_user, therapist, django_assert_num_queries):
    http = as_user(therapist)
    small, _ = build(therapist, 1)
    large, _ = build(therapist, 10)
    for case in (small, large):
        http.post(url("plan_review_start", case))
        http.get(url("plan_edit", case))  # reads the "review started" message once
    small_count = count(http, url("plan_edit", small))
    with django_assert_num_queries(small_count):
        http.get(url("plan_edit", large))


def test_the_case_page_plan_card(therapist, django_assert_num_queries):
    small, _ = build(therapist, 1)
    large, _ = build(therapist, 10)
    with CaptureQueriesContext(connection) as queries:
        case_plan_context(case=small, user=therapist)
    with django_assert_num_queries(len(queries.captured_queries)):
        card = case_plan_context(case=large, user=therapist)["plan_card"]
    assert card["signed"].number == 11 and card["draft"] is None
