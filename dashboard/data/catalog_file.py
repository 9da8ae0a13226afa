"""Catalog files for people: the export (CSV or XLSX) and the template, in the catalog import format."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.data.catalog import Catalog
from dashboard.data.catalog_import import CATALOG_COLUMNS, COLUMN_TITLES, indicator_cells
from dashboard.data.columns import UNITS

_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_WIDTHS = {"code": 36, "libelle": 40, "definition": 70, "theme": 22, "synonymes": 40, "definition_source": 40}
CATALOG_HELP = (
    "Catalogue des indicateurs : une ligne par indicateur",
    "",
    "code : identifiant stable, en minuscules sans accent, chiffres et « _ » (exemple : taux_decroche).",
    "libellé : le nom affiché (90 caractères au plus). définition : ce que mesure l'indicateur, précisément.",
    "thème : le code ou le nom d'un thème existant (liste dans la feuille « Thèmes »).",
    "unité : nombre, %, €, jours, heures ou minutes.",
    "sommable : oui si le chiffre s'additionne entre caisses (un volume) ; jamais pour un taux ou une part.",
    "sens : hausse, baisse ou neutre — le sens souhaitable de l'évolution.",
    "parent : le code de l'indicateur dont celui-ci est une partie (facultatif).",
    "graphique : volume, part, taux ou durée. essentiel : oui pour l'afficher en vue d'ensemble.",
    "synonymes : les noms que vos fichiers emploient, séparés par « | » (exemple : Taux de décroché | TxD).",
    "definition_source : d'où vient la définition quand elle est nationale (sinon vide : définition locale).",
    "statut : vide (actif), « retiré » (caché des pages, chiffres gardés) ou « supprimé » (sans chiffre).",
    "",
    "Une ligne dont le code existe modifie l'indicateur ; un code nouveau le crée ; le catalogue ne change "
    "pas pour les indicateurs absents du fichier. L'unité et le caractère sommable d'un indicateur qui a des "
    "chiffres ne changent pas : créez un nouveau code.",
    "Importer : python -m dashboard catalogue import FICHIER, ou la page « Importer » du tableau de bord.",
)


def catalog_csv(catalog: Catalog) -> bytes:
    """Every indicator (retired ones too) as a CSV Excel opens as is: UTF-8 with BOM, « ; » separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CATALOG_COLUMNS)
    for ind in catalog.all_indicators:
        writer.writerow(_neutralised(indicator_cells(ind)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _neutralised(cells: Sequence[str]) -> list[str]:
    """Cells that a spreadsheet would run as a formula get a leading apostrophe."""
    return [f"'{c}" if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in cells]


def slug(name: str) -> str:
    """A code proposed for a name: « Taux de décroché » → taux_de_decroche."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    code = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")[:80]
    return code if code[:1].isalpha() else f"indicateur_{code}".rstrip("_")


def fill_catalog_sheet(sheet: Worksheet, *, rows: Sequence[Sequence[str]] = ()) -> None:
    """Write the catalog format's header, the given rows, widths and drop-down lists into ``sheet``.

    Theme codes are too many for an inline drop-down (255 characters): the « Thèmes » sheet lists them.
    """
    sheet.append([COLUMN_TITLES[name] for name in CATALOG_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    letter = {name: get_column_letter(i) for i, name in enumerate(CATALOG_COLUMNS, start=1)}
    for name in CATALOG_COLUMNS:
        sheet.column_dimensions[letter[name]].width = _WIDTHS.get(name, 14)
    for cells in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    last = max(len(rows), 1) + 500
    for name, values in (
        ("unite", ",".join(UNITS)),
        ("sommable", "oui,non"),
        ("essentiel", "oui,non"),
        ("sens", "hausse,baisse,neutre"),
        ("graphique", "volume,part,taux,durée"),
        ("statut", "retiré,supprimé"),
    ):
        validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
        validation.add(f"{letter[name]}2:{letter[name]}{last}")
        sheet.add_data_validation(validation)


def themes_sheet(workbook: Workbook, catalog: Catalog) -> None:
    """Add the sheet « Thèmes »: the codes and names a catalog row's « thème » may take."""
    sheet = workbook.create_sheet("Thèmes")
    sheet.append(["code", "nom du thème"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for theme in sorted(catalog.themes, key=lambda t: t.ordre):
        sheet.append([theme.code, theme.libelle])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 50


def _help_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("Mode d'emploi")
    for line in CATALOG_HELP:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 120


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def catalog_workbook(catalog: Catalog, *, names: Sequence[str] = (), everything: bool = False) -> bytes:
    """An XLSX catalog file whose first sheet « indicateurs » the import reads.

    With ``everything`` it holds the whole catalog (the export); with ``names`` one pre-filled row per name
    a figure file used and the catalog lacks (code proposed, libellé and synonym filled, the rest to
    complete); otherwise the header alone (the template).
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "indicateurs"
    if everything:
        rows = [indicator_cells(ind) for ind in catalog.all_indicators]
    else:
        rows = [[slug(name), name[:90], "", "", "", "", "", "", "", "non", name, "", ""] for name in names]
    fill_catalog_sheet(sheet, rows=rows)
    themes_sheet(workbook, catalog)
    _help_sheet(workbook)
    return _save(workbook)
