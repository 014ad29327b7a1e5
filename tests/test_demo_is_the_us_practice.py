"""The demo is the Los Angeles practice: a demo client in danger is told to call 911."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.models import RiskFlag
from clinic.clients.models import Client
from clinic.lib.phones import normalize_phone
from intake.models import Inquiry
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

US_FICTIONAL = re.compile(r"^\(\d{3}\) 555-01\d{2}$")


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def test_the_demo_client_in_danger_is_told_to_call_911(client, demo):
    jo = Client.objects.get(user__username="client1")
    assert RiskFlag.objects.filter(client=jo, severity="urgent").exists()
    help_page = text_of(sign_in(client, demo["users"]["client1"]).get(reverse("safety_page")))
    assert "If you are in danger now, call 911." in help_page
    assert "988" in help_page and "1-800-799-7233" in help_page
    assert "999" not in help_page


def test_the_demo_check_in_says_911(client, demo):
    casey = Client.objects.get(user__username="client5")
    screening = casey.screenings.open().get(instrument_key="safety")
    page = text_of(sign_in(client, demo["users"]["client5"]).get(reverse("questions", kwargs={"code": screening.code})))
    assert "If you are in danger now, call 911." in page and "999" not in page


def test_the_demo_s_phone_numbers_are_fictional_us_numbers(demo):
    numbers = [c.phone for c in Client.objects.exclude(phone="")]
    numbers += [c.intake.answers["emergency"]["phone"] for c in Client.objects.filter(intake__isnull=False)]
    numbers += [i.contact_value for i in Inquiry.objects.filter(contact_method__in=["phone", "text"])]
    assert numbers
    for number in numbers:
        assert US_FICTIONAL.match(number), number
        assert normalize_phone(number) == number
