"""A partner never sees what was assigned to the other, their check-ins, or that they exist (marker strings)."""

import pytest
from django.urls import reverse

from clinic.plans.exercises import draft_of, save_checkin
from tests.plans.practice_helpers import an_exercise, assign_to, sent_checkin

pytestmark = pytest.mark.django_db

MARKERS = ("Quillmarker title", "Quillmarker personal words", "Quillmarker sent lines", "Quillmarker draft lines")


@pytest.fixture
def theirs(couple_case, person, therapist):
    """Partner A's (client_user's) assignment, with a sent check-in and a draft, each holding a marker."""
    exercise = an_exercise(title=MARKERS[0], instructions="Quillmarker instructions")
    assignment = assign_to(couple_case, person, by=therapist, exercise=exercise, personal_note=MARKERS[1])
    sent_checkin(assignment, tried="partly", text=MARKERS[2], worse=True)
    save_checkin(checkin=draft_of(assignment), tried="yes", text=MARKERS[3], made_things_worse=False)
    return assignment


@pytest.fixture
def own(couple_case, partner, therapist):
    """Partner B's own assignment of another exercise."""
    return assign_to(couple_case, partner, by=therapist, exercise=an_exercise(title="Notice one kind word"))


def pages_of_b(own) -> list[str]:
    return [
        reverse("client_home"),
        reverse("my_practice", kwargs={"code": own.code}),
        reverse("account"),
        reverse("contact_choices"),
        reverse("sharing_home"),
        reverse("sharing_new"),
        reverse("intake_start"),
        reverse("safety_page"),
        reverse("password_change"),
    ]


def test_partner_b_gets_404_for_everything_of_partner_a(as_user, partner_user, theirs, own):
    http = as_user(partner_user)
    for url in (reverse("my_practice", kwargs={"code": theirs.code}),):
        assert http.get(url).status_code == 404
        assert http.post(url, {"tried": "yes", "text": "from B"}).status_code == 404
    autosave = reverse("checkin_autosave", kwargs={"code": theirs.code})
    assert http.post(autosave, {"tried": "yes", "text": "from B"}).status_code == 404
    draft = draft_of(theirs)
    assert draft.text == MARKERS[3] and not theirs.checkins.filter(text="from B").exists()


def test_no_page_partner_b_opens_holds_a_word_of_partner_a(as_user, partner_user, theirs, own):
    http = as_user(partner_user)
    seen = []
    for url in pages_of_b(own):
        response = http.get(url, follow=True)
        assert response.status_code == 200, url
        seen.append((url, response.content.decode()))
    # B's own check-in and its answers (including the help page after "made things worse").
    draft = draft_of(own)
    saved = http.post(
        reverse("checkin_autosave", kwargs={"code": own.code}), {"text": "B's words", "version": draft.revision}
    )
    seen.append(("autosave", saved.content.decode()))
    sent = http.post(
        reverse("my_practice", kwargs={"code": own.code}),
        {"tried": "yes", "text": "B's words", "made_things_worse": "on", "version": draft.revision + 1},
        follow=True,
    )
    assert "Help and support" in sent.content.decode()
    seen.append(("sent", sent.content.decode()))
    seen.append(("after", http.get(reverse("my_practice", kwargs={"code": own.code})).content.decode()))
    home = seen[0][1]
    assert home.count("Something to try this week") == 1, "B's own item only: A's is not counted either"
    for where, html in seen:
        for marker in (*MARKERS, "Quillmarker", str(theirs.code)):
            assert marker not in html, f"{marker!r} on {where}"
