"""The real URLconf plus one new address whose parameter nobody has declared a secret or not."""

from django.http import HttpResponse
from django.urls import path

from clinic.urls import handler400, handler403, handler404, handler500  # noqa: F401
from clinic.urls import urlpatterns as real


def gift(request, code: str) -> HttpResponse:
    return HttpResponse(code)


urlpatterns = [*real, path("gift/<str:code>/", gift, name="gift")]
