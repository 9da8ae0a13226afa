"""Browser fixtures: the real app served from a subprocess on loopback, and the system Chromium.

The server runs ``python app.py`` on a free port of 127.0.0.1 with a temporary SQLite store, which fills
itself with the embedded figures on first start. One Chromium serves the whole session; each test gets
its own context (its own cookies, cache and history), so tests never share state through the browser.

Nothing here sleeps: every wait is on a condition (an HTTP answer, a DOM state, Dash's callback queue).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from dashboard import ids
from dashboard.data.shipped_catalog import load_catalog
from tests.helpers import Server, chromium_path, served, server_env
from tests.page_ready import CHROMIUM_ARGS, SETTLED_JS
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}
LABELS = {indicator.code: indicator.libelle for indicator in load_catalog()}
SERVER_START_SECONDS = 90.0  # first start imports the embedded files and warms the app up
WAIT_MS = 20_000  # a page with plotly.js on a busy 2-core machine; the usual wait is 1–3 s
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

expect.set_options(timeout=WAIT_MS)


def normalise(text: str) -> str:
    """Text as compared in assertions: every run of whitespace (no-break spaces too) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def spaced(text: str) -> re.Pattern[str]:
    """A pattern matching the text whatever its spaces (ordinary, no-break, narrow no-break)."""
    return re.compile(r"^\s*" + r"\s+".join(re.escape(word) for word in text.split()) + r"\s*$")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``python app.py`` on a free loopback port with a fresh SQLite store; stopped at the end."""
    workdir = tmp_path_factory.mktemp("browser-server")
    env = server_env(workdir / "store.sqlite3", free_port())
    log = workdir / "server.log"
    with served([sys.executable, "app.py"], env, log, seconds=SERVER_START_SECONDS) as base_url:
        yield Server(base_url, log)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, for the whole session."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """The system Chromium (Playwright's own download does not work offline)."""
    launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@dataclass
class Watch:
    """What a browser context did that a test may forbid: console errors, page errors, outside requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        """Keep console messages of type error."""
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: PlaywrightError) -> None:
        """Keep uncaught exceptions of the page."""
        self.page_errors.append(str(error))

    def on_request(self, request: Request) -> None:
        """Keep every request that leaves the machine."""
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.outside_requests.append(request.url)

    def watch(self, page: Page) -> None:
        """Listen to a page's console and errors (requests are watched on the whole context)."""
        page.on("console", self.on_console)
        page.on("pageerror", self.on_page_error)


@dataclass
class Session:
    """A browser context on the app, with helpers to open pages and drive the filter bar."""

    server: Server
    context: BrowserContext
    watch: Watch

    def new_page(self) -> Page:
        """A new tab of this context, watched."""
        page = self.context.new_page()
        self.watch.watch(page)
        return page

    def open(self, path: str, page: Page | None = None) -> Page:
        """Open a path (or a full address) and wait until the page is settled."""
        page = page or self.new_page()
        page.goto(path if path.startswith("http") else self.server.url(path))
        settle(page)
        return page


def settle(page: Page) -> None:
    """Wait until Dash has run every callback and the page shows its content."""
    page.wait_for_function(SETTLED_JS, timeout=WAIT_MS)


def _new_session(browser: Browser, server: Server) -> Session:
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    watch = Watch()
    context.on("request", watch.on_request)
    return Session(server, context, watch)


@pytest.fixture
def session(browser: Browser, server: Server) -> Iterator[Session]:
    """A fresh browser context for one test."""
    created = _new_session(browser, server)
    yield created
    created.context.close()


@pytest.fixture
def new_session(browser: Browser, server: Server) -> Iterator[Callable[[], Session]]:
    """Make more independent contexts in one test (a second person, a pasted link in another browser)."""
    made: list[Session] = []

    def make() -> Session:
        created = _new_session(browser, server)
        made.append(created)
        return created

    yield make
    for created in made:
        created.context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder of the screenshots (git-ignored), created on demand."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def open_page(session: Session) -> Callable[[str], Page]:
    """``open_page(path)``: a new tab of the test's context on that path, settled."""
    return session.open


class Ui:
    """What a person reads on a page and does with the filter bar (tests get it as the ``ui`` fixture)."""

    normalise = staticmethod(normalise)
    spaced = staticmethod(spaced)
    settle = staticmethod(settle)

    # Reading.

    @staticmethod
    def card_values(page: Page) -> dict[str, str]:
        """Every key-figure card of the page: indicator code → shown value (one line per caisse, joined)."""
        values: dict[str, Any] = page.eval_on_selector_all(
            ".kpi-card",
            "cards => Object.fromEntries(cards.map(c => [c.dataset.indicator,"
            " Array.from(c.querySelectorAll('.kpi-value, .kpi-by-caisse li'))"
            ".map(e => e.textContent).join(' | ')]))",
        )
        return {code: normalise(text) for code, text in values.items()}

    @staticmethod
    def expect_unpublished(page: Page, code: str) -> None:
        """No card for a key figure nobody chosen published: its name is in the « non publiés » line."""
        expect(page.locator(f'.kpi-card[data-indicator="{code}"]')).to_have_count(0)
        expect(page.locator("#page-content .unpublished-line").first).to_contain_text(LABELS[code])

    @staticmethod
    def expect_card(page: Page, code: str, text: str) -> None:
        """Wait until a card reads that text (no-break spaces compared as spaces)."""
        expect(page.locator(f'[data-indicator="{code}"] .kpi-value')).to_have_text(spaced(text))

    @staticmethod
    def dropdown_text(page: Page, control_id: str) -> str:
        """What a filter shows as its value (« 2024 », « 21 — Côte-d'Or, 85 — Vendée »).

        A year is a native select (its chosen option); a list of checkboxes shows its choice on its button.
        """
        text: str = page.evaluate(
            """(id) => {
                const shown = document.getElementById(id + '-value');
                if (shown) return shown.textContent;
                const select = document.getElementById(id);
                const option = select && select.selectedOptions && select.selectedOptions[0];
                return option ? option.textContent : '';
            }""",
            control_id,
        )
        return normalise(text)

    @staticmethod
    def filter_state(page: Page) -> tuple[str, str, str]:
        """Year, comparison year and départements as the filter bar shows them."""
        return (
            Ui.dropdown_text(page, ids.YEAR),
            Ui.dropdown_text(page, ids.COMPARISON),
            Ui.dropdown_text(page, ids.DEPARTEMENTS),
        )

    @staticmethod
    def expect_filters(page: Page, year: str, comparison: str, departements: str) -> None:
        """Wait until the filter bar shows these values."""
        expect(page.locator(f"#{ids.YEAR} option:checked")).to_have_text(spaced(year))
        expect(page.locator(f"#{ids.COMPARISON} option:checked")).to_have_text(spaced(comparison))
        expect(page.locator(f"#{ids.DEPARTEMENTS_VALUE}")).to_have_text(spaced(departements))

    @staticmethod
    def focused(page: Page) -> dict[str, str]:
        """The element that has the keyboard focus: its id, its text, the text of its label."""
        found: dict[str, str] = page.evaluate(
            """() => {
                const el = document.activeElement;
                const label = el && el.labels && el.labels[0];
                return {
                    id: (el && el.id) || '',
                    text: ((el && el.textContent) || '').trim(),
                    label: label ? label.textContent.trim() : '',
                };
            }"""
        )
        return found

    @staticmethod
    def wait_focus(page: Page, *, selector: str = "", label: str = "") -> None:
        """Wait until the focus is on an element matching the selector, or on the field so labelled."""
        page.wait_for_function(
            """([selector, label]) => {
                const el = document.activeElement;
                if (!el) return false;
                if (selector) return el.matches(selector);
                return !!el.labels && !!el.labels[0] && el.labels[0].textContent.trim() === label;
            }""",
            arg=[selector, label],
        )

    # Doing, with the mouse.

    @staticmethod
    def choose_option(page: Page, control_id: str, label: str) -> None:
        """Pick an option of a year filter (a native select) by its text."""
        control = page.locator(f"#{control_id}")
        control.select_option(label=label)
        expect(control.locator("option:checked")).to_have_text(label)

    @staticmethod
    def toggle_departement(page: Page, code: str, label: str) -> None:
        """Tick or untick a département, found by its code with the list's search field."""
        if not page.locator(f"#{ids.DEPARTEMENTS}-panel").is_visible():
            page.locator(f"#{ids.DEPARTEMENTS}-open").click()
        page.locator(f"#{ids.DEPARTEMENTS_SEARCH}").fill(code)
        page.get_by_role("checkbox", name=label, exact=True).click()

    @staticmethod
    def close_dropdown(page: Page, control_id: str) -> None:
        """Close an open list of checkboxes with Escape."""
        page.keyboard.press("Escape")
        expect(page.locator(f"#{control_id}-panel")).to_be_hidden()

    @staticmethod
    def switch_departement(page: Page, old: tuple[str, str], new: tuple[str, str]) -> None:
        """Replace one département by another: tick the new one first (the selection is never empty)."""
        Ui.toggle_departement(page, *new)
        expect(page).to_have_url(re.compile(rf"departements=[^&]*{new[0]}"))
        settle(page)
        Ui.toggle_departement(page, *old)
        expect(page).to_have_url(re.compile(rf"departements={new[0]}(&|$)"))
        Ui.close_dropdown(page, ids.DEPARTEMENTS)
        settle(page)


@pytest.fixture
def ui() -> Ui:
    """Helpers to read the page and drive the filter bar."""
    return Ui()
