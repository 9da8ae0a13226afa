"""A chart downloaded as an image by the browser itself: the card's buttons and plotly's toolbar camera."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dashboard import ids
from dashboard.theme import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH
from tests.helpers import png_size

pytestmark = pytest.mark.browser

COTE_D_OR = ("21", "21 — Côte-d'Or")
VENDEE = ("85", "85 — Vendée")
SLIDE_PIXELS = (EXPORT_WIDTH * EXPORT_SCALE, EXPORT_HEIGHT * EXPORT_SCALE)  # slide-ready
FIRST_CARD = "#page-content figure:has(.chart-graph .gtitle)"


def test_card_buttons_download_the_chart_named_after_the_filters(open_page: Callable[[str], Page]) -> None:
    page = open_page("/canaux?annee=2024&departements=21")
    card = page.locator(FIRST_CARD).first
    title = card.locator(".gtitle").text_content() or ""

    with page.expect_download() as png_info:
        card.get_by_role("button", name="Image PNG").click()
    png = png_info.value
    assert re.fullmatch(
        r"canaux-de-contact_cpam-21_2024_[a-z0-9_-]+_donnees-v\d+\.png", png.suggested_filename
    )
    assert png_size(png.path().read_bytes()) == SLIDE_PIXELS

    with page.expect_download() as svg_info:
        card.get_by_role("button", name="Image SVG").click()
    svg = svg_info.value
    assert svg.suggested_filename == png.suggested_filename.replace(".png", ".svg")
    text = svg.path().read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg")
    assert title
    assert title in html.unescape(text)  # the title is drawn inside the image
    desc = re.search(r"<desc>(.*?)</desc>", text, re.S)
    assert desc is not None  # where it comes from: filters, data version, view
    assert "Version des données" in html.unescape(desc.group(1))
    assert "/canaux?annee=2024" in html.unescape(desc.group(1))


def test_toolbar_camera_follows_the_filters(open_page: Callable[[str], Page], ui) -> None:
    # Médiation: Côte-d'Or 2024 and Vendée 2020 both published a figure there, so both views draw a chart.
    page = open_page("/mediation?annee=2024&departements=21")
    ui.choose_option(page, ids.YEAR, "2020")
    ui.switch_departement(page, old=COTE_D_OR, new=VENDEE)
    expect(page.locator(".page-subtitle")).to_contain_text("CPAM de la Vendée — 2020")
    ui.settle(page)

    graph = page.locator(FIRST_CARD).first.locator(".chart-graph")
    graph.hover()
    camera = graph.locator('.modebar-btn[data-title="Télécharger le graphique en fichier PNG"]')
    with page.expect_download() as info:
        camera.click()
    download = info.value
    # The file is named after what is shown now, not after the view the page was opened on.
    assert re.fullmatch(r"mediation-et-cra_cpam-85_2020_[a-z0-9_-]+\.png", download.suggested_filename)
    assert png_size(download.path().read_bytes()) == (
        EXPORT_WIDTH * EXPORT_SCALE,
        EXPORT_HEIGHT * EXPORT_SCALE,
    )


def test_server_export_link_and_page_links_carry_the_filters_of_the_moment(
    open_page: Callable[[str], Page], ui
) -> None:
    page = open_page("/mediation?annee=2024&departements=21")
    ui.choose_option(page, ids.YEAR, "2020")
    ui.switch_departement(page, old=COTE_D_OR, new=VENDEE)
    expect(page.locator(".page-subtitle")).to_contain_text("CPAM de la Vendée — 2020")
    ui.settle(page)

    # The address is completed when the link is used: pointing at it is enough to read it.
    pdf = page.locator(FIRST_CARD).first.locator(".export-server a", has_text="PDF").first
    pdf.hover()
    href = pdf.get_attribute("href") or ""
    assert re.search(r"\.pdf\?annee=2020&comparaison=[^&]+&departements=85&taille=a4$", href), href
    # « Autres formats »: written when opened, each link completed as the first one.
    menu = page.locator(FIRST_CARD).first.locator(".export-more")
    menu.locator("summary").click()
    others = menu.locator("a.dropdown-item")
    expect(others).to_have_text(
        [
            "PDF, diapositive 16:9",
            "PNG, diapositive 16:9",
            "SVG, diapositive 16:9",
            "PNG, page A4 paysage",
            "SVG, page A4 paysage",
        ]
    )
    svg = others.last
    svg.focus()  # a keyboard user reaches it as a mouse points at it
    href = svg.get_attribute("href") or ""
    assert re.search(r"\.svg\?annee=2020&comparaison=[^&]+&departements=85&taille=a4$", href), href
    menu.locator("summary").click()
    menu.locator("summary").click()  # opened again: still five links, not ten
    expect(others).to_have_count(5)
    # The menu's page links follow the URL's query, drawn in the browser.
    canaux = page.locator('header a[href^="/canaux"]').first
    expect(canaux).to_have_attribute("href", re.compile(r"^/canaux\?annee=2020&.*departements=85"))
