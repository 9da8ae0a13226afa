"""The figures behind the filters as a table a person reads, and as CSV or XLSX files.

Spreadsheets run cells that begin with = + - @ (or tab, carriage return): such text cells get a leading
apostrophe so that a source title can never become a formula.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard.data import columns as col
from dashboard.data.catalog import Catalog
from dashboard.data.parsing import fold
from dashboard.formatting import format_nature, format_periode, format_qualificatif

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Column key → French header of the exported and displayed table.
HEADERS: dict[str, str] = {
    "departement": "Département",
    "caisse_nom": "Caisse",
    "annee": "Année",
    "theme": "Thème",
    "indicateur": "Code indicateur",
    "libelle": "Indicateur",
    "valeur": "Valeur",
    "unite": "Unité",
    "qualificatif": "Qualificatif",
    "periode": "Période",
    "nature": "Nature",
    "annee_reference": "Année de référence",
    "derivation": "Calcul (valeur dérivée)",
    "source": "Source",
    "url": "Adresse de la source",
    "commentaire": "Commentaire",
}


def neutralise(text: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would evaluate; leave numbers and other text alone."""
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def readable_table(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """One row per figure with French words for codes; ``valeur`` stays numeric for sorting."""
    labels = {ind.code: ind.libelle for ind in catalog.all_indicators}
    themes = {ind.code: catalog.theme(ind.theme).libelle for ind in catalog.all_indicators}
    table = pd.DataFrame(
        {
            "departement": frame[col.DEPARTEMENT].astype(str)
            + " — "
            + frame[col.DEPARTEMENT_NOM].astype(str),
            "caisse_nom": frame[col.CAISSE_NOM],
            "annee": frame[col.ANNEE].astype(int),
            "theme": frame[col.INDICATEUR].map(themes),
            "indicateur": frame[col.INDICATEUR],
            "libelle": frame[col.INDICATEUR].map(labels).fillna(frame[col.INDICATEUR]),
            "valeur": frame[col.VALEUR].astype(float),
            "unite": frame[col.UNITE],
            "qualificatif": frame[col.QUALIFICATIF].map(lambda q: format_qualificatif(q) or "exact"),
            "periode": frame[col.PERIODE].map(format_periode),
            "nature": frame[col.NATURE].map(format_nature),
            "annee_reference": frame[col.ANNEE_REFERENCE].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "derivation": frame[col.DERIVATION].fillna(""),
            "source": frame[col.SOURCE],
            "url": frame[col.URL].fillna(""),
            "commentaire": frame[col.COMMENTAIRE].fillna(""),
        }
    )
    return table.sort_values(["annee", "caisse_nom", "theme", "libelle"], ascending=[False, True, True, True])


SEARCHED_COLUMNS = ("libelle", "indicateur", "caisse_nom", "departement", "theme", "source", "commentaire")
MAX_SEARCH = 100


def search_rows(table: pd.DataFrame, text: object) -> pd.DataFrame:
    """The rows whose words contain every word typed, ignoring case and accents (« Temps d'attente »)."""
    if not isinstance(text, str) or not text.strip():
        return table
    words = fold(text[:MAX_SEARCH]).split()
    haystack = table[list(SEARCHED_COLUMNS)].astype(str).agg(" ".join, axis=1).map(fold)
    mask = haystack.map(lambda row: all(word in row for word in words))
    return table[mask]


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
