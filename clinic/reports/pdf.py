"""PDF rendering with WeasyPrint, fetching nothing but the app's own static files and data: URIs.

User-entered text is escaped by the templates; the fetcher is the second
wall: even markup that slipped through cannot read local files or reach the
network while a PDF is rendered.
"""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in report templates resolve against this; nothing is ever fetched from it.
BASE_URL = "https://fulcrum.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves `static/` files of this app and data: URIs; refuses every other URL."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            relative = url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0]
            if ".." not in Path(relative).parts:
                found = finders.find(relative)
                if found:
                    path = Path(found)
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise RefusedURL(f"Refused to fetch {url[:80]!r} while rendering a PDF.")


def render_html(*, template: str, context: dict, title: str) -> str:
    return render_to_string(template, {**context, "pdf_title": title})


def render_pdf(*, html: str, title: str, author: str) -> bytes:
    """A tagged PDF (PDF/UA) of `html`, with its title and author in the document's metadata."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    rendered = document.render()
    rendered.metadata.title = title
    rendered.metadata.authors = [author]
    rendered.metadata.created = timezone.now().isoformat(timespec="seconds")
    return rendered.write_pdf(pdf_variant="pdf/ua-1")
