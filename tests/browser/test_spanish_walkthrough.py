"""Issue "Spanish for clients", done when — in the demo practice, in a real browser.

Lucía (client6), invited in Spanish, signs in at the Spanish sign-in page on a phone-sized window and does
everything that waits for her: the intake (every section, then signs it), both questionnaires, the check-in
after her session and her exercise's check-in. Every page says `lang="es"`, passes axe, is kept as a
screenshot and has no common English word left once what people wrote is taken out. Then therapist1 reads
her answers in Spanish with the English beside, and makes her client summary PDF, which is in Spanish.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

import assessments.catalogue  # noqa: F401 - the questionnaires
from assessments.framework import registry
from assessments.models import RiskFlag, Screening, SessionCheckIn
from assessments.translations import localized
from clinic.accounts.models import User
from clinic.clients.models import Client
from clinic.demo import DEMO_PASSWORD
from clinic.plans.models import CheckIn
from intake.models import Intake
from tests.factories import current_code, make_device
from tests.i18n.test_spanish_pages_say_no_english import english_left, typed_texts
from tests.releases.flow import pdf_text

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 900}

# What Lucía writes in her intake (Spanish, as she would).
ABOUT = {
    "Nombre legal completo": "Lucía Morales Peña",
    "Nombre con el que le gusta que le llamen": "Lucía",
    "Pronombres": "ella",
    "Correo electrónico": "client6@example.org",
    "Número de teléfono": "(213) 555-0106",
}
REASONS = "Discutimos mucho por el dinero y siento que mi opinión no cuenta en casa."
GOALS = "Poder decir lo que pienso sin miedo a que empiece una pelea."
CHECKIN_LINE = "Me costó hablar al principio, pero al final me sentí escuchada."
EXERCISE_LINES = "Hice la pausa dos veces el lunes; el miércoles se me olvidó."

# Her answers, by value: some imbalance toward her partner (money, voice), nothing urgent.
POWER = {
    "dec1": 1,
    "dec2": 0,
    "dec3": 2,
    "mon1": 2,
    "mon2": 3,
    "mon3": 2,
    "voi1": 1,
    "voi2": 2,
    "voi3": 3,
    "fea1": 1,
    "fea2": 1,
    "fea3": 1,
    "soc1": 1,
    "soc2": 3,
    "soc3": 1,
    "dig1": 1,
    "dig2": 0,
    "dig3": 1,
    "bou1": 3,
    "bou2": 0,
    "bou3": 1,
    "lab1": 1,
    "lab2": 1,
    "lab3": 2,
    "pre1": 2,
    "pre2": 1,
    "pre3": 2,
}
# One warning sign sometimes, two rarely, every direct question "No": no rule fires (safety_v1 RULES).
SAFETY = {"ws_recurring": 1, "ws_denial": 1, "ws_self": 0, "ws_fear": 0, "ws_conflict": 2} | {
    item.id: 0 for item in registry.get("safety", 1).items if item.scale == "yes_no"
}
CHECKIN = (7, 5, 6, 8)


@pytest.fixture
def demo(transactional_db, settings):
    settings.TASKS_BACKEND = "immediate"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())


def label_of(instrument, item, value: int) -> str:
    scale = next(s for s in instrument.scales if s.key == item.scale)
    return next(choice.label for choice in scale.choices if choice.value == value)


def answer(page, key: str, values: dict) -> None:
    """Tick each answer by its Spanish words, as Lucía reads them."""
    spanish = localized(registry.get(key, 1), "es")
    for item in spanish.items:
        page.locator(f"#q-{item.id}").get_by_label(label_of(spanish, item, values[item.id]), exact=True).check()


# What may stand wider than the phone: nothing (a page that scrolls sideways hides part of itself).
WIDER = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> ${(e.innerText || '').trim().split(/\\s+/).join(' ')}`)"""


class SpanishPages:
    """Each page Lucía sees: in Spanish, accessible, kept as a screenshot; its English words and anything wider
    than the phone are noted (and asserted at the end, so that one run lists every page's)."""

    def __init__(self, lucia: Client, screenshot, assert_accessible) -> None:
        self.lucia, self.screenshot, self.assert_accessible = lucia, screenshot, assert_accessible
        self.english: dict[str, dict[str, str]] = {}
        self.too_wide: dict[str, list[str]] = {}
        self.seen: list[str] = []

    def check(self, page, name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "es")
        self.assert_accessible(on=page)
        self.screenshot(f"es-360-{name}", on=page)
        where = f"{name} ({page.url.split('/', 3)[-1]})"
        # What people wrote (her answers, the practice's exercise words, names) is taken out first.
        lang, words = english_left(page.content(), typed_texts([self.lucia]))
        assert lang == "es", f"{where} says lang={lang!r}"
        if words:
            self.english[where] = words
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            self.too_wide[where] = page.evaluate(WIDER)
        self.seen.append(name)

    def problems(self) -> str:
        lines = [f"English on a Spanish page: {where}: {words}" for where, words in self.english.items()]
        # The same elements too wide on many pages (the header, say) are told once, with the pages' names.
        by_elements: dict[tuple, list[str]] = {}
        for where, wide in self.too_wide.items():
            by_elements.setdefault(tuple(wide), []).append(where.split(" ")[0])
        lines += [
            f"Wider than the phone ({PHONE['width']} px) on {', '.join(names)}: {list(wide)}"
            for wide, names in by_elements.items()
        ]
        return "\n".join(lines)


def next_section(page, title: str, step: int) -> None:
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page.get_by_text(f"Paso {step} de 7")).to_be_visible()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)


def staff_sign_in(page, base: str, username: str) -> None:
    user = User.objects.get(username=username)
    device = make_device(user)
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(current_code(device))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_lucia_does_everything_in_spanish_on_a_phone_and_therapist1_reads_it(
    demo, browser, page, live_server, screenshot, assert_accessible, first_page_png
):
    base = live_server.url
    lucia = Client.objects.get(user__username="client6")
    assert lucia.language == "es" and not Intake.objects.filter(client=lucia).exists()
    pages = SpanishPages(lucia, screenshot, assert_accessible)

    # The Spanish sign-in page, by its address.
    page.set_viewport_size(PHONE)
    page.goto(base + "/es/account/login/")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    pages.check(page, "sign-in")
    page.get_by_label("Nombre de usuario").fill("client6")
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    # Her home: everything waits for her, in Spanish.
    expect(page.get_by_role("heading", name="Hola, Lucía")).to_be_visible()
    tasks = page.locator("main .list-group").first
    for title in (
        "Llene sus formularios",
        "Preguntas sobre su relación",
        "Unas preguntas breves",
        "Sobre su última cita",
        "Algo para probar esta semana",
    ):
        expect(tasks.get_by_role("link", name=title)).to_be_visible()
    pages.check(page, "home")

    # The intake, section by section. A missing answer first: the message is in Spanish too.
    page.get_by_role("link", name="Llene sus formularios").click()
    next_section(page, "Sobre usted", 1)
    for label, value in ABOUT.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Nombre legal completo")).to_have_value("Lucía Morales Peña")
    pages.check(page, "intake-about-error")
    page.get_by_label("Fecha de nacimiento").fill("1991-05-17")
    expect(page.locator("#save-status")).to_contain_text("Guardado a las", timeout=5000)
    pages.check(page, "intake-about")
    page.get_by_role("button", name="Guardar y continuar").click()

    next_section(page, "Cómo podemos comunicarnos con usted", 2)
    page.get_by_label("Correo electrónico", exact=True).check()
    page.get_by_label("Horarios en que es seguro comunicarnos con usted").fill("Por las tardes, después de las 6")
    page.get_by_label("Recordatorios de sus citas").select_option(label="Por correo electrónico")
    pages.check(page, "intake-contact")
    page.get_by_role("button", name="Guardar y continuar").click()

    next_section(page, "Contacto de emergencia", 3)
    page.get_by_label("Su nombre").fill("Carmen Peña")
    page.get_by_label("De qué la conoce").fill("mi hermana")
    page.get_by_label("Su número de teléfono").fill("(213) 555-0177")
    page.get_by_label("Esta persona sabe que estoy en contacto con este consultorio").check()
    pages.check(page, "intake-emergency")
    page.get_by_role("button", name="Guardar y continuar").click()

    next_section(page, "Qué le trae aquí", 4)
    page.get_by_label("¿Qué le trae aquí en este momento?").fill(REASONS)
    page.get_by_label("¿Qué le gustaría que fuera distinto?").fill(GOALS)
    page.get_by_label("¿Ha tenido consejería o terapia antes?").select_option(label="No")
    pages.check(page, "intake-reasons")
    page.get_by_role("button", name="Guardar y continuar").click()

    next_section(page, "Su relación", 5)
    page.get_by_label("¿Cuánto tiempo llevan juntos?").fill("Seis años")
    page.get_by_label("¿Viven juntos?").select_option(label="Juntos")
    page.get_by_label("Hijos (suyos, de su pareja o de los dos) y sus edades").fill("Un hijo de cuatro años.")
    page.get_by_label("¿Quién sugirió venir aquí?").select_option(label="Yo")
    page.get_by_label("¿Cómo se toman las decisiones en casa?").fill("Casi siempre decide mi pareja.")
    pages.check(page, "intake-relationship")
    page.get_by_role("button", name="Guardar y continuar").click()

    next_section(page, "Salud e historia", 6)
    page.get_by_label("¿Le atiende alguien más por su salud o su bienestar?").fill("Solo mi médica de familia.")
    pages.check(page, "intake-health")
    page.get_by_role("button", name="Guardar y continuar").click()

    next_section(page, "Acuerdo", 7)
    expect(page.get_by_role("heading", name="Acuerdo para participar")).to_be_visible()
    page.get_by_label("He leído los dos textos de arriba y acepto participar").check()
    page.get_by_label("Escriba su nombre completo como firma").fill("Lucía Morales Peña")
    pages.check(page, "intake-agreement")
    page.get_by_role("button", name="Firmar y enviar mis formularios").click()

    expect(page.get_by_role("heading", name="Sus formularios")).to_be_visible()
    expect(page.get_by_text(REASONS)).to_be_visible()
    pages.check(page, "intake-copy")
    intake = Intake.objects.get(client=lucia)
    assert intake.is_submitted and intake.answers["reasons"]["reasons"] == REASONS
    assert intake.answers["about"]["date_of_birth"] == "1991-05-17"

    # The power questionnaire: sent too early first (the missing ones listed in Spanish), then whole.
    page.goto(base + reverse("client_home"))
    page.get_by_role("link", name="Preguntas sobre su relación").click()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    pages.check(page, "power")
    page.locator("#q-dec1").get_by_label("Más bien mi pareja", exact=True).check()
    expect(page.locator("#save-status")).to_contain_text("Guardado a las", timeout=5000)
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#q-dec1").get_by_label("Más bien mi pareja", exact=True)).to_be_checked()
    pages.check(page, "power-missing")
    answer(page, "power", POWER)
    pages.check(page, "power-answered")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.get_by_text("Gracias. Sus respuestas se enviaron a su terapeuta.")).to_be_visible()
    pages.check(page, "home-after-power")

    # The safety questionnaire: nothing urgent, so no flag and back home.
    page.get_by_role("link", name="Unas preguntas breves").click()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    answer(page, "safety", SAFETY)
    pages.check(page, "safety")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.get_by_text("Gracias. Sus respuestas se enviaron a su terapeuta.")).to_be_visible()
    power, safety = (Screening.objects.get(client=lucia, instrument_key=key) for key in ("power", "safety"))
    assert power.is_submitted and safety.is_submitted
    assert (power.language, safety.language) == ("es", "es")
    assert {k: int(v) for k, v in power.answers.items()} == POWER
    assert safety.scores["level"] == "none" and not RiskFlag.objects.filter(client=lucia).exists()

    # The check-in after her session.
    page.get_by_role("link", name="Sobre su última cita").click()
    expect(page.get_by_role("heading", name="Sobre su última cita")).to_be_visible()
    questions = page.locator("fieldset.question").all()
    assert len(questions) == len(CHECKIN)
    for fieldset, value in zip(questions, CHECKIN, strict=True):
        fieldset.locator(f"label[for$='-{value}']").click()
    page.get_by_label("¿Hay algo que le gustaría que supiera su terapeuta? (opcional)").fill(CHECKIN_LINE)
    expect(page.locator("#save-status")).to_contain_text("Guardado a las", timeout=5000)
    pages.check(page, "checkin")
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_text("Gracias. Sus respuestas le llegaron a su terapeuta.")).to_be_visible()
    checkin = SessionCheckIn.objects.get(client=lucia)
    assert checkin.is_submitted and checkin.comment == CHECKIN_LINE and checkin.mean == 6.5
    pages.check(page, "home-after-checkin")

    # Her exercise, in Spanish words, and its check-in.
    page.get_by_role("link", name="Algo para probar esta semana").click()
    expect(page.get_by_role("heading", name="Una pausa antes de responder")).to_be_visible()
    expect(page.get_by_text("cuente hasta cinco")).to_be_visible()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    page.get_by_label("En parte").check()
    page.get_by_label("Unas líneas, si quiere").fill(EXERCISE_LINES)
    expect(page.locator("#save-status")).to_contain_text("Guardado a las", timeout=5000)
    pages.check(page, "exercise")
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_text("Gracias. Su respuesta le llegó a su terapeuta.")).to_be_visible()
    expect(page.get_by_role("heading", name="Otro comentario")).to_be_visible()
    sent = CheckIn.objects.get(assignment__client=lucia, sent_at__isnull=False)
    assert (sent.tried, sent.text, sent.made_things_worse) == ("partly", EXERCISE_LINES, False)
    assert sent.assignment.language == "es"
    pages.check(page, "exercise-sent")

    # Nothing left to do.
    page.goto(base + reverse("client_home"))
    expect(page.get_by_role("heading", name="Sus tareas")).to_be_visible()
    expect(page.locator("main .list-group").first.get_by_role("link", name="Llene sus formularios")).to_have_count(0)
    for title in ("Preguntas sobre su relación", "Unas preguntas breves", "Sobre su última cita"):
        expect(page.get_by_role("link", name=title)).to_have_count(0)
    pages.check(page, "home-done")

    # therapist1, at a desk: her answers as she read them, with the English beside.
    staff = browser.new_context(viewport=LAPTOP)
    desk = staff.new_page()
    desk.set_default_timeout(8000)
    staff_sign_in(desk, base, "therapist1")
    case = lucia.cases.get()
    record = reverse("client_record", kwargs={"case_code": case.code, "client_code": lucia.code})
    desk.goto(base + record)
    expect(desk.get_by_role("heading", name="Lucía Morales Peña")).to_be_visible()
    for screening, key in ((power, "power"), (safety, "safety")):
        english, spanish = registry.get(key, 1), localized(registry.get(key, 1), "es")
        url = reverse(
            "screening_result", kwargs={"case_code": case.code, "client_code": lucia.code, "code": screening.code}
        )
        desk.goto(base + url)
        expect(desk.locator("html")).to_have_attribute("lang", re.compile("^en"))
        expect(desk.get_by_text("Answered in Español")).to_be_visible()
        expect(desk.get_by_role("columnheader", name="As the client read it")).to_be_visible()
        expect(desk.get_by_role("columnheader", name="Question (English)")).to_be_visible()
        values = POWER if key == "power" else SAFETY
        for own, item in zip(spanish.items, english.items, strict=True):
            row = desk.locator("tbody tr").filter(has_text=own.text)
            expect(row).to_have_count(1)
            cells = row.locator("td")
            expect(cells.nth(0)).to_have_text(own.text)
            expect(cells.nth(0)).to_have_attribute("lang", "es")
            expect(cells.nth(1)).to_have_text(label_of(spanish, own, values[own.id]))
            expect(cells.nth(2)).to_have_text(item.text)
            expect(cells.nth(3)).to_have_text(label_of(english, item, values[item.id]))
        assert_accessible(on=desk)
        screenshot(f"es-therapist-{key}-result-1280", on=desk)

    # Her check-ins reached the case page, as she wrote them.
    desk.goto(base + reverse("case_detail", kwargs={"code": case.code}))
    expect(desk.locator("main")).to_contain_text(EXERCISE_LINES)

    # The client summary PDF, made from the record page: the form proposes her language.
    desk.goto(base + record)
    desk.get_by_role("link", name="Make a client summary PDF").click()
    expect(desk.get_by_label("Language of the PDF")).to_have_value("es")
    desk.get_by_role("combobox", name=re.compile("^Purpose")).select_option("continuity")
    assert_accessible(on=desk)
    screenshot("es-therapist-summary-form-1280", on=desk)
    with desk.expect_download() as made:
        desk.get_by_role("button", name="Make the PDF").click()
    pdf = made.value.path().read_bytes()
    staff.close()
    assert pdf.startswith(b"%PDF")
    png = first_page_png("es-client-summary-lucia", pdf)
    text = " ".join(pdf_text(pdf).split())
    for words in ("Resumen del cliente", "Lo principal de la admisión", "Cuestionarios", "Lucía Morales Peña"):
        assert words in text, words
    for english in ("Client summary", "Intake highlights", "Questionnaires", "Page 1"):
        assert english not in text, english
    # Her own words from the intake.
    assert REASONS in text and GOALS in text
    assert png.exists()

    # Every page she saw was checked: none had English left, none scrolled sideways.
    assert len(pages.seen) == 21, pages.seen
    assert not pages.problems(), pages.problems()
