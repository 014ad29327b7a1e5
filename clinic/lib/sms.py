"""Text messages, through a backend chosen in settings (SMS_BACKEND), as Django does for email.

A provider plugs in as a class with `send_messages(messages) -> int` (the number
sent); nothing else in the project changes. The backends here are for the demo
and tests: ConsoleBackend prints, FileBackend appends to a file per process
(SMS_FILE_PATH), LocmemBackend keeps them in `outbox`.

A text message is short and may be read by anyone who picks up the phone:
callers pass neutral text only (clinic.lib.neutral checks it in tests).
"""

import json
import os
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

# The messages LocmemBackend has sent, like django.core.mail.outbox.
outbox: list["TextMessage"] = []


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str
    sent_at: str = field(default_factory=lambda: timezone.now().isoformat())


class BaseBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send_messages(self, messages: list[TextMessage]) -> int:
        for message in messages:
            sys.stdout.write(f"Text message to {message.to}:\n{message.body}\n{'-' * 40}\n")
        sys.stdout.flush()
        return len(messages)


class FileBackend(BaseBackend):
    """One JSON line per message in SMS_FILE_PATH/<pid>.jsonl (several workers never share a file)."""

    _lock = threading.Lock()

    def send_messages(self, messages: list[TextMessage]) -> int:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        with self._lock, open(folder / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as out:
            for message in messages:
                out.write(json.dumps(asdict(message)) + "\n")
            out.flush()
            os.fsync(out.fileno())
        return len(messages)


class LocmemBackend(BaseBackend):
    def send_messages(self, messages: list[TextMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def send_text(*, to: str, body: str) -> int:
    """Send one text message by the configured backend to a stored number; 1 when it went, 0 for no number."""
    from clinic.lib.phones import dialable

    number = dialable(to)
    if not number:
        return 0
    backend = import_string(settings.SMS_BACKEND)()
    return backend.send_messages([TextMessage(to=number, body=body)])


def read_file_outbox(folder: str | Path) -> list[dict]:
    """Every message FileBackend wrote under `folder` (for tests and the demo)."""
    found = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        found += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return found
