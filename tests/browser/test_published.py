"""Pages built from what the selection published: comparison year, several caisses, navigation."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dashboard import ids
from dashboard.data.shipped_catalog import load_catalog

pytestmark = pytest.mark.browser


def test_comparison_year_is_always_an_earlier_year(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=2020&comparaison=2024&departements=85")
    expect(page.locator(f"#{ids.NOTICE}")).to_contain_text(
        "Année de comparaison 2024 : elle doit précéder 2020. Aucune comparaison."
    )
    expect(page).to_have_url(re.compile(r"annee=2020&comparaison=aucune"))

    # The native list's own options (an empty placeholder option aside).
    offered = [
        t for t in map(ui.normalise, page.locator(f"#{ids.COMPARISON} option").all_text_contents()) if t
    ]
    assert offered[0] == "Aucune"
    assert offered[1:], "earlier years are offered"
    assert all(int(year) < 2020 for year in offered[1:])


def test_two_caisses_read_one_line_each_and_no_false_non_publie(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=2024&departements=21,85")
    card = page.locator('.kpi-card[data-indicator="demandes_total"]')
    lines = [ui.normalise(t) for t in card.locator(".kpi-by-caisse > li").all_inner_texts()]
    assert lines[0].startswith("CPAM de la Côte-d'Or : 3 872 394")
    assert lines[1] == "CPAM de la Vendée : non publié"
    # No total: Vendée did not publish; the card headlines no « non publié » either.
    expect(card.locator(".kpi-value")).to_have_count(0)


def test_a_card_opens_its_definition_in_place_and_its_label_opens_the_indicator_s_entry(
    open_page: Callable[[str], Page], ui
) -> None:
    indicator = load_catalog().get("demandes_total")
    page = open_page("/?annee=2024&departements=21")
    card = page.locator('.kpi-card[data-indicator="demandes_total"]')
    definition = card.locator(".kpi-definition")
    assert ui.normalise(definition.inner_text()) == "Définition"  # closed: its summary alone is shown
    definition.get_by_text("Définition").click()
    expect(definition).to_have_js_property("open", True)
    assert ui.normalise(definition.inner_text()) == f"Définition {indicator.definition}"
    label = card.get_by_role("link", name=indicator.libelle)
    # The link is its words, not the whole line of the card.
    words = label.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return r.getBoundingClientRect().width; }"
    )
    assert label.bounding_box()["width"] <= words + 1
    label.click()
    expect(page).to_have_url(re.compile(r"/demandes_total"))
    expect(page.locator("#page-content h1")).to_contain_text(indicator.libelle)


def test_a_single_published_value_is_a_card_not_a_one_bar_chart(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/teleservices?annee=2020&departements=85")
    ui.expect_card(page, "taux_assures_avec_compte_ameli", "72,6 %")
    titles = [ui.normalise(t) for t in page.locator(".chart-graph .gtitle").all_inner_texts()]
    assert not any("Part des assurés ayant un compte ameli" in t for t in titles)


def test_other_themes_menu_lists_themes_with_figures_first_and_opens_above_the_filters(
    open_page: Callable[[str], Page], ui
) -> None:
    page = open_page("/?annee=2024&departements=21")
    page.get_by_role("button", name="Autres thèmes").click()
    menu = page.locator(f"#{ids.NAV} .dropdown-menu")
    expect(menu).to_be_visible()
    items = [ui.normalise(t) for t in menu.locator(".dropdown-item, .dropdown-header").all_inner_texts()]
    header = items.index("Sans chiffre publié")
    assert header > 0
    counted = r"\(\d+\) : \d+ chiffres? publiés?$"  # the count, and its words for screen readers
    assert all(re.search(counted, item) for item in items[:header])
    assert not any(re.search(r"\(\d+\)", item) for item in items[header + 1 :])
    # The first item sits where the sticky filter bar is, and still takes the click.
    first = menu.locator(".dropdown-item").first
    label = re.sub(r" \(\d+\) : .*$", "", ui.normalise(first.inner_text()))
    first.click()
    expect(page.locator("#page-content h1")).to_have_text(label)
    expect(page).to_have_url(re.compile(r"/autres/\w+\?annee=2024"))


def test_each_page_names_the_browser_tab(open_page: Callable[[str], Page]) -> None:
    page = open_page("/mediation?annee=2024&departements=21")
    expect(page).to_have_title("Médiation et CRA — Qualité de service des CPAM")
    page.get_by_role("navigation").get_by_role("link", name="Comparer", exact=True).click()
    expect(page).to_have_title("Comparer — Qualité de service des CPAM")


def test_an_unknown_address_answers_404_with_the_french_page(session) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(session.server.url("/nulle-part"), timeout=10)
    assert refused.value.code == 404
    assert '<html lang="fr">' in refused.value.read().decode()
    page = session.open("/nulle-part")
    expect(page.locator("#page-content h1")).to_have_text("Page introuvable")


def test_comparer_keeps_its_indicator_in_the_address(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/comparer?annee=2024&departements=21#appels_3646_recus")
    expect(page.locator(f"#{ids.COMPARE_INDICATOR} option:checked")).to_contain_text("Appels reçus au 3646")
    ui.choose_option(page, ids.COMPARE_INDICATOR, "Canaux de contact — Demandes des assurés")
    expect(page).to_have_url(re.compile(r"/comparer\?annee=2024.*#demandes_total$"))


def test_main_menu_fits_one_row_at_1366(open_page: Callable[[str], Page]) -> None:
    page = open_page("/")
    tops = page.eval_on_selector_all(
        f"#{ids.NAV} .navbar-nav > .nav-item, #{ids.NAV} .navbar-nav > .dropdown",
        "items => items.map(i => Math.round(i.getBoundingClientRect().top))",
    )
    assert len(tops) > 5
    assert len(set(tops)) == 1, tops


def test_charts_draw_the_comparison_year_when_it_was_published(open_page: Callable[[str], Page], ui) -> None:
    # Vendée published 933 saisines of the médiateur for 2019 and 659 for 2020.
    page = open_page("/mediation?annee=2020&comparaison=2019&departements=85")
    chart = page.locator(
        "#page-content figure", has=page.locator(".gtitle", has_text="Saisines du médiateur")
    ).first
    text = ui.normalise(chart.locator(".chart-graph").inner_text())
    assert "933" in text
    assert "659" in text
    assert "2019" in text


def test_a_part_of_the_year_is_drawn_with_its_period(open_page: Callable[[str], Page], ui) -> None:
    # Côte-d'Or published the ASI beneficiaries covered by presumption for the second half of 2024 only.
    page = open_page("/css?annee=2024&departements=21")
    content = ui.normalise(page.locator("#page-content").inner_text())
    assert "2e semestre 2024" in content
    card = ui.normalise(
        page.locator('.kpi-card[data-indicator="beneficiaires_asi_presomption_css"]').inner_text()
    )
    assert "28" in card


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("?annee=2024&departements=21", "cote-d-or-2024"),
        ("?annee=2020&departements=85", "vendee-2020"),
        ("?annee=2024&departements=21,85", "cote-d-or-vendee-2024"),
    ],
)
def test_screenshots_of_what_each_selection_published(
    open_page: Callable[[str], Page], screenshots, ui, query: str, name: str
) -> None:
    for path in ("/", "/canaux", "/mediation"):
        page = open_page(path + query)
        values = ui.card_values(page)
        # No card headlines « non publié » when one chosen caisse published.
        assert all(not v.startswith("non publié") for v in values.values()), values
        page.screenshot(
            path=screenshots / f"publie-{name}{path.replace('/', '-').rstrip('-')}.png", full_page=True
        )


def _chart_text(page: Page, ui, title: str) -> str:
    chart = page.locator("#page-content .chart-graph", has=page.locator(".gtitle", has_text=title)).first
    return ui.normalise(chart.inner_text())


def test_visuals_that_misled_read_right_on_the_real_pages(open_page: Callable[[str], Page], ui) -> None:
    # Prévention, Doubs 2022: a single share of 82 % is not a full ring; the rest reads « Non ventilé ».
    page = open_page("/autres/prevention?annee=2022&departements=25")
    text = _chart_text(page, ui, "Répartition")
    assert "82" in text
    assert "Non ventilé" in text

    # Accompagnement, Côte-d'Or 2024: three bars, each labelled with its own value.
    page = open_page("/autres/accompagnement?annee=2024&departements=21")
    text = _chart_text(page, ui, "ccompagnement")
    for value in ("194", "599", "600"):
        assert value in text

    # Médiation, Côte-d'Or 2024: the total is not set on one axis beside its parts as a peer.
    page = open_page("/mediation?annee=2024&departements=21")
    detail = _chart_text(page, ui, "Détail")
    assert "Sur un total de 463" in detail
