"""Start-up checks of settings that a client reads, and of what the URL map declares."""

from collections.abc import Iterator

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

from clinic.lib.logs import NOT_SECRET, SECRET, URL_PARAMETERS
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


def url_routes(resolver: URLResolver, prefix: str = "", converters: dict | None = None) -> Iterator[tuple[str, dict]]:
    """Every address of the URL map: its route as composed (includes joined, without the language prefix)
    and the converter of each of its parameters (None for a regular expression's group)."""
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            here, found = "", {}
        elif isinstance(pattern, RoutePattern):
            here, found = str(pattern), dict(pattern.converters)
        else:  # a regular expression: each of its groups is a parameter
            here, found = str(pattern), dict.fromkeys(pattern.regex.groupindex)
            found.update({f"group {n}": None for n in range(len(found) + 1, pattern.regex.groups + 1)})
        route, known = prefix + here, {**(converters or {}), **found}
        if isinstance(entry, URLResolver):
            yield from url_routes(entry, route, known)
        else:
            yield route, known


def undeclared_url_parameters(resolver: URLResolver) -> list[str]:
    """What clinic.lib.logs.URL_PARAMETERS misses (a parameter neither an int nor a uuid that is not
    declared a secret or not) or still lists (a route or parameter the URL map no longer has)."""
    problems, routes = [], {}
    for route, converters in url_routes(resolver):
        routes[route] = converters
        declared = URL_PARAMETERS.get(route, {})
        for name, converter in converters.items():
            if name in declared or type(converter) in (IntConverter, UUIDConverter):
                continue
            problems.append(f"<{name}> of {route!r} is not declared a secret or not")
    for route, declared in URL_PARAMETERS.items():
        for name, kind in declared.items():
            if route not in routes or name not in routes[route]:
                problems.append(f"<{name}> of {route!r} is declared but the URL map has no such parameter")
            elif kind is not SECRET and kind is not NOT_SECRET:
                problems.append(f"<{name}> of {route!r} is declared {kind!r}, neither SECRET nor NOT_SECRET")
    return problems


@register(Tags.urls)
def url_parameters_are_declared(app_configs, **kwargs) -> list:
    # A secret in an address is cut from the logs only if it is declared; a new one must be decided on.
    return [
        Error(
            problem,
            hint="Declare it in clinic.lib.logs.URL_PARAMETERS: SECRET (cut from every log line) or NOT_SECRET.",
            id="fulcrum.E001",
        )
        for problem in undeclared_url_parameters(get_resolver())
    ]


# Mail backends that write each message, invitation and password links included, where the logs go.
WRITES_MAIL_TO_THE_LOG = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


@register(Tags.security, deploy=True)
def mail_stays_out_of_the_log(app_configs, **kwargs) -> list:
    if settings.EMAIL_BACKEND not in WRITES_MAIL_TO_THE_LOG:
        return []
    return [
        Warning(
            f"EMAIL_BACKEND {settings.EMAIL_BACKEND!r} writes every message, with its invitation or password "
            "link, into the process's output or a file, where anyone reading the logs can use the link.",
            hint="Send mail through SMTP (the default); the console backend is for the local demo.",
            id="fulcrum.W002",
        )
    ]
