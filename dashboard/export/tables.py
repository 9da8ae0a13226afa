"""The readable table of figures (``analysis.readable_table``) as CSV or XLSX files.

Spreadsheets run cells that begin with = + - @ (or tab, carriage return): such text cells get a leading
apostrophe so that a source title can never become a formula.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard.analysis import HEADERS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would evaluate; leave numbers and other text alone."""
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _csv_number(value: float) -> str:
    if pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value)).replace(".", ",")


def to_csv_bytes(table: pd.DataFrame, *, headers: dict[str, str] | None = None) -> bytes:
    """CSV that Excel opens as is: ``;`` separator, decimal comma, UTF-8 with BOM, no formula cells."""
    names = headers or HEADERS
    safe = table.rename(columns=names).map(neutralise)
    # Numbers as Excel reads them in French: decimal comma, whole counts without « ,0 ».
    safe[names["valeur"]] = table["valeur"].map(_csv_number).to_numpy()
    text = safe.to_csv(sep=";", index=False, decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx_bytes(table: pd.DataFrame, *, title: str, headers: dict[str, str] | None = None) -> bytes:
    """An XLSX workbook: a header in bold, numbers as numbers, text neutralised, the filters as a title."""
    names = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chiffres"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([names[c] for c in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        sheet.append([neutralise(v) for v in row])
    for column_cells in sheet.iter_cols(min_row=2, max_row=2):
        letter = column_cells[0].column_letter
        sheet.column_dimensions[letter].width = 40 if letter in ("E", "F", "N", "O", "P") else 16
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
