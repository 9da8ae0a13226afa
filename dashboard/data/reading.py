"""From uploaded bytes to a table of text cells, with the guards a public upload needs.

Memory is bounded by design: rows are read one at a time (openpyxl's streaming mode for workbooks,
``csv.reader`` over the text for CSV), empty rows are skipped without being kept, and the row, column and
cell limits are checked as each row arrives. A workbook's declared dimensions are ignored: a sheet that
claims ``A1:XFD1048576`` costs what its real cells cost, not a million padded rows.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from dashboard.data.parsing import ParseError, decode_text, normalize_header, sniff_separator
from dashboard.formatting import format_number

MAX_ROWS = 20_000
# The format has 13 columns; room for a few notes columns, never the 16 384 a sheet may claim.
MAX_COLUMNS = 50
# The longest text the format allows is 1 000 characters (a comment); a cell far beyond is not a figure.
MAX_CELL_CHARS = 10_000
# An XLSX is a zip: check it before openpyxl inflates it (a 199 kB bomb expands to 200 MB).
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_XLSX_ENTRIES = 500
# openpyxl keeps the whole shared-strings table in memory (a few times its XML size): bound it on its own.
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
MAX_FORMULAS_REPORTED = 1_000
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
# Formatted but empty rows are common (a template's borders); five times the data rows leaves room for them.
MAX_ROW_ELEMENTS_PER_ROW = 5
_NO_ROWS = "Le fichier ne contient aucune ligne de données sous l'en-tête."
_SEPARATOR_NAMES = {";": "point-virgule « ; »", ",": "virgule « , »", "\t": "tabulation"}


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row: its line number in the file (as a spreadsheet shows it) and its cells by column."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True, slots=True)
class RawTable:
    """The header (normalised names), the non-empty data rows of a file, and where formulas lack a value.

    ``formulas`` holds the (line, column) of workbook cells that hold a formula saved without its computed
    value: such a cell reads empty, but it is not an unpublished figure.
    """

    columns: tuple[str, ...]
    rows: tuple[RawRow, ...]
    encoding: str
    formulas: frozenset[tuple[int, str]] = frozenset()


def _cell_text(value: object) -> str:
    """Spreadsheet cells to the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)  # « inf » is then refused as a number, with its line and column
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _column_name(index: int) -> str:
    """A column as a spreadsheet names it: 1 → A, 27 → AA."""
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _too_many_rows(max_rows: int) -> ParseError:
    return ParseError(f"Le fichier dépasse {format_number(max_rows)} lignes de données : découpez-le.")


def _header(cells: list[str]) -> tuple[str, ...]:
    """The header's names; empty trailing columns (Excel writes them every day) are dropped."""
    names = [normalize_header(name) for name in cells]
    while names and not names[-1]:
        names.pop()
    if len(names) > MAX_COLUMNS:
        raise ParseError(
            f"La ligne d'en-tête compte {format_number(len(names))} colonnes ; le modèle de saisie en a "
            f"13 et le fichier ne peut en avoir plus de {MAX_COLUMNS}."
        )
    return tuple(names)


def _check_row(line: int, cells: list[str], columns: tuple[str, ...]) -> None:
    """Refuse a row whose cells cannot be read safely: too long, or filled under no column name."""
    for index, cell in enumerate(cells, start=1):
        if not cell:
            continue
        if len(cell) > MAX_CELL_CHARS:
            raise ParseError(
                f"Ligne {line}, colonne {_column_name(index)} : la cellule compte "
                f"{format_number(len(cell))} caractères ; une cellule en compte au plus "
                f"{format_number(MAX_CELL_CHARS)}."
            )
        if index > len(columns) or not columns[index - 1]:
            if not cell.strip():
                continue
            raise ParseError(
                f"Ligne {line}, colonne {_column_name(index)} : cellule remplie sous une colonne sans nom "
                "dans la ligne d'en-tête. Nommez la colonne ou videz la cellule (rien ne doit être ignoré "
                "sans que vous le sachiez)."
            )


def _table(
    rows: Iterator[tuple[int, list[str]]],
    encoding: str,
    max_rows: int,
    *,
    allow_empty: bool = False,
) -> RawTable:
    """Header then data rows, kept only when they hold something; limits checked row by row."""
    first = next(rows, None)
    if first is None:
        raise ParseError("Le fichier est vide : il doit contenir une ligne d'en-tête puis des données.")
    columns = _header(first[1])
    kept: list[RawRow] = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        _check_row(line, cells, columns)
        if len(kept) >= max_rows:
            raise _too_many_rows(max_rows)
        kept.append(
            RawRow(
                line,
                {col: (cells[i] if i < len(cells) else "").strip() for i, col in enumerate(columns) if col},
            )
        )
    if not kept and not allow_empty:
        raise ParseError(_NO_ROWS)
    return RawTable(columns, tuple(kept), encoding)


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX whose zip entries would inflate beyond reason, before any XML is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise ParseError("Ce fichier n'est pas un classeur Excel (.xlsx) valide.") from err
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_XLSX_ENTRIES:
            raise ParseError("Classeur refusé : il contient trop d'éléments internes.")
        total = sum(entry.file_size for entry in entries)
        packed = max(1, sum(entry.compress_size for entry in entries))
        shared = sum(e.file_size for e in entries if e.filename.lower().endswith("sharedstrings.xml"))
        if (
            total > MAX_XLSX_UNCOMPRESSED
            or total / packed > MAX_XLSX_RATIO
            or shared > MAX_SHARED_STRINGS_BYTES
        ):
            raise ParseError(
                "Classeur refusé : une fois décompressé il serait anormalement volumineux "
                "(fichier piégé ou corrompu)."
            )
        if "[Content_Types].xml" not in archive.namelist():
            raise ParseError("Ce fichier n'est pas un classeur Excel (.xlsx) valide.")


def _scan_sheets(data: bytes) -> tuple[int, bool]:
    """How many row elements the worksheets hold, and whether any formula: a streamed scan of their XML.

    openpyxl's streaming parser keeps every row element it has read attached to the sheet (emptied, about
    90 bytes each): a sheet of a million explicit empty rows would cost 90 MB before any row is kept, so
    the count is checked first.
    """
    rows, formulas = 0, False
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/"):
                continue
            tail = b""
            with archive.open(name) as part:
                while chunk := part.read(1 << 20):
                    window = tail + chunk
                    rows += len(_ROW_TAG.findall(chunk))  # a tag split between chunks is missed: harmless
                    formulas = formulas or bool(_FORMULA_TAG.search(window))
                    tail = chunk[-16:]
    return rows, formulas


def _open_sheet(data: bytes, *, data_only: bool) -> tuple[object, object]:
    from openpyxl import load_workbook  # imported here: only XLSX uploads pay for it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        sheet = workbook.worksheets[0]
        # The declared <dimension> is the file's claim, not its content: forget it, so that rows are as
        # wide as their last real cell and missing rows come out empty instead of padded to 16 384 cells.
        sheet.reset_dimensions()
    except Exception as err:  # openpyxl raises many types for a broken file
        raise ParseError("Ce classeur Excel est illisible ou endommagé.") from err
    return workbook, sheet


def _sheet_rows(sheet: object) -> Iterator[tuple[int, list[object]]]:
    """(line, values) for each row of a streamed sheet; a cell openpyxl cannot read is a French error."""
    rows = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]  # openpyxl is untyped
    line = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as err:  # a bad number (<v>INF</v>), broken XML…: openpyxl raises many types
            raise ParseError(
                f"Ligne {line + 1} : une cellule du classeur est illisible (valeur numérique ou texte "
                "endommagé). Ouvrez le fichier dans Excel, corrigez la cellule, enregistrez-le puis "
                "déposez-le à nouveau."
            ) from err
        line += 1
        yield line, list(values)


def _formula_cells(
    data: bytes, columns: tuple[str, ...], rows: dict[int, RawRow]
) -> frozenset[tuple[int, str]]:
    """The cells holding a formula whose value was not saved (they read empty in the first pass)."""
    workbook, sheet = _open_sheet(data, data_only=False)
    found: set[tuple[int, str]] = set()
    try:
        for line, values in _sheet_rows(sheet):
            if line == 1:
                continue
            for index, value in enumerate(values[: len(columns)]):
                name = columns[index]
                if not name or not (isinstance(value, str) and value.startswith("=")):
                    continue
                row = rows.get(line)
                if row is None or not row.cells.get(name):
                    found.add((line, name))
                    if len(found) > MAX_FORMULAS_REPORTED:
                        raise ParseError(
                            f"Le classeur contient plus de {format_number(MAX_FORMULAS_REPORTED)} formules "
                            "enregistrées sans leur valeur calculée. Ouvrez-le dans Excel, enregistrez-le "
                            "(les valeurs seront calculées), puis déposez-le à nouveau."
                        )
    finally:
        workbook.close()  # type: ignore[attr-defined]
    return frozenset(found)


def _read_xlsx(data: bytes, max_rows: int) -> RawTable:
    check_xlsx_archive(data)
    row_elements, has_formulas = _scan_sheets(data)
    if row_elements > MAX_ROW_ELEMENTS_PER_ROW * max_rows:
        raise ParseError(
            f"Classeur refusé : il décrit {format_number(row_elements)} lignes (même vides) ; le fichier ne "
            f"peut contenir plus de {format_number(max_rows)} lignes de données. Copiez les lignes utiles "
            "dans un classeur neuf."
        )
    workbook, sheet = _open_sheet(data, data_only=True)
    try:
        texts = ((line, [_cell_text(v) for v in values]) for line, values in _sheet_rows(sheet))
        # Rows of formulas saved without their values read empty: decide once formulas are known.
        table = _table(texts, "xlsx", max_rows, allow_empty=True)
    finally:
        workbook.close()  # type: ignore[attr-defined]
    formulas: frozenset[tuple[int, str]] = frozenset()
    if has_formulas:
        formulas = _formula_cells(data, table.columns, {row.line: row for row in table.rows})
    if not table.rows and not formulas:
        raise ParseError(_NO_ROWS)
    return RawTable(table.columns, table.rows, "xlsx", formulas)


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each CSV record; a stray quote or a huge field is a French error."""
    sep = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    header_width = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise _csv_error(err, start, reader.line_num) from None
        if start == 1:
            header_width = len(cells)
        elif len(cells) == 1 and header_width > 1:
            other = next((s for s in _SEPARATOR_NAMES if s != sep and s in cells[0]), None)
            if other is not None:
                raise ParseError(
                    f"Ligne {start} : les cellules sont séparées par une {_SEPARATOR_NAMES[other]} alors que "
                    f"la ligne d'en-tête utilise une {_SEPARATOR_NAMES[sep]}. Enregistrez le fichier avec un "
                    "seul séparateur."
                )
        for index, cell in enumerate(cells, start=1):
            lines = cell.split("\n")
            if len(lines) > 1 and any(sep in part for part in lines[1:]):
                raise ParseError(
                    f"Ligne {start}, colonne {_column_name(index)} : un guillemet ouvre une cellule qui "
                    f"avale les lignes suivantes (jusqu'à la ligne {reader.line_num}). Retirez ce guillemet "
                    "ou fermez-le à la fin de la cellule."
                )
        yield start, cells


def _csv_error(err: csv.Error, start: int, end: int) -> ParseError:
    reason = str(err)
    if "field larger" in reason:
        return ParseError(
            f"Ligne {start} : une cellule dépasse {format_number(csv.field_size_limit())} caractères ; "
            f"une cellule en compte au plus {format_number(MAX_CELL_CHARS)}."
        )
    if "end of data" in reason:
        return ParseError(
            f"Ligne {start} : un guillemet ouvre une cellule sans jamais la fermer ; toutes les lignes "
            f"suivantes (jusqu'à la ligne {end}) y seraient avalées. Retirez ce guillemet ou fermez-le."
        )
    if end > start:
        return ParseError(
            f"Ligne {start} : un guillemet ouvre une cellule qui avale les lignes suivantes (jusqu'à la "
            f"ligne {end}). Retirez ce guillemet ou fermez-le à la fin de la cellule."
        )
    return ParseError(
        f"Ligne {end} : guillemet mal placé. Une cellule entre guillemets doit se terminer par un guillemet "
        "suivi du séparateur ; un guillemet à l'intérieur d'une telle cellule s'écrit deux fois (\"\")."
    )


def read_table(data: bytes, filename: str, *, max_bytes: int, max_rows: int = MAX_ROWS) -> RawTable:
    """Read a CSV or XLSX file into text cells; raise ParseError with a French message when it cannot."""
    if not data:
        raise ParseError("Le fichier est vide.")
    if len(data) > max_bytes:
        # Rounded up, so that a file just over the limit never reads as equal to it.
        size = math.ceil(len(data) / 1_048_576 * 10) / 10
        raise ParseError(
            f"Le fichier pèse {format_number(size, 1)} Mio ; la limite est "
            f"{format_number(max_bytes / 1_048_576)} Mio."
        )
    name = filename.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        if not name.endswith(".xlsx"):
            raise ParseError(
                "Ce fichier est un classeur : enregistrez-le au format « Classeur Excel » avec l'extension "
                ".xlsx (les classeurs à macros .xlsm ne sont pas acceptés)."
            )
        return _read_xlsx(data, max_rows)
    if not name.endswith((".csv", ".txt")):
        raise ParseError("Format non pris en charge : attendu un fichier .csv ou .xlsx.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ParseError(
            "Fichier en UTF-16 (« Texte Unicode » d'Excel) : enregistrez-le en « CSV UTF-8 » ou en "
            "« CSV (séparateur : point-virgule) »."
        )
    if b"\x00" in data[:4096]:
        raise ParseError("Ce fichier n'est pas un texte CSV (contenu binaire).")
    text, encoding = decode_text(data)
    return _table(_csv_rows(text), encoding, max_rows)
