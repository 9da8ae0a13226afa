"""A caisse that publishes a whole theme: its page draws the charts a person can see, and each other chart as
it nears the window, for the selection on screen."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route, expect

from dashboard import ids
from dashboard.panels.theme_page import EAGER_CHARTS
from tests.browser.conftest import SERVER_START_SECONDS
from tests.browser.test_accessibility import assert_accessible
from tests.helpers import Server, served, server_env, whole_theme_data
from tests.servers import free_port

pytestmark = pytest.mark.browser

PAGE = "/canaux?annee=2024&departements=21"
WAITING = "#page-content .chart-lazy"
CARDS = "#page-content .chart-card"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on a store whose one caisse published every indicator of the contact channels."""
    workdir = tmp_path_factory.mktemp("whole-theme-server")
    env = server_env(workdir / "store.sqlite3", free_port())
    env["TDB_DATA_DIR"] = str(whole_theme_data(workdir / "data", "canaux_contact"))
    log = workdir / "server.log"
    with served([sys.executable, "app.py"], env, log, seconds=SERVER_START_SECONDS) as base_url:
        yield Server(base_url, log)


def _title(page: Page, card_index: int) -> str:
    """The chart title a place is waiting for (its frame's words name it)."""
    text = page.locator(CARDS).nth(card_index).get_attribute("data-loading") or ""
    return text.removeprefix("Chargement du graphique : ")


def _export_name(page: Page, card_index: int) -> str:
    graph = page.locator(CARDS).nth(card_index).locator(".js-plotly-plot")
    return str(graph.evaluate("g => g.layout.meta.export_filename"))


def test_charts_out_of_sight_are_drawn_as_they_near_the_window(session, ui) -> None:
    page = session.open(PAGE)
    cards = page.locator(CARDS).count()
    assert cards > 20
    drawn = page.locator(f"{CARDS} .gtitle").count()
    assert EAGER_CHARTS <= drawn < cards  # what the window shows, and a screen below it
    assert page.locator(WAITING).count() == cards - drawn

    last = cards - 1
    title = _title(page, last)
    page.locator(CARDS).nth(last).scroll_into_view_if_needed()
    expect(page.locator(CARDS).nth(last).locator(".gtitle")).to_have_text(re.compile(re.escape(title[:20])))
    ui.settle(page)
    assert page.locator(f"{CARDS} .gtitle").count() > drawn
    assert re.fullmatch(r"canaux-de-contact_cpam-21_2024_.*", _export_name(page, last))
    assert_accessible(page, "graphiques dessinés à l'approche de la fenêtre")
    assert session.watch.console_errors == []
    assert session.watch.page_errors == []


def test_a_place_printed_before_it_is_reached_prints_its_sentence_not_its_frame(session) -> None:
    page = session.open(PAGE)
    place = page.locator(WAITING).last
    frame = "p => getComputedStyle(p, '::before').display"
    assert place.evaluate(frame) == "flex"  # on screen: the grey frame and its words
    summary = place.inner_text()
    page.emulate_media(media="print")
    try:
        assert place.evaluate(frame) == "none"
        assert place.inner_text() == summary
        assert "CPAM de la Côte-d'Or" in summary
    finally:
        page.emulate_media(media="screen")


def test_a_filter_change_draws_the_waiting_charts_for_the_new_selection(session, ui) -> None:
    page = session.open(PAGE)
    first_waiting = page.locator(CARDS).nth(EAGER_CHARTS)
    first_waiting.scroll_into_view_if_needed()
    expect(first_waiting.locator(".gtitle")).to_be_visible()
    assert re.fullmatch(r"canaux-de-contact_cpam-21_2024_.*", _export_name(page, EAGER_CHARTS))

    # The store holds back the renderer's resets that change nothing (assets/dash_resets.js).
    assert page.evaluate("() => window.store.dispatch.skipsEmptyResets === true")
    ui.choose_option(page, ids.YEAR, "2023")
    expect(page.locator(".page-subtitle")).to_contain_text("2023")
    ui.settle(page)
    # Every chart drawn now, the one in the window included, shows the new year; none is left blank.
    names = page.eval_on_selector_all(
        f"{CARDS}:not(.chart-lazy) .js-plotly-plot", "gs => gs.map(g => g.layout.meta.export_filename)"
    )
    assert len(names) > EAGER_CHARTS
    assert all(re.fullmatch(r"canaux-de-contact_cpam-21_2023_.*", name) for name in names), names
    last = page.locator(CARDS).count() - 1
    page.locator(CARDS).nth(last).scroll_into_view_if_needed()
    expect(page.locator(CARDS).nth(last).locator(".gtitle")).to_be_visible()
    assert re.fullmatch(r"canaux-de-contact_cpam-21_2023_.*", _export_name(page, last))
    assert session.watch.page_errors == []


def test_an_answer_overtaken_by_a_filter_change_finds_no_place(session, ui) -> None:
    page = session.open(PAGE)
    held: list[Route] = []
    holding = [True]

    def hold_waiting_charts(route: Route) -> None:
        if holding[0] and b"figure-wanted" in (route.request.post_data_buffer or b""):
            held.append(route)  # answered only after the filter change below
        else:
            route.continue_()

    page.route("**/_dash-update-component*", hold_waiting_charts)
    wanted = page.locator(WAITING).first.get_attribute("data-wanted") or ""
    place = page.locator(f"[data-wanted='{wanted}']")
    with page.expect_request(lambda r: b"figure-wanted" in (r.post_data_buffer or b"")):
        place.scroll_into_view_if_needed()  # asked for: its answer is held

    ui.choose_option(page, ids.YEAR, "2023")
    expect(page.locator(".page-subtitle")).to_contain_text("2023")
    expect(place).to_have_count(0)  # the 2024 place is gone
    assert held
    holding[0] = False
    for route in held:
        route.continue_()  # the late answers for 2024
    ui.settle(page)
    names = page.eval_on_selector_all(
        f"{CARDS} .js-plotly-plot", "gs => gs.map(g => g.layout.meta.export_filename)"
    )
    assert len(names) > EAGER_CHARTS
    assert all("_2023_" in name for name in names), names
    assert session.watch.page_errors == []
