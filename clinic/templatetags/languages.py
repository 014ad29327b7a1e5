"""Words kept in another language than the page's are marked as such, so a screen reader reads them right."""

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html

register = template.Library()


@register.filter
def in_language(text: str, language: str):
    """`text` as it is, wrapped in a `lang` span when `language` is not the page's (a document signed in English,
    shown on a Spanish page)."""
    page = (translation.get_language() or "en").split("-")[0]
    if not language or language.split("-")[0] == page:
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', language, text)
