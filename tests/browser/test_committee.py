"""A director ticks two charts on the « Comité de pilotage » page and receives the PowerPoint deck."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pptx import Presentation

from dashboard.ids import EXPORTS_LIST
from dashboard.panels import committee

pytestmark = pytest.mark.browser

EXPORT_WAIT_MS = 90_000  # the first export starts the server's Chromium, on a busy 2-core machine


def test_committee_deck_is_made_in_the_background_and_downloaded(session, screenshots) -> None:
    page = session.open("/comite?annee=2024&departements=21")
    expect(page.locator("#page-content h1")).to_have_text("Dossier comité de pilotage")
    expect(page.locator(".page-subtitle")).to_contain_text("CPAM de la Côte-d'Or — 2024")

    page.get_by_role("button", name="Tout décocher").click()
    contact = page.locator("fieldset", has=page.get_by_text("Canaux de contact", exact=True))
    expect(contact.get_by_role("checkbox", name="Demandes des assurés", exact=True)).not_to_be_checked()
    contact.get_by_role("checkbox", name="Demandes des assurés", exact=True).check()
    contact.get_by_role("checkbox", name="Appels reçus au 3646", exact=True).check()
    page.get_by_role("button", name="Présentation PowerPoint (.pptx)").click()

    status = page.locator(f"#{committee.STATUS}")
    expect(status).to_have_text(
        re.compile(r"^(Fichier prêt|Le |L'|Chromium|Trop|Export)"), timeout=EXPORT_WAIT_MS
    )
    assert status.inner_text() == "Fichier prêt."
    link = page.locator(f"#{committee.LINK}")
    expect(link).to_be_visible()
    page.screenshot(path=screenshots / "comite-export-pret.png", full_page=True)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value

    assert re.fullmatch(r"comite-de-pilotage_cpam-21_2024_donnees-v\d+\.pptx", download.suggested_filename)
    deck = Presentation(download.path())
    assert [slide.shapes.title.text for slide in deck.slides] == [
        "Dossier comité de pilotage",
        "Demandes des assurés",
        "Appels reçus au 3646",
    ]
    assert session.watch.console_errors == []
    assert session.watch.page_errors == []
    assert session.watch.outside_requests == []


def test_a_prepared_file_survives_leaving_the_page(session) -> None:
    page = session.open("/comite?annee=2024&departements=21")
    expect(page.locator(".page-subtitle")).to_contain_text("CPAM de la Côte-d'Or — 2024")
    page.get_by_role("button", name="Présentation PowerPoint (.pptx)").click()
    mine = page.locator(f"#{EXPORTS_LIST}")
    expect(mine).to_contain_text("Présentation PowerPoint (.pptx)")

    session.open("/canaux?annee=2024&departements=21", page)  # away while the file is being prepared
    page = session.open("/comite?annee=2024&departements=21", page)  # back, in the same tab
    mine = page.locator(f"#{EXPORTS_LIST}")
    expect(mine).to_contain_text("Prêt", timeout=EXPORT_WAIT_MS)
    link = mine.get_by_role("link", name="Télécharger")
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename.endswith(".pptx")
    expect(mine).to_contain_text("Disponible jusqu'au")
    assert session.watch.page_errors == []


def test_the_page_says_which_charts_it_left_out_and_why_before_any_file_is_made(session) -> None:
    page = session.open("/comite?annee=2020&departements=85")
    expect(page.locator(".page-subtitle")).to_contain_text("CPAM de la Vendée — 2020")
    mediation = page.locator("fieldset", has=page.get_by_text("Médiation et CRA", exact=True))
    expect(mediation.get_by_role("checkbox", name="Saisines du médiateur", exact=True)).to_be_checked()

    aside = page.locator(f"#{committee.LEFT_OUT}")
    aside.get_by_text(re.compile(r"laissé\(s\) de côté pour cette sélection")).click()
    expect(aside.get_by_text("Sans aucun chiffre publié pour cette sélection", exact=False)).to_be_visible()
    expect(aside).to_contain_text("Répartition : demandes des assurés")
    expect(aside).to_contain_text("un seul chiffre publié : il est présenté en chiffre clé")
    assert session.watch.page_errors == []
