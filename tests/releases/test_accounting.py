"""The accounting of disclosures on the client record: what was released and what was withheld, never content."""

from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.notes.models import TherapySession
from tests.releases.flow import confirm, download, prepare, summary_url
from tests.reports.conftest import CONJOINT, NEVER, OWN


def test_the_record_page_lists_each_release_with_its_counts_only(
    as_user, therapist, couple_case, person, couple_record
):
    http = as_user(therapist)
    release = prepare(
        http,
        summary_url(couple_case, person),
        {"purpose": "legal", "notes": "full", "recipient_name": "County Court"},
    )
    own = TherapySession.objects.get(note__content__assessment="OWN-INDIVIDUAL-2m2m")
    http.post(
        reverse("release_redact", kwargs={"code": release.code}),
        {
            "part": f"note:{own.code}:assessment",
            "passage": "OWN-INDIVIDUAL-2m2m",
            "reason": "Not relevant to the court",
        },
    )
    confirm(http, release)
    download(http, release)
    page = http.get(reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}))
    section = BeautifulSoup(page.content, "html.parser").find("section", attrs={"aria-labelledby": "disclosures-h"})
    row = " ".join(section.find("tbody").find("tr").get_text(" ").split())
    assert "Legal or required by law" in row
    assert "released to County Court after review: 0 joint-session notes included, 2 withheld, 1 redaction" in row
    text = section.get_text()
    for marker in (*OWN, *CONJOINT, *NEVER, "Not relevant to the court"):
        assert marker not in text


def test_a_prepared_release_is_not_yet_a_disclosure(as_user, therapist, couple_case, person, record):
    http = as_user(therapist)
    prepare(http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries"})
    page = http.get(reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}))
    section = BeautifulSoup(page.content, "html.parser").find("section", attrs={"aria-labelledby": "disclosures-h"})
    assert section.find("tbody").get_text(strip=True) == "None."
