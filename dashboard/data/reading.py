"""From uploaded bytes to a table of text cells, with the guards a public upload needs."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from dashboard.data.parsing import ParseError, decode_text, normalize_header, parse_csv_text

MAX_ROWS = 20_000
# An XLSX is a zip: check it before openpyxl inflates it (a 199 kB bomb expands to 200 MB).
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_XLSX_ENTRIES = 500


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row: its line number in the file (as a spreadsheet shows it) and its cells by column."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True, slots=True)
class RawTable:
    """The header (normalised names) and the non-empty data rows of a file."""

    columns: tuple[str, ...]
    rows: tuple[RawRow, ...]
    encoding: str


def _cell_text(value: object) -> str:
    """Spreadsheet cells to the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _table(matrix: list[list[str]], encoding: str, max_rows: int) -> RawTable:
    if not matrix:
        raise ParseError("Le fichier est vide : il doit contenir une ligne d'en-tête puis des données.")
    columns = tuple(normalize_header(name) for name in matrix[0])
    rows: list[RawRow] = []
    for line, cells in enumerate(matrix[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= max_rows:
            raise ParseError(f"Le fichier dépasse {max_rows} lignes de données : découpez-le.")
        padded = [*cells, *([""] * (len(columns) - len(cells)))]
        rows.append(RawRow(line, {col: padded[i].strip() for i, col in enumerate(columns) if col}))
    if not rows:
        raise ParseError("Le fichier ne contient aucune ligne de données sous l'en-tête.")
    return RawTable(columns, tuple(rows), encoding)


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
        if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
            raise ParseError(
                "Classeur refusé : une fois décompressé il serait anormalement volumineux "
                "(fichier piégé ou corrompu)."
            )
        if "[Content_Types].xml" not in archive.namelist():
            raise ParseError("Ce fichier n'est pas un classeur Excel (.xlsx) valide.")


def _read_xlsx(data: bytes, max_rows: int) -> RawTable:
    check_xlsx_archive(data)
    from openpyxl import load_workbook  # imported here: only XLSX uploads pay for it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a broken file
        raise ParseError("Ce classeur Excel est illisible ou endommagé.") from err
    try:
        sheet = workbook.worksheets[0]
        matrix: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            matrix.append([_cell_text(v) for v in values])
            if len(matrix) > max_rows + 1 and any(matrix[-1]):
                raise ParseError(f"Le fichier dépasse {max_rows} lignes de données : découpez-le.")
    finally:
        workbook.close()
    return _table(matrix, "xlsx", max_rows)


def read_table(data: bytes, filename: str, *, max_bytes: int, max_rows: int = MAX_ROWS) -> RawTable:
    """Read a CSV or XLSX file into text cells; raise ParseError with a French message when it cannot."""
    if not data:
        raise ParseError("Le fichier est vide.")
    if len(data) > max_bytes:
        raise ParseError(
            f"Le fichier pèse {len(data) / 1_048_576:.1f} Mio ; "
            f"la limite est {max_bytes / 1_048_576:.0f} Mio."
        )
    name = filename.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        if not name.endswith(".xlsx"):
            raise ParseError("Ce fichier est un classeur : enregistrez-le avec l'extension .xlsx.")
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
    return _table(parse_csv_text(text), encoding, max_rows)
