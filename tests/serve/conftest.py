"""Fixtures for the page's tests: a server on a scratch copy of facts/, and a page in headless Chromium.

The browser is Debian's Chromium, driven by Playwright with ``executable_path``; a machine
without it fails these tests (in CI and elsewhere) rather than skipping them.  Every request
the page makes to anywhere but 127.0.0.1 is blocked and recorded, so the tests run offline.
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from workreport.serve.document import FactsDocument
from workreport.serve.server import make_server

from .browser import MISSING, chromium_path


def start(facts: Path):
    """A server for ``facts`` on a free port, serving from a thread."""
    server = make_server(FactsDocument(facts), 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture
def served(facts_dir: Path):
    """A running server for a scratch copy of facts/2016.yaml."""
    server = start(facts_dir / "2016.yaml")
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system, for the whole session."""
    path = chromium_path()
    if path is None:
        pytest.fail(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


class Tab:
    """A page with what it tried to reach off this machine and what it logged as errors."""

    def __init__(self, page):
        self.page = page
        self.blocked: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    def open(self, server) -> None:
        """Load the page and wait for its first check to be on screen."""
        self.page.goto(server.url)
        self.wait_checked(1)

    def checked(self) -> int:
        return int(self.page.locator("body").get_attribute("data-checked") or 0)

    def wait_checked(self, at_least: int) -> None:
        """Wait until the page has shown the results of ``at_least`` checks."""
        self.page.wait_for_function("n => Number(document.body.dataset.checked || 0) >= n", arg=at_least)

    def field(self, key: str):
        """The input of the field with dotted key ``key``."""
        return self.page.locator(f"[id='f-{key}']")

    def findings(self, key: str):
        return self.page.locator(f"[id='m-{key}'] .finding")

    def change(self, key: str, value: str) -> None:
        """Type a new value into a field and wait for the check it starts to be shown."""
        before = self.checked()
        self.field(key).fill(value)
        self.wait_checked(before + 1)
        self.settle()

    def settle(self) -> None:
        """Wait until no check is on its way (a change during a check starts one more)."""
        self.page.wait_for_function("() => !document.body.dataset.busy")


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    yield Tab(context.new_page())
    context.close()
