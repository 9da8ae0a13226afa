"""axe-core (WCAG 2.1 A and AA rules) on every page and in the states a person reaches, at 1366 px.

A serious or critical violation fails the test, naming the rule, its help text and the nodes it found.
The pages are read from the application's own page table, and the charts from what each page shows,
so a page or a chart added later is checked without editing this file. Every page is also captured at
1366 and at 1920 px in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from dashboard import ids
from dashboard.data.shipped_catalog import load_catalog
from dashboard.panels import PANELS, committee, theme_page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "test-artifacts" / "axe"
AXE = Axe()
# The rules of the RGAA 4.1 reference: WCAG 2.1 levels A and AA.
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
COLD_START_MS = 120_000
WIDE = {"width": 1920, "height": 1080}
NARROW = {"width": 1366, "height": 768}
EDITOR = "editrice-a11y"
EDITOR_PASSWORD = "un mot de passe assez long"
EDITOR_ROLE = ("--role", "editor", "--password-stdin")

# Every page of the page table, the theme pages of the main menu (rows of the themes' table; those of the
# « Autres thèmes » menu are found in the navigation), plus the pages served outside Dash: the sign-in form
# and an unknown address.
PAGE_PATHS = [panel.PAGE.path for panel in PANELS if panel.PAGE.path and panel is not theme_page]
PAGE_PATHS[1:1] = [t.chemin for t in sorted(load_catalog().themes, key=lambda t: t.ordre) if t.menu]
PAGE_PATHS += ["/connexion", "/nimporte-quoi"]


@pytest.fixture(scope="module", autouse=True)
def warm_server(browser: Any, server: Any) -> None:
    """One visit first: the server's first page builds its caches, slow on a busy machine."""
    context = browser.new_context(viewport=NARROW, locale="fr-FR")
    page = context.new_page()
    page.goto(server.url("/"))
    expect(page.locator("#page-content .page-subtitle")).not_to_be_empty(timeout=COLD_START_MS)
    context.close()


def blocking_violations(page: Page, state: str) -> list[str]:
    """Serious and critical violations of the page as it is now: rule, impact, help, then each node.

    Every violation, whatever its impact, is also written to ``test-artifacts/axe/`` (one JSON file per
    state: rule, impact, count of nodes), the raw material of the accessibility statement.
    """
    results = AXE.run(page, options=AXE_OPTIONS)
    REPORTS.mkdir(parents=True, exist_ok=True)
    summary = [
        {"rule": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
        for v in results.response["violations"]
    ]
    report = {"state": state, "url": page.url, "violations": summary}
    (REPORTS / f"{slug(state)}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        nodes = "\n".join(
            f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}\n"
            f"      {' '.join(node.get('failureSummary', '').split())[:300]}"
            for node in violation["nodes"][:8]
        )
        more = len(violation["nodes"]) - 8
        found.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} nœuds)"
            f" — {violation['help']}\n" + nodes + (f"\n    … et {more} autres" if more > 0 else "")
        )
    return found


def assert_accessible(page: Page, state: str) -> None:
    """Fail with every serious or critical violation of the page, named."""
    found = blocking_violations(page, state)
    assert not found, f"axe-core, {state} :\n" + "\n".join(found)


def capture(page: Page, screenshots: Path, name: str) -> None:
    """Full-page screenshots at 1366 and 1920 px; the page is left at 1366 px."""
    page.screenshot(path=screenshots / f"{name}-1366.png", full_page=True)
    page.set_viewport_size(WIDE)
    page.wait_for_function("w => window.innerWidth === w", arg=WIDE["width"])
    page.screenshot(path=screenshots / f"{name}-1920.png", full_page=True)
    page.set_viewport_size(NARROW)
    page.wait_for_function("w => window.innerWidth === w", arg=NARROW["width"])


def slug(path: str) -> str:
    """The screenshot name of a path."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "vue-d-ensemble"


def open_any(session: Any, path: str) -> Page:
    """Open a page; those served outside Dash (sign-in) have no callbacks to wait for."""
    if path == "/connexion":
        page = session.new_page()
        page.goto(session.server.url(path))
        expect(page.locator("h1")).to_be_visible()
        return page
    return session.open(path)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_has_no_serious_violation(session, screenshots, path: str) -> None:
    page = open_any(session, path)
    assert_accessible(page, f"page {path}")
    capture(page, screenshots, f"a11y-{slug(path)}")


def test_other_themes_page_has_no_serious_violation(session, screenshots) -> None:
    home = session.new_page()
    home.goto(session.server.url("/"))
    # The « Autres thèmes » menu is filled for the selection: wait for its links.
    expect(home.locator('a[href^="/autres/"]').first).to_be_attached()
    hrefs = home.eval_on_selector_all(
        'a[href^="/autres/"]', "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs, "no « Autres thèmes » page is linked from the navigation"
    path = hrefs[0].split("?")[0]
    page = session.open(path, page=home)
    assert_accessible(page, f"page {path}")
    capture(page, screenshots, f"a11y-{slug(path)}")


def test_open_navigation_menu_has_no_serious_violation(session) -> None:
    page = session.open("/canaux?annee=2024&departements=21")
    navigation = page.get_by_role("navigation").first
    # Whatever the menu is made of (a button or a disclosure), it is the control that says « Autres thèmes ».
    opener = navigation.get_by_text("Autres thèmes", exact=True).first
    opener.click()
    expect(navigation.locator('a[href*="/autres/"]').first).to_be_visible()
    assert_accessible(page, "menu « Autres thèmes » ouvert")


def test_open_filter_lists_have_no_serious_violation(session, screenshots) -> None:
    page = session.open("/canaux?annee=2024&departements=21,85")
    # The years are native selects (their open list belongs to the browser); the lists of checkboxes
    # are the page's own. Two départements show the caisses' list too.
    for control in (ids.DEPARTEMENTS, ids.CAISSES):
        opener = page.locator(f"#{control}-open")
        opener.click()
        expect(page.locator(f"#{control}-panel")).to_be_visible()
        assert_accessible(page, f"liste {control} ouverte")
        page.screenshot(path=screenshots / f"a11y-{control}-ouverte.png")
        page.keyboard.press("Escape")
        expect(page.locator(f"#{control}-panel")).to_be_hidden()


def test_chart_data_and_export_menu_open_have_no_serious_violation(session, screenshots) -> None:
    page = session.open("/canaux?annee=2024&departements=21")
    card = page.locator(".chart-card").first
    card.locator("summary.chart-details-summary, .chart-details > summary").first.click()
    expect(card.locator(".chart-data table")).to_be_visible()
    card.locator(".export-more > summary").click()
    expect(card.locator(".export-more ul")).to_be_visible()
    assert_accessible(page, "données d'un graphique et « Autres formats » ouverts")
    card.screenshot(path=screenshots / "a11y-carte-graphique-ouverte.png")


def test_committee_page_preparing_a_dossier_has_no_serious_violation(session, screenshots) -> None:
    page = session.open("/comite?annee=2024&departements=21")
    page.get_by_role("button", name="Rapport PDF", exact=False).first.click()
    # Whatever the export reaches first (progress, ready, or a French refusal), the status speaks.
    expect(page.locator(f"#{committee.STATUS}")).not_to_be_empty()
    assert_accessible(page, "/comite, dossier en préparation")
    capture(page, screenshots, "a11y-comite-en-preparation")


def test_presentation_mode_has_no_serious_violation(session) -> None:
    page = session.open("/presentation?annee=2024&departements=21")
    assert_accessible(page, "mode présentation")
    page.keyboard.press("ArrowRight")
    assert_accessible(page, "mode présentation, deuxième écran")


@pytest.fixture
def editor_account(server) -> str:
    """An editor account in the browser server's store (created once, the command is idempotent here)."""
    env = {**os.environ, "TDB_DATABASE_URL": f"sqlite:///{server.log.parent / 'store.sqlite3'}"}
    listed = subprocess.run(
        [sys.executable, "-m", "dashboard", "users", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    if EDITOR not in listed.stdout:
        subprocess.run(
            [sys.executable, "-m", "dashboard", "users", "add", EDITOR, *EDITOR_ROLE],
            cwd=ROOT,
            env=env,
            input=EDITOR_PASSWORD + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
    return EDITOR


def test_import_preview_has_no_serious_violation(session, screenshots, editor_account: str) -> None:
    page = session.new_page()
    page.goto(session.server.url("/connexion?suivant=/import"))
    page.get_by_label("Nom d'utilisateur").fill(editor_account)
    page.get_by_label("Mot de passe").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name=re.compile("connecter", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/import"))
    session.open(page.url, page=page)
    assert_accessible(page, "/import, éditeur connecté")

    sample = sorted((ROOT / "data").glob("*.csv"))[0]
    page.locator(f"#{ids.UPLOAD} input[type=file]").set_input_files(sample)
    expect(page.locator(f"#{ids.UPLOAD_REPORT}")).not_to_be_empty()
    page.get_by_text(re.compile("Aperçu|inchangé|nouveau", re.IGNORECASE)).first.wait_for()
    assert_accessible(page, "/import, aperçu d'un fichier")
    capture(page, screenshots, "a11y-import-apercu")


def test_a_chart_shows_a_placeholder_not_empty_axes_while_its_figure_loads(session, screenshots, ui) -> None:
    page = session.new_page()
    held: list[Any] = []
    releasing = []

    def hold_figures(route: Any) -> None:
        # The charts' callback is held back; the page's other callbacks (its layout first) go through.
        if not releasing and '"type":"figure"' in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/_dash-update-component"), hold_figures)
    with page.expect_request(lambda request: '"type":"figure"' in (request.post_data or "")):
        page.goto(session.server.url("/comparer?annee=2024&departements=21"))
    loading = page.locator("#page-content .chart-loading").first
    expect(loading).to_be_visible()
    expect(loading).to_contain_text("Chargement du graphique")
    expect(page.locator("#page-content .chart-graph").first).to_be_hidden()
    first_card = page.locator("#page-content .chart-card").first
    first_card.screenshot(path=screenshots / "a11y-graphique-en-chargement.png")
    assert held, "the charts' callback was never sent"

    releasing.append(True)
    for route in held:
        route.continue_()
    ui.settle(page)
    expect(page.locator("#page-content .chart-loading").first).to_be_hidden()
    expect(page.locator("#page-content .chart-graph .gtitle").first).to_be_visible()
    assert page.locator("#page-content .chart-loading:visible").count() == 0
