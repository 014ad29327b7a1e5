"""Start-up checks of settings that a client reads."""

from django.conf import settings
from django.core.checks import Warning, register

from clinic.lib.neutral import unneutral_words


@register()
def practice_name_is_neutral(app_configs, **kwargs) -> list:
    # The practice's name is its own and may be right to keep; it is in every client page's header,
    # so a word there that names the care is worth a warning (titles are refused outright in settings).
    words = unneutral_words(settings.PRACTICE_NAME)
    if not words:
        return []
    return [
        Warning(
            f"PRACTICE_NAME {settings.PRACTICE_NAME!r} contains {', '.join(repr(w) for w in words)}, "
            "which anyone glancing at a client's screen or inbox can read.",
            hint="Consider a neutral form of the name for PRACTICE_NAME.",
            id="fulcrum.W001",
        )
    ]
