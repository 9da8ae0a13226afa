"""Hostile and careless files, built here (small, generated), each read within bounded memory or refused in
French; no row lost silently, no figure stored as infinity, no import of nothing recorded."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from dashboard.data import schema
from dashboard.data.parsing import ParseError
from dashboard.data.reading import MAX_CELL_CHARS, read_table

LIMIT = 5 * 1024 * 1024
HEADER = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"
ROW = "21;cpam-21;2024;demandes_total;3 872 394;;;Rapport 2024;;"
ROW2 = "21;cpam-21;2024;temps_attente_moyen;8,06;;;Rapport 2024;;"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Chiffres" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, values: list[str]) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">{cells}</row>'


def raw_xlsx(rows_xml: str, dimension: str = "A1:J3") -> bytes:
    """A minimal workbook written by hand: its sheet XML says exactly what a hostile file would say."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def header_and_rows_xml() -> str:
    return _row(1, HEADER.split(";")) + _row(2, ROW.split(";")) + _row(3, ROW2.split(";"))


def far_cell_xlsx(dimension: str) -> bytes:
    """Issue reproduction: a normal sheet that claims a huge range and holds one cell in the last row."""
    far = f'<row r="1048576">{_cell("A1048576", "x")}</row>'
    return raw_xlsx(header_and_rows_xml() + far, dimension)


def _state(store) -> tuple:
    with store.read() as conn:
        counts = tuple(
            conn.scalar(select(func.count()).select_from(t))
            for t in (schema.observations, schema.imports, schema.audit_log)
        )
    return store.data_version(), counts


def _peak_bytes(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- Workbooks: declared dimensions ignored, memory bounded -------------------------------------------------


def test_a_sheet_claiming_every_cell_is_read_within_bounded_memory(tmp_path: Path):
    # Run in a child whose heap is capped: the old reader padded a million rows of 16 384 cells (8.7 GB).
    path = tmp_path / "dimension.xlsx"
    path.write_bytes(far_cell_xlsx("A1:XFD1048576"))
    assert path.stat().st_size < 10_000
    script = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_DATA, (400 * 1024 * 1024, 400 * 1024 * 1024))
        from dashboard.data.reading import read_table
        table = read_table(open({str(path)!r}, "rb").read(), "dimension.xlsx", max_bytes={LIMIT})
        print([row.line for row in table.rows])
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines, peak_kib = done.stdout.split()[:-1], int(done.stdout.split()[-1])
    assert " ".join(lines) == "[2, 3, 1048576]"
    # The child's own peak: RUSAGE_CHILDREN would report the largest child this test process ever had.
    assert peak_kib < 400 * 1024


def test_a_sheet_claiming_a_million_rows_over_a_to_m_holds_its_real_rows():
    # Issue reproduction: refused as « dépasse 20000 lignes » although it holds 2 rows and one stray cell.
    table = read_table(far_cell_xlsx("A1:M1048576"), "colonnes.xlsx", max_bytes=LIMIT)
    assert [row.line for row in table.rows] == [2, 3, 1048576]
    assert table.rows[0].cells["valeur"] == "3 872 394"


def test_the_stray_far_cell_is_reported_on_its_own_line(run_import):
    report = run_import(far_cell_xlsx("A1:XFD1048576"), "dimension.xlsx")
    assert report.status == "importe"
    assert report.lignes == 2
    assert [issue.line for issue in report.warnings] == [1048576]


def test_a_numeric_cell_reading_inf_is_refused_in_french():
    rows = header_and_rows_xml().replace(_cell("E2", "3 872 394"), '<c r="E2"><v>INF</v></c>')
    with pytest.raises(ParseError, match=r"Ligne 2 : une cellule du classeur est illisible"):
        read_table(raw_xlsx(rows), "inf.xlsx", max_bytes=LIMIT)


def test_a_sheet_wider_than_its_header_imports(run_import, repository):
    # Excel keeps a declared range wider than the header (formatting on empty columns): not a duplicate.
    rows = header_and_rows_xml().replace("</row>", '<c r="Z1" t="inlineStr"><is><t> </t></is></c></row>', 1)
    report = run_import(raw_xlsx(rows, "A1:AZ3"), "large.xlsx")
    assert report.status == "importe", [str(i) for i in report.issues]
    assert report.lignes == 2


def test_a_workbook_of_formulas_without_values_is_an_error_not_unpublished(run_import, store):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["21", "cpam-21", "2024", "demandes_total", "=1000*3", None, None, "Rapport", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl saves formulas without a computed value, as a script would
    before = _state(store)
    report = run_import(buffer.getvalue(), "formules.xlsx")
    assert report.status == "refuse"
    messages = [str(issue) for issue in report.errors]
    assert any(
        "Ligne 2, colonne « valeur »" in m and "formule enregistrée sans sa valeur" in m for m in messages
    )
    assert not any("non publié" in m for m in messages)
    assert _state(store) == before


def test_cells_under_no_column_name_are_not_dropped_silently():
    data = f"{HEADER};\n{ROW};note perdue\n".encode()
    with pytest.raises(ParseError, match="Ligne 2, colonne K : cellule remplie sous une colonne sans nom"):
        read_table(data, "f.csv", max_bytes=LIMIT)


# --- CSV: stray quotes, huge fields, separators, blank lines ------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # An unterminated quote in `source` took the next row into that field.
        (
            f'{HEADER}\n21;cpam-21;2024;demandes_total;1;;;"Rapport;;\n{ROW2}\n',
            "Ligne 2 : un guillemet ouvre une cellule sans jamais la fermer",
        ),
        (
            HEADER + "\n" + ROW.replace(";", ",") + "\n",
            "Ligne 2 : les cellules sont séparées par une virgule",
        ),
    ],
    ids=["stray_quote_swallowing_rows", "semicolon_header_over_comma_rows"],
)
def test_a_file_whose_rows_would_be_misread_is_refused_and_writes_nothing(run_import, store, data, message):
    before = _state(store)
    report = run_import(data.encode())
    assert report.status == "refuse"
    assert message in str(report.errors[0])
    assert _state(store) == before


def test_a_quote_closed_rows_later_is_refused_too():
    data = f'{HEADER}\n21;cpam-21;2024;demandes_total;1;;;"Rapport;;\n{ROW2}\n21;cpam-21;2024;x;1;;;"R";;\n'
    with pytest.raises(ParseError, match="Ligne 2"):
        read_table(data.encode(), "f.csv", max_bytes=LIMIT)


def test_a_quoted_cell_on_several_lines_is_still_accepted():
    data = f'{HEADER}\n21;cpam-21;2024;demandes_total;1;;;Rapport;;"première ligne\nseconde ligne"\n{ROW2}\n'
    table = read_table(data.encode(), "f.csv", max_bytes=LIMIT)
    assert [row.line for row in table.rows] == [2, 4]
    assert table.rows[0].cells["commentaire"] == "première ligne\nseconde ligne"


@pytest.mark.parametrize("size", [MAX_CELL_CHARS + 1, 131_073])
def test_a_huge_field_is_refused_with_a_french_message(size):
    data = f"{HEADER}\n21;cpam-21;2024;demandes_total;1;;;{'x' * size};;\n".encode()
    with pytest.raises(ParseError) as refused:
        read_table(data, "f.csv", max_bytes=LIMIT)
    message = str(refused.value)
    assert message.startswith("Ligne 2")
    assert "caractères" in message
    assert "field" not in message


def test_blank_lines_are_not_kept_in_memory():
    # Issue reproduction, scaled down: 5 MiB of blank lines took a worker from 132 to 569 MB in preview.
    data = f"{HEADER}\n{ROW}\n".encode() + b"\n" * (512 * 1024) + b";;;\r\n" * 20_000
    table: list = []
    peak = _peak_bytes(lambda: table.append(read_table(data, "f.csv", max_bytes=LIMIT)))
    assert [row.line for row in table[0].rows] == [2]
    # The text is held once (four bytes a character in io.StringIO); the old reader also kept one list per
    # line, over 60 bytes each.
    assert peak < 8 * len(data)


@pytest.mark.parametrize(
    "header",
    [HEADER + ";;", HEADER + ";;;", HEADER.replace(";", ",") + ",,"],
    ids=["two_empty", "three_empty", "comma_two_empty"],
)
def test_empty_trailing_header_columns_import(run_import, header):
    sep = "," if "," in header else ";"
    row = ROW.replace(";", sep).replace("3 872 394", "3872394") + sep * 2
    report = run_import(f"{header}\n{row}\n".encode())
    assert report.status == "importe", [str(i) for i in report.issues]


def test_a_file_just_over_the_limit_says_by_how_much():
    with pytest.raises(ParseError) as refused:
        read_table(b"a" * (LIMIT + 1), "f.csv", max_bytes=LIMIT)
    assert str(refused.value) == "Le fichier pèse 5,1 Mio ; la limite est 5 Mio."


# --- Values -------------------------------------------------------------------------------------------------


def test_a_value_of_400_digits_is_refused_not_stored_as_infinity(run_import, store):
    before = _state(store)
    report = run_import(f"{HEADER}\n21;cpam-21;2024;demandes_total;{'9' * 400};;;R;;\n".encode())
    assert report.status == "refuse"
    assert "nombre hors limites" in str(report.errors[0])
    assert _state(store) == before


def test_a_negative_change_of_400_digits_is_refused(run_import):
    header = HEADER + ";nature"
    row = f"21;cpam-21;2024;demandes_total;-{'9' * 400};;;R;;;évolution en valeur"
    assert run_import(f"{header}\n{row}\n".encode()).status == "refuse"


@pytest.mark.parametrize("year", ["²⁰²⁴", "２０２４", "2024²"])
def test_a_year_in_other_digits_is_refused_in_french(run_import, year):
    report = run_import(f"{HEADER}\n21;cpam-21;{year};demandes_total;1;;;R;;\n".encode())
    assert report.status == "refuse"
    message = str(report.errors[0])
    assert "attendu une année sur quatre chiffres" in message
    assert "Value error" not in message
    assert "int()" not in message


def test_a_percent_sign_on_a_count_is_refused(run_import):
    report = run_import(f"{HEADER}\n21;cpam-21;2024;demandes_total;12 %;;;R;;\n".encode())
    assert report.status == "refuse"
    assert "le signe % ne va pas avec cet indicateur" in str(report.errors[0])


def test_a_percent_sign_on_a_rate_is_fine(run_import):
    report = run_import(
        f"{HEADER}\n85;cpam-85;2020;taux_commande_carte_vitale_en_ligne;72,6 %;;;R;;\n".encode()
    )
    assert report.status == "importe", [str(i) for i in report.issues]


# --- An import that imports nothing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        f"{HEADER}\n;;;;;;;;;\n;;;;;;;;;\n".encode(),
        f"{HEADER}\n21;cpam-21;2024;demandes_total;;;;R;;\n".encode(),
    ],
    ids=["blank_rows", "rows_without_values"],
)
@pytest.mark.parametrize("dry_run", [False, True])
def test_an_import_of_no_figure_is_refused_and_recorded_nowhere(run_import, store, data, dry_run):
    before = _state(store)
    report = run_import(data, dry_run=dry_run)
    assert report.status == "refuse"
    assert "refusé" in report.summary()
    assert _state(store) == before


def test_a_sheet_of_explicit_empty_rows_is_refused_before_parsing():
    # Each row element read stays attached to the sheet in openpyxl's streaming parser (about 90 bytes):
    # a million of them cost 90 MB before any row is kept.
    empty = "".join(f'<row r="{n}"/>' for n in range(4, 200_004))
    data = raw_xlsx(header_and_rows_xml() + empty, "A1:J200003")
    assert len(data) < 1_000_000
    with pytest.raises(ParseError, match=r"Classeur refusé : il décrit 200\u00a00\d\d lignes \(même vides\)"):
        read_table(data, "lignes.xlsx", max_bytes=LIMIT)


def test_formatted_empty_rows_of_a_template_are_fine():
    empty = "".join(f'<row r="{n}"/>' for n in range(4, 2_000))
    table = read_table(raw_xlsx(header_and_rows_xml() + empty, "A1:J2000"), "modele.xlsx", max_bytes=LIMIT)
    assert [row.line for row in table.rows] == [2, 3]


def test_a_file_whose_values_are_all_stored_already_records_nothing(run_import, store):
    first = f"{HEADER}\n{ROW}\n".encode()
    assert run_import(first, "premier.csv").status == "importe"
    before = _state(store)
    same_values = f"{HEADER}\n{ROW}\n\n".encode()  # another file (another SHA-256), the same figures
    report = run_import(same_values, "second.csv")
    assert report.status == "deja_importe"
    assert "toutes ses valeurs sont déjà dans la base ; rien n'a changé" in report.summary()
    assert _state(store) == before
