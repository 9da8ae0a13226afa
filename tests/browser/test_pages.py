"""Every page opens cleanly, shows the published figures in French, and never turns a gap into a zero."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dashboard import ids

pytestmark = pytest.mark.browser

# Path, the h1 a person reads, a text the page must show, the screenshot's name.
PAGES = [
    ("/", "Vue d'ensemble", "Chiffres clés", "vue-d-ensemble"),
    ("/canaux", "Canaux de contact", "Graphiques", "canaux"),
    ("/teleservices", "Téléservices et compte ameli", "Chiffres clés", "teleservices"),
    ("/css", "Complémentaire santé solidaire", "Chiffres clés", "css"),
    ("/action-sociale", "Action sanitaire et sociale", "Chiffres clés", "action-sociale"),
    ("/mediation", "Médiation et CRA", "Graphiques", "mediation"),
    (
        "/autres/delais",
        "Délais et volumes de traitement des prestations",
        "Aucun chiffre publié",
        "autres-delais",
    ),
    ("/donnees", "Données", "Télécharger en CSV", "donnees"),
    ("/comparer", "Comparer", "Indicateur", "comparer"),
    ("/accessibilite", "Déclaration d'accessibilité", "RGAA", "accessibilite"),
    # An unknown address is a French page of the dashboard, never an error page.
    ("/nimporte-quoi", "Page introuvable", "L'adresse « /nimporte-quoi » ne correspond", "nimporte-quoi"),
]


# What would look broken to a reader at 1366×768: a page wider than the window, key figures not laid out
# as cards (the stylesheet once styled « cpam-* » classes no component had), a chart title running past
# the chart's right edge (long titles once did, « … feuille de soins élect »).
LAYOUT_PROBLEMS_JS = """() => {
    const problems = [];
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) problems.push(`page wider than the window: ${width} px`);
    for (const grid of document.querySelectorAll('#page-content .kpi-grid')) {
        if (getComputedStyle(grid).display !== 'grid') problems.push('key figures not laid out as cards');
    }
    for (const graph of document.querySelectorAll('#page-content .chart-graph')) {
        const frame = graph.querySelector('.main-svg').getBoundingClientRect();
        const title = graph.querySelector('.gtitle');
        const box = title.getBoundingClientRect();
        if (box.left < frame.left || box.right > frame.right) {
            problems.push(`title cut: ${title.textContent}`);
        }
    }
    return problems;
}"""


@pytest.mark.parametrize(("path", "title", "content", "name"), PAGES, ids=[p[3] for p in PAGES])
def test_every_page_opens_without_console_error_or_outside_request(
    session, screenshots, path: str, title: str, content: str, name: str
) -> None:
    log_start = len(session.server.log_text())
    page = session.open(path)

    heading = page.locator("#page-content h1")
    expect(heading).to_be_visible()
    expect(heading).to_have_text(title)
    expect(page.locator("#page-content")).to_contain_text(content)
    expect(page.get_by_role("navigation").first).to_be_visible()
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    assert page.evaluate(LAYOUT_PROBLEMS_JS) == []

    # An unknown address answers 404, which the browser reports on its console; nothing else may.
    expected = [e for e in session.watch.console_errors if name == "nimporte-quoi" and "status of 404" in e]
    assert [e for e in session.watch.console_errors if e not in expected] == []
    assert session.watch.page_errors == []
    assert session.watch.outside_requests == []
    assert "Traceback" not in session.server.log_text(since=log_start)


def test_cote_d_or_2024_shows_demandes_and_compte_ameli_share(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/canaux?annee=2024&departements=21")

    ui.expect_card(page, "demandes_total", "3 872 394")
    ui.expect_card(page, "part_demandes_compte_ameli", "95 %")

    # French typography: the thousands and the unit are separated by no-break spaces.
    def raw(code: str) -> str:
        return page.locator(f'[data-indicator="{code}"] .kpi-value').inner_text()

    assert raw("demandes_total") == "3\u00a0872\u00a0394"
    assert raw("part_demandes_compte_ameli") == "95\u00a0%"
    expect(page.locator(".page-subtitle")).to_have_text("CPAM de la Côte-d'Or — 2024")


def test_year_without_figures_says_so_once_instead_of_empty_frames(
    open_page: Callable[[str], Page], ui
) -> None:
    # Côte-d'Or published nothing for 2022, a year other caisses did publish (so it is in the year list).
    overview = open_page("/?annee=2022&comparaison=aucune&departements=21")
    assert ui.dropdown_text(overview, ids.YEAR) == "2022"
    expect(overview.locator("#page-content")).to_contain_text("Aucun chiffre publié pour cette sélection.")
    assert ui.card_values(overview) == {}
    ui.expect_unpublished(overview, "demandes_total")

    page = open_page("/canaux?annee=2022&comparaison=aucune&departements=21")
    # No card, no chart, no empty table: one sentence says why.
    assert ui.card_values(page) == {}
    expect(page.locator(".chart-graph")).to_have_count(0)
    expect(page.locator(f"#{ids.THEME_TABLE_NOTE}")).to_have_text(
        "Aucun chiffre publié sur ce thème pour CPAM de la Côte-d'Or en 2022."
    )
    expect(page.locator(f"#{ids.THEME_TABLE_WRAP}")).to_be_hidden()
    assert not re.search(r"(^|\s)0(\s|$)", ui.normalise(page.locator("#page-content").inner_text()))


def test_invalid_url_value_falls_back_with_a_notice(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=1900&departements=ZZ")

    notice = page.locator(f"#{ids.NOTICE}")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Année « 1900 » sans données : 2024 affichée à la place.")
    expect(notice).to_contain_text("Département « ZZ » inconnu : ignoré.")
    # The default view: the best-documented year and département, not an error.
    expect(page.locator("#page-content h1")).to_have_text("Vue d'ensemble")
    assert ui.filter_state(page) == ("2024", "2023", "21 — Côte-d'Or")
    ui.expect_card(page, "demandes_total", "3 872 394")
    # The address is rewritten to what is shown, so a copied link no longer carries the bad values.
    expect(page).to_have_url(re.compile(r"\?annee=2024&comparaison=2023&departements=21$"))

    # A valid choice afterwards clears the notice.
    ui.choose_option(page, ids.YEAR, "2022")
    expect(page).to_have_url(re.compile(r"annee=2022"))
    expect(notice).to_be_empty()
