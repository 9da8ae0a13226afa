import io

import pytest
from openpyxl import load_workbook

from dashboard.analysis import readable_table
from dashboard.export.tables import neutralise, to_csv_bytes, to_xlsx_bytes


@pytest.mark.parametrize("text", ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_cells_are_neutralised(text):
    assert neutralise(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert neutralise(-13.77) == -13.77
    assert neutralise("Rapport 2024") == "Rapport 2024"


@pytest.fixture
def table(make_frame, tiny_catalog):
    frame = make_frame(
        ("cpam-21", 2024, "demandes_total", 3872394, {"source": '=HYPERLINK("http://x")'}),
        ("cpam-21", 2024, "temps_attente_moyen", 8.06, {"unite": "minutes"}),
    )
    frame["departement_nom"] = "Côte-d'Or"
    return readable_table(frame, tiny_catalog)


def test_csv_opens_in_excel_as_is(table):
    data = to_csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header, *rows = text.strip().split("\r\n")
    assert header.split(";")[:3] == ["Département", "Caisse", "Année"]
    assert any(";8,06;" in row for row in rows)
    assert "'=HYPERLINK" in text
    assert "Temps d'attente moyen au 3646" in text


def test_xlsx_keeps_numbers_as_numbers_and_neutralises_text(table):
    workbook = load_workbook(io.BytesIO(to_xlsx_bytes(table, title="Chiffres — CPAM de la Côte-d'Or — 2024")))
    sheet = workbook.active
    assert sheet["A1"].value.startswith("Chiffres")
    header = [c.value for c in sheet[2]]
    values = [row[header.index("Valeur")] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(values) == [8.06, 3872394]
    sources = [row[header.index("Source")] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in sources


def test_search_ignores_case_accents_and_keeps_apostrophes(table):
    from dashboard.analysis import search_rows

    assert list(search_rows(table, "temps d'ATTENTE")["indicateur"]) == ["temps_attente_moyen"]
    assert list(search_rows(table, "cote-d'or demandes")["indicateur"]) == ["demandes_total"]
    assert len(search_rows(table, "")) == 2
    assert search_rows(table, "introuvable").empty


def test_whole_counts_are_written_without_a_decimal_part(table):
    text = to_csv_bytes(table).decode("utf-8-sig")
    assert ";3872394;" in text
    assert ";8,06;" in text
