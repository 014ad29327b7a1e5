import io

import pytest
from django.core.management import CommandError, call_command

from clinic.accounts.models import Role, User


def test_it_creates_the_first_admin_with_a_checked_password(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("tidal-basin-forty-lanterns\n"))
    call_command("create_admin", "boss", "--email", "boss@example.org", "--password-stdin")
    user = User.objects.get(username="boss")
    assert (user.role, user.email) == (Role.ADMIN, "boss@example.org")
    assert user.check_password("tidal-basin-forty-lanterns")


def test_it_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("create_admin", "boss", "--email", "boss@example.org", "--password-stdin")
    assert not User.objects.filter(username="boss").exists()
