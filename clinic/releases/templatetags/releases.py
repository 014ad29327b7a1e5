from django import template

from clinic.releases.models import Release

register = template.Library()


@register.inclusion_tag("releases/includes/_dashboard.html", takes_context=True)
def releases_waiting(context) -> dict:
    """One COUNT query: releases waiting for this therapist's review (dashboard)."""
    return {"waiting": Release.objects.awaiting_review_by(context["request"].user).count()}
