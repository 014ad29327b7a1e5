"""A questionnaire in Spanish is the same questionnaire: same items, values and scoring, other words."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import assessments.catalogue  # noqa: F401
from assessments.framework import registry, score
from assessments.models import Screening
from assessments.screenings import assign, submit
from assessments.translations import localized, problems, translations
from clinic.clients.models import Client

INSTRUMENTS = list(registry)
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]
# Texts, which differ by language by design; every other part of a result is compared.
TEXT_KEYS = {"title", "band_label"}


def without_texts(value):
    if isinstance(value, dict):
        return {k: without_texts(v) for k, v in value.items() if k not in TEXT_KEYS}
    if isinstance(value, list):
        return [without_texts(v) for v in value]
    return value


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: f"{i.key}-v{i.version}")
def test_every_questionnaire_has_a_whole_translation_with_a_review_note(instrument, language):
    translation_ = translations.get(instrument, language)
    assert translation_ is not None, f"{instrument.key} v{instrument.version} has no {language} wording"
    assert problems(instrument, translation_) == []
    assert translation_.text_version >= 1 and "review" in translation_.review.lower()
    shown = localized(instrument, language)
    # Same key, version, items in the same order, same values, same bands: only the words differ.
    assert (shown.key, shown.version) == (instrument.key, instrument.version)
    assert [(i.id, i.domain, i.scale, i.reversed, i.danger) for i in shown.items] == [
        (i.id, i.domain, i.scale, i.reversed, i.danger) for i in instrument.items
    ]
    assert [s.values for s in shown.scales] == [s.values for s in instrument.scales]
    assert [(b.key, b.lower, b.upper) for b in shown.bands] == [(b.key, b.lower, b.upper) for b in instrument.bands]
    assert all(a.text != b.text for a, b in zip(shown.items, instrument.items, strict=True) if len(a.text) > 12)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: f"{i.key}-v{i.version}")
def test_the_same_answers_score_identically_in_every_language(instrument, language):
    shown = localized(instrument, language)

    @hypothesis_settings(max_examples=150, deadline=None)
    @given(
        st.fixed_dictionaries(
            {item.id: st.sampled_from(instrument.scale(item.scale).values) for item in instrument.items}
        )
    )
    def check(answers):
        assert without_texts(score(instrument=shown, answers=answers)) == without_texts(
            score(instrument=instrument, answers=answers)
        )

    check()


@pytest.mark.django_db
@given(st.fixed_dictionaries({item.id: st.sampled_from((0, 1, 2, 3, 4)) for item in registry.latest("power").items}))
@hypothesis_settings(max_examples=15, deadline=None)
def test_a_screening_sent_in_spanish_stores_exactly_the_english_scores_and_its_language(answers):
    from clinic.accounts.models import Role
    from tests.factories import make_case, make_user

    case = make_case(therapist=make_user(Role.THERAPIST), kind="individual")
    client = case.clients.get()
    power = registry.latest("power")
    values = {i.id: (answers[i.id] - 2 if i.scale == "who" else answers[i.id]) for i in power.items}
    screening = assign(client=client, key="power")
    Screening.objects.filter(pk=screening.pk).update(answers=values)
    screening.refresh_from_db()
    with translation.override("es"):
        submit(screening=screening)
    screening.refresh_from_db()
    assert screening.scores == score(instrument=power, answers=values)
    assert (screening.language, screening.text_version) == ("es", 1)


@pytest.mark.django_db
def test_a_spanish_client_answers_in_spanish_and_the_therapist_reads_both_wordings(
    as_user, person, client_user, therapist, couple_case
):
    Client.objects.filter(pk=person.pk).update(language="es")
    screening = assign(client=person, key="safety")
    page = as_user(client_user).get(reverse("questions", kwargs={"code": screening.code})).content.decode()
    assert "¿Le tiene miedo a su pareja?" in page and "Are you afraid of your partner?" not in page
    assert "Nunca" in page and "Sí" in page
    answers = {item.id: "0" for item in registry.latest("safety").items}
    as_user(client_user).post(reverse("questions", kwargs={"code": screening.code}), answers)
    screening.refresh_from_db()
    assert screening.is_submitted and screening.language == "es" and screening.scores["level"] == "none"
    url = reverse(
        "screening_result", kwargs={"case_code": couple_case.code, "client_code": person.code, "code": screening.code}
    )
    result = as_user(therapist).get(url).content.decode()
    assert "Answered in Español" in result
    assert "¿Le tiene miedo a su pareja?" in result and "Are you afraid of your partner?" in result
    assert '<td lang="es">No</td>' in result


def test_the_public_self_check_asks_in_spanish_at_its_spanish_address(client, db):
    with translation.override("es"):
        url = reverse("self_check")
    page = client.get(url).content.decode()
    assert "Mi pareja revisa mi teléfono, mis mensajes o mis cuentas." in page
    assert "My partner checks my phone" not in page
