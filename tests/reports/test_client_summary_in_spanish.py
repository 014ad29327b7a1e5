"""A client summary PDF in the client's language: staff choose it, the client's own comes first."""

from clinic.audit.models import Action, AuditEvent
from tests.releases.flow import pdf_text, summary_url


def spanish(person):
    person.language = "es"
    person.save(update_fields=["language"])
    return person


def test_the_form_proposes_the_clients_language(as_user, therapist, couple_case, person):
    spanish(person)
    page = as_user(therapist).get(summary_url(couple_case, person)).content.decode()
    assert 'name="language"' in page
    assert '<option value="es" selected>Español</option>' in page


def test_a_summary_in_spanish_speaks_spanish_and_keeps_what_staff_wrote(
    as_user, therapist, couple_case, person, record, first_page_png
):
    spanish(person)
    response = as_user(therapist).post(
        summary_url(couple_case, person), {"purpose": "continuity", "notes": "summaries"}
    )
    assert response["Content-Type"] == "application/pdf"
    first_page_png("client-summary-es", response.content)
    text = pdf_text(response.content)
    for words in (
        "Resumen del cliente",
        "INTERNO: PARA EL EQUIPO QUE ATIENDE",  # set in capitals by the style sheet
        "Confidencial",
        "Página 1 de",
        "Lo principal de la admisión",
        "Cuestionarios",
        "Señales de alerta y alertas de riesgo",
        "Sesiones y notas",
        "finalidad: Continuidad de la atención",
        "Reparar",
        "Firmada por",
    ):
        assert words in " ".join(text.split()), words
    for english in ("Intake highlights", "Warning signs and risk flags", "Sessions and notes", "Signed by", "Page 1"):
        assert english not in text
    # What staff wrote is kept as written: the summary's note text and the warning sign.
    assert "OWN-SIGN-1a2b" in text and "CONJOINT-NOTE-5c5c" in text
    # The record of the disclosure says which language it was made in.
    event = AuditEvent.objects.filter(action=Action.PDF_GENERATED).latest("pk")
    assert event.detail["language"] == "es"


def test_staff_may_make_it_in_english_for_a_spanish_client(as_user, therapist, couple_case, person, record):
    spanish(person)
    response = as_user(therapist).post(
        summary_url(couple_case, person), {"purpose": "continuity", "notes": "summaries", "language": "en"}
    )
    text = pdf_text(response.content)
    assert "Intake highlights" in text and "Resumen del cliente" not in text


def test_an_unknown_language_is_refused(as_user, therapist, couple_case, person):
    response = as_user(therapist).post(
        summary_url(couple_case, person), {"purpose": "continuity", "notes": "summaries", "language": "xx"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_reviewed_release_to_the_client_keeps_the_language_chosen(as_user, therapist, couple_case, person, record):
    from tests.releases.flow import confirm, download, prepare

    spanish(person)
    http = as_user(therapist)
    release = prepare(
        http, summary_url(couple_case, person), {"purpose": "client_request", "notes": "summaries", "language": "es"}
    )
    assert release.options["language"] == "es"
    confirm(http, release)
    text = pdf_text(download(http, release).content)
    assert "Resumen del cliente" in text and "Sesiones y notas" in text
    # The joint-session notes go to the client only with the other partner's authorization: the notice in Spanish.
    assert "1 nota de sesión conjunta se retiene" in " ".join(text.split())
    assert "CONJOINT-NOTE-5c5c" not in text


def test_the_pdf_says_its_language(as_user, therapist, couple_case, person, record):
    from clinic.reports.documents import client_summary_html

    spanish(person)
    html, title, _ = client_summary_html(
        case=couple_case, client=person, options={"purpose": "Continuity of care", "language": "es"}, by=therapist
    )
    assert '<html lang="es">' in html and title.startswith("Resumen del cliente")
