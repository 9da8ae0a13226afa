"""The « Données » page: every figure behind the filters, in a table and as a CSV file for Excel."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dashboard import ids

pytestmark = pytest.mark.browser

BOM = b"\xef\xbb\xbf"


def _search(page: Page, text: str) -> None:
    """Type in the page's search box and press Enter; wait until the count says what was searched."""
    box = page.locator(f"#{ids.DATA_SEARCH}")
    box.fill(text)
    box.press("Enter")
    expect(page.locator(f"#{ids.DATA_COUNT}")).to_contain_text(f"« {text} »")


def _row_of(page: Page, indicator: str) -> dict[str, str]:
    """The visible table row of an indicator, as column id → text."""
    row = page.locator(f"#{ids.DATA_TABLE} tbody tr").filter(
        has=page.locator('td[data-dash-column="libelle"]', has_text=re.compile(rf"^{re.escape(indicator)}$"))
    )
    expect(row).to_have_count(1)
    cells = row.locator("td")
    return {
        cells.nth(i).get_attribute("data-dash-column") or "": cells.nth(i).inner_text().strip()
        for i in range(cells.count())
    }


def test_data_page_downloads_csv(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/donnees?annee=2024&departements=21")

    count = page.locator(f"#{ids.DATA_COUNT}")
    expect(count).to_have_text(re.compile(r"^\d[\d\s]* chiffres$"))
    shown_count = int(re.sub(r"\D", "", count.inner_text()))
    assert shown_count > 25
    body_rows = page.locator(f"#{ids.DATA_TABLE} tbody tr:has(td)")
    expect(body_rows).to_have_count(25)  # the first page of the table

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger en CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    assert "2024" in download.suggested_filename
    content = download.path().read_bytes()

    assert content.startswith(BOM)  # Excel reads the accents right
    text = content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows
    assert {"Code indicateur", "Année", "Valeur", "Source"} <= set(rows[0])
    assert len(rows) == shown_count  # the file holds what the page counts

    def value_of(code: str) -> str:
        found = [r["Valeur"] for r in rows if r["Code indicateur"] == code and r["Année"] == "2024"]
        assert len(found) == 1, code
        return found[0]

    # Numbers Excel reads as numbers in French: decimal comma, no thousands grouping required.
    assert re.fullmatch(r"3[\s\u00a0]?872[\s\u00a0]?394(,0+)?", value_of("demandes_total"))
    assert value_of("temps_attente_moyen") == "8,06"
    assert value_of("taux_reponse_email_48h") == "77,36"
    for record in rows:
        assert not re.search(r"\d\.\d", record["Valeur"]), record

    _search(page, "Demandes des assurés")
    row = _row_of(page, "Demandes des assurés")
    assert row["caisse_nom"] == "CPAM de la Côte-d'Or"
    assert row["annee"] == "2024"
    with page.expect_download() as searched_download:
        page.get_by_role("button", name="Télécharger en CSV").click()
    searched = searched_download.value.path().read_bytes().decode("utf-8-sig")
    searched_rows = list(csv.DictReader(io.StringIO(searched), delimiter=";"))
    assert [r["Code indicateur"] for r in searched_rows] == ["demandes_total"]  # the file is what is shown


def test_data_table_shows_figures_in_full_french_format(open_page: Callable[[str], Page], ui) -> None:
    # Once formatted with two significant digits: « 3,9e+6 » for 3 872 394, « 2,0 » for 2.
    page = open_page("/donnees?annee=2024&departements=21")

    values = [
        ui.normalise(v)
        for v in page.locator(f'#{ids.DATA_TABLE} td[data-dash-column="valeur"]').all_inner_texts()
    ]
    assert values
    for value in values:
        assert re.fullmatch(r"−?-?\d{1,3}( \d{3})*(,\d+)?", value), value
    _search(page, "Demandes des assurés")
    assert ui.normalise(_row_of(page, "Demandes des assurés")["valeur"]) == "3 872 394"
    _search(page, "attente")
    assert _row_of(page, "Temps d'attente moyen au 3646")["valeur"] == "8,06"


def test_search_accepts_french_words_with_an_apostrophe(open_page: Callable[[str], Page]) -> None:
    page = open_page("/donnees?annee=2024&departements=21")

    _search(page, "temps d'attente")

    rows = page.locator(f"#{ids.DATA_TABLE} tbody tr:has(td)")
    expect(rows).to_have_count(1)
