import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic.lib.charts import Bar, bar_chart
from clinic.reports.pdf import BASE_URL, RefusedURL, StaticOnlyFetcher, render_html, render_pdf

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def page_html(body: str) -> str:
    head = f'<link rel="stylesheet" href="{BASE_URL}static/reports/print.css">'
    return f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>T</title>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/tracker.png",
        "https://example.org/x.css",
        f"{BASE_URL}static/../../../etc/passwd",
        f"{BASE_URL}media/secret.pdf",
        "ftp://example.org/x",
    ],
)
def test_the_fetcher_refuses_files_and_the_network(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_apps_static_files_and_data_uris():
    css = StaticOnlyFetcher().fetch(f"{BASE_URL}static/reports/print.css")
    assert b"@page" in css.read()
    data = StaticOnlyFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"


def test_markup_that_slips_through_cannot_read_local_files(tmp_path, caplog):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4471")
    body = f'<h1>Report</h1><iframe src="file://{secret}"></iframe><img src="file://{secret}"><img src="http://example.org/x.png">'
    pdf = render_pdf(html=page_html(body), title="Escape test", author="Tester")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Report" in text and "TOP-SECRET-4471" not in text


def test_a_rendered_report_has_pages_metadata_text_and_a_chart(db, settings):
    html = render_html(
        template="reports/_base.html",
        context={"practice_name": "Riverside Practice"},
        title="Sample summary",
    )
    chart = bar_chart([Bar("Decision-making", (62.5,), highlight=True), Bar("Money", (20.0,))], title="Domain scores")
    html = html.replace("</body>", f"<h1>Sample summary</h1><h2>Scores</h2><figure>{chart}</figure></body>")
    pdf = render_pdf(html=html, title="Sample summary", author="Fulcrum")
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Confidential" in text and "Page 1 of 1" in text and "Riverside Practice" in text
    assert "Decision-making" in text
    assert reader.metadata.title == "Sample summary"
    assert reader.metadata.author == "Fulcrum"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "sample-report.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(ARTIFACTS / "sample-report.pdf"),
                str(ARTIFACTS / "sample-report"),
            ],
            check=True,
        )
        assert (ARTIFACTS / "sample-report-1.png").stat().st_size > 1000
