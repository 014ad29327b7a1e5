import pytest

from clinic.lib.mentions import clinical_words, fold, name_forms, names_in


def test_folding_ignores_case_accents_apostrophes_and_spacing():
    assert fold("  JOSÉ\u2019s\tScore ") == "jose's score"
    assert fold("Lucía Morales Peña") == "lucia morales pena"
    assert fold("Straße") == "strasse"


@pytest.mark.parametrize(
    "text",
    ["Jo's score falls", "JO'S SCORE", "jo\u2019s score", "Score: Jo.", "(Jo) and the score", "Mary-Jo's score"],
)
def test_a_name_is_found_as_a_whole_word_in_any_case(text):
    assert names_in(text, name_forms("Jo"))


@pytest.mark.parametrize("text", ["A joke about the score", "Johanna's score", "Jojo's score", "enjoy the score"])
def test_a_name_inside_another_word_is_not_the_name(text):
    assert not names_in(text, name_forms("Jo"))


def test_accents_do_not_hide_a_name_either_way():
    assert names_in("Jose's questionnaire", name_forms("José Ruiz"))
    # "é" typed as one character or as "e" and a combining accent; letters typed full-width.
    assert names_in("Jose\u0301's questionnaire", name_forms("Jos\u00e9 Ruiz"))
    assert names_in("\uff2a\uff4f's score", name_forms("Jo"))
    assert names_in("JOSÉ's questionnaire", name_forms("Jose Ruiz"))
    assert names_in("la puntuación de lucia", name_forms("Lucía Morales Peña"))


def test_each_word_of_a_full_name_counts_but_not_its_particles_or_initials():
    forms = name_forms("María de la Cruz", "")
    assert {"maria de la cruz", "maria", "cruz"} <= forms
    assert not forms & {"de", "la", ""}
    assert "j" not in name_forms("J. Rivera")
    # A hyphenated name counts whole and by its parts; a preferred name counts whatever its length.
    assert {"anne-marie", "anne", "marie"} <= name_forms("Anne-Marie Dubois")
    assert "al" in name_forms("Alan Smith", "Al")


def test_clinical_words_are_found_in_english_and_spanish_without_accents():
    assert clinical_words("Jo's money SCORE eased after the questionnaire") == ["score", "questionnaire"]
    assert clinical_words("Bajó la puntuación del cuestionario de Lucía") == ["puntuacion", "cuestionario"]
    assert clinical_words("An open flag; a warning sign was recorded") == ["flag", "warning sign"]


def test_everyday_words_are_not_clinical():
    assert clinical_words("Make one household decision a week together, with both views heard first") == []
    assert clinical_words("Screen time on Sundays; a scoreless game") == []
