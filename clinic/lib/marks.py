"""A marker for texts that belong in the translation catalogue but are translated where they are shown.

`makemessages` finds texts passed to a function named `gettext_noop`. Django's own cannot be used in
modules that settings.py imports (the practice's country, the session check-in's rules): loading Django's
translation machinery while the settings are being read made a broken configuration pass
`manage.py check` unnoticed (tests/test_security_headers.py).
"""


def gettext_noop(text: str) -> str:
    return text
