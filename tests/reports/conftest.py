import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def first_page_png():
    """first_page_png(name, pdf_bytes): keep the PDF and a PNG of its first page under test-artifacts/ to look at."""

    def _save(name: str, pdf: bytes) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        pdf_path = ARTIFACTS / f"{name}.pdf"
        pdf_path.write_bytes(pdf)
        png = ARTIFACTS / name
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(png)],
                check=True,
            )
        return png.with_suffix(".png")

    return _save
