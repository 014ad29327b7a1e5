"""Signing in as a person does it in the browser: the name, the password, and for staff the code."""

from django.urls import reverse

from tests.factories import PASSWORD, current_code, make_device


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def staff_sign_in(page, base: str, user) -> None:
    """Name and password, then the code from a new authenticator of `user`."""
    device = make_device(user)
    sign_in(page, base, user.username)
    page.get_by_label("Code").fill(current_code(device))
    page.keyboard.press("Enter")
