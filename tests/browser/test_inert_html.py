"""Markup coming from data is shown as text, never run: labels, caisse names, sources, comments.

The server of this module runs on a store and référentiel poisoned on purpose: an indicator label and a
caisse name (data files) and the sources and comments of imported figures carry <script>, <img onerror>,
<iframe> and javascript: links that would set ``window.__pwned`` if a browser ever interpreted them. The
pages must show those characters as text (in cards, tables, chart titles, axis labels and hover labels)
and run none of it, under the app's Content-Security-Policy, without a console error.
"""

from __future__ import annotations

import csv
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import ROOT, Server, served, server_env
from tests.servers import free_port

pytestmark = pytest.mark.browser

DATA = ROOT / "dashboard" / "data"
START_SECONDS = 90.0

LABEL = "Demandes <img src=x onerror=\"window.__pwned='label'\"> <b>gras</b>"
CAISSE = "CPAM de la Côte-d'Or <script>window.__pwned='caisse'</script>"
SOURCE = (
    "Rapport <img src=x onerror=\"window.__pwned='source'\"> "
    "<a href=\"javascript:window.__pwned='lien'\">lien</a>"
)
COMMENT = "<iframe src=\"javascript:window.__pwned='commentaire'\"></iframe>"

# Runs in the server process: point the catalog and référentiel loaders at the poisoned copies, fill the
# store (embedded figures, then poisoned ones), then start app.py as usual.
WRAPPER = textwrap.dedent(
    """
    import runpy, sys
    from pathlib import Path
    from dashboard.data import referentiel, shipped_catalog

    indicators, caisses, poisoned = (Path(p) for p in sys.argv[1:4])
    shipped_catalog.load_catalog.__defaults__ = (indicators, shipped_catalog.THEMES_FILE)
    referentiel.load_referentiel.__defaults__ = (referentiel.DEPARTEMENTS_FILE, caisses)

    from dashboard.data.context import open_data
    from dashboard.data.importer import import_bytes
    from dashboard.settings import Settings

    data = open_data(Settings.from_env())
    report = import_bytes(
        data.store, poisoned.read_bytes(), poisoned.name, catalog=data.catalog,
        referentiel=data.referentiel, auteur="test", max_bytes=10**6,
    )
    assert report.status == "importe", [str(i) for i in report.issues]
    data.store.dispose()
    sys.argv = ["app.py"]
    runpy.run_path("app.py", run_name="__main__")
    """
)


def _rewrite(source: Path, target: Path, key: str, value: str, column: str, new: str) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row[key] == value:
            row[column] = new
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Overrides the shared server for this module: the app on poisoned data, on a free loopback port."""
    folder = tmp_path_factory.mktemp("poisoned")
    _rewrite(DATA / "indicators.csv", folder / "indicators.csv", "code", "demandes_total", "libelle", LABEL)
    _rewrite(DATA / "caisses.csv", folder / "caisses.csv", "id", "cpam-21", "nom", CAISSE)
    poisoned = folder / "poison.csv"
    with poisoned.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["departement", "caisse", "annee", "indicateur", "valeur", "source", "commentaire"])
        writer.writerow(["21", "cpam-21", "2024", "demandes_total", "3 872 394", SOURCE, COMMENT])
        writer.writerow(["21", "cpam-21", "2024", "appels_3646_recus", "191 580", SOURCE, COMMENT])
        # A second year, so that the page draws a chart (a single number is a card, not a chart).
        writer.writerow(["21", "cpam-21", "2023", "demandes_total", "3 800 000", SOURCE, COMMENT])
    env = server_env(folder / "store.sqlite3", free_port())
    command = [
        sys.executable,
        "-c",
        WRAPPER,
        str(folder / "indicators.csv"),
        str(folder / "caisses.csv"),
        str(poisoned),
    ]
    log = folder / "server.log"
    with served(command, env, log, seconds=START_SECONDS) as base_url:
        yield Server(base_url, log)


NOTHING_RAN = """() => ({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    images: document.querySelectorAll('img[src="x"], [onerror]').length,
    frames: document.querySelectorAll('iframe').length,
    // A JSON data block (Dash's config) is never executed; any other script holding the text would be.
    scripts: Array.from(document.scripts)
        .filter((s) => s.type !== 'application/json' && s.textContent.includes('__pwned')).length,
    links: document.querySelectorAll('a[href^="javascript:"]').length,
    bold: Array.from(document.querySelectorAll('#page-content b, #page-content svg [style*="bold"]'))
        .filter((el) => el.textContent.trim() === 'gras').length,
})"""


def _assert_inert(page: Page) -> None:
    assert page.evaluate(NOTHING_RAN) == {
        "pwned": None,
        "images": 0,
        "frames": 0,
        "scripts": 0,
        "links": 0,
        "bold": 0,
    }


def _svg_text(page: Page) -> str:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('#page-content .chart-graph svg text'))"
        ".map((t) => t.textContent).join(' | ')"
    )


def test_theme_page_shows_markup_from_data_as_text_in_cards_tables_and_charts(session) -> None:
    page = session.open("/canaux?annee=2024&departements=21")

    _assert_inert(page)
    content = page.locator("#page-content")
    expect(content).to_contain_text("<b>gras</b>")
    expect(content).to_contain_text("<script>window.__pwned='caisse'</script>")
    expect(content).to_contain_text("<img src=x onerror=")
    svg = _svg_text(page)
    # Chart titles (wrapped, so the label's end may be cut), axis labels and source lines: the characters.
    assert "<img src=" in svg
    assert "window.__pwned='label'\">" in svg
    assert "<script>window.__pwned='caisse'</script>" in svg
    assert "<a" in svg
    assert "lien</a>" in svg
    assert session.watch.console_errors == []
    assert session.watch.page_errors == []


def test_hover_label_shows_the_caisse_name_with_its_markup_as_text(session) -> None:
    page = session.open("/canaux?annee=2024&departements=21")
    bars = page.locator("#page-content .chart-graph .bars .point path")
    heights = bars.evaluate_all("paths => paths.map((p) => p.getBoundingClientRect().height)")
    bar = bars.nth(next(i for i, h in enumerate(heights) if h > 1))  # a drawn bar, not an empty slot
    bar.scroll_into_view_if_needed()
    bar.hover(force=True)
    hover = page.locator("#page-content .hoverlayer .hovertext").first
    expect(hover).to_contain_text("<script>window.__pwned='caisse'</script>")
    _assert_inert(page)


def test_data_page_and_overview_show_sources_and_comments_as_text(session) -> None:
    data = session.open("/donnees?annee=2024&departements=21")
    expect(data.locator("#page-content")).to_contain_text(
        "<a href=\"javascript:window.__pwned='lien'\">lien</a>"
    )
    expect(data.locator("#page-content")).to_contain_text("<iframe src=")
    _assert_inert(data)

    overview = session.open("/?annee=2024&departements=21")
    expect(overview.locator("#page-content")).to_contain_text("<b>gras</b>")
    _assert_inert(overview)
    assert session.watch.console_errors == []
    assert session.watch.outside_requests == []
