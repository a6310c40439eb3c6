"""A real Chromium (Debian's, driven by Playwright) on the playground of a real server over HTTP.

Every page a test opens records console errors, uncaught exceptions, failed requests and error
responses; the test fails on any it did not say it expects (`page_log.expect(status, path)`).
Screenshots go to one directory for the session ($MYNAH_SCREENSHOTS, or a temporary one), printed
at the start and the end of the run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # the Transcribe page's recorder gets a fake microphone and no permission prompt
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module: Playwright's sync API keeps an event loop running on this thread
    while it is open, which would break `asyncio.run` in whatever test this worker runs next."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """$MYNAH_SCREENSHOTS when set (pytest keeps only its last three temporary directories, and
    other runs on the machine rotate them away), else a temporary directory."""
    chosen = os.environ.get("MYNAH_SCREENSHOTS")
    directory = Path(chosen) if chosen else tmp_path_factory.mktemp("playground-screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    print(f"\nplayground screenshots: {directory}")
    yield directory
    print(f"\nplayground screenshots: {directory}")


@dataclass
class PageLog:
    problems: list[str] = field(default_factory=list)
    expected: list[tuple[int, str]] = field(default_factory=list)

    def expect(self, status: int, path: str) -> None:
        """An error response the test causes on purpose (and its console line)."""
        self.expected.append((status, path))

    def _expected(self, status: int, url: str) -> bool:
        return any(status == s and url.split("?")[0].endswith(p) for s, p in self.expected)

    def unexpected(self) -> list[str]:
        problems = []
        for problem in self.problems:
            kind, _, rest = problem.partition(" ")
            if kind == "response":
                status, _, url = rest.partition(" ")
                if self._expected(int(status), url):
                    continue
            if kind == "console" and "Failed to load resource" in rest:
                statuses = {s for s, _ in self.expected}
                if any(f"status of {s} " in rest for s in statuses):
                    continue
            problems.append(problem)
        return problems


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def open_page(browser: Browser, url: str, log: PageLog, **context: Any) -> Page:
    page = browser.new_context(**context).new_page()
    page.on("console", lambda m: m.type == "error" and log.problems.append(f"console {m.text}"))
    page.on("pageerror", lambda e: log.problems.append(f"pageerror {e}"))
    page.on("requestfailed", lambda r: log.problems.append(f"requestfailed {r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and log.problems.append(f"response {r.status} {r.url}"))
    page.goto(url)
    return page


@pytest.fixture
def playground(browser: Browser, live_server: Any, page_log: PageLog) -> Iterator[Page]:
    """The playground of the shared live server (no API key), in a desktop-sized window."""
    page = open_page(browser, live_server.url + "/", page_log, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()
    assert page_log.unexpected() == []
