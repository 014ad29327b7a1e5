"""Browser tests: Playwright driving Debian's Chromium against a live server."""

import shutil
from pathlib import Path

import pytest

from tests.reports.conftest import first_page_png  # noqa: F401 - a PDF's first page as a PNG, for browser tests too

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # No background traffic: this machine has no network beyond loopback.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _quick_failures(page):
    # A missing element should fail in seconds, not the default 30.
    page.set_default_timeout(8000)


@pytest.fixture
def screenshot(page):
    """screenshot(name[, on=page]) saves the page under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _take(name: str, on=None, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        (on or page).screenshot(path=str(path), full_page=full_page)
        return path

    return _take


@pytest.fixture
def assert_accessible(page):
    """Run axe-core on the current page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(on=None) -> None:
        target = on or page
        violations = axe.run(target).response["violations"]
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        details = "; ".join(f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in bad)
        assert not bad, f"axe found on {target.url}: {details}"

    return _check
