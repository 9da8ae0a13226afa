"""The « modèle de saisie » as an XLSX workbook: one row per indicator, drop-downs, an explanation sheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard import periods
from dashboard.data import columns as col
from dashboard.data.catalog import Catalog
from dashboard.data.catalog_file import fill_catalog_sheet, themes_sheet
from dashboard.data.referentiel import Caisse

_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_QUALIFIERS = ("plus de", "environ", "moins de")
_NATURES = ("évolution en %", "évolution en valeur")
_HELP = (
    "Mode d'emploi du modèle de saisie",
    "",
    "1. Dans la feuille « Saisie », une ligne par indicateur est préparée pour votre caisse.",
    "2. Indiquez l'année et la valeur publiée ; laissez la valeur vide si le chiffre n'a pas été publié "
    "(la ligne sera ignorée ; ne mettez jamais 0 à la place d'un chiffre absent).",
    "3. Nombres : 3 872 394 ou 77,36 ; « plus de 1 000 » est accepté et renseigne le qualificatif.",
    "4. Source (obligatoire) : le titre du rapport ou de la page ; url : son adresse, si elle existe.",
    "5. Période : vide pour l'année entière ; sinon un mois, « 1er semestre », « fin d'année », « cumul »…",
    "6. Nature : vide pour un niveau ; « évolution en % » ou « évolution en valeur » pour une évolution, "
    "avec l'année comparée dans « annee_reference » (vide = année précédente).",
    "7. Dérivation : à remplir seulement pour une valeur calculée, avec la règle de calcul.",
    "8. La feuille « Catalogue » explique chaque code. Un indicateur absent du catalogue se définit dans la "
    "feuille « indicateurs » (une ligne par indicateur ; thèmes dans la feuille « Thèmes », colonnes "
    "expliquées par python -m dashboard catalogue template) : il est créé avec les chiffres, au même import.",
    "9. La colonne « indicateur » accepte le code, le libellé ou un synonyme déclaré ; chaque nom reconnu "
    "est montré dans l'aperçu avant l'écriture.",
    "10. Importez ensuite le fichier : python -m dashboard import FICHIER.xlsx",
)


def _list_validation(formula: str, prompt: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    validation.error = f"Valeur non prévue : {prompt}"
    validation.errorTitle = "Saisie refusée"
    validation.showErrorMessage = True
    return validation


def build_template(catalog: Catalog, caisse: Caisse, year: int | None = None) -> bytes:
    """An XLSX model for one caisse: the first sheet is the one the importer reads."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Saisie"
    sheet.append(list(col.IMPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
    for indicator in catalog:
        row: dict[str, object] = {col.DEPARTEMENT: caisse.departement, col.CAISSE: caisse.id}
        row[col.ANNEE] = year if year is not None else None
        row[col.INDICATEUR] = indicator.code
        sheet.append([row.get(name) for name in col.IMPORT_COLUMNS])
    sheet.freeze_panes = "A2"
    widths = {col.INDICATEUR: 44, col.SOURCE: 40, col.URL: 40, col.COMMENTAIRE: 40, col.DERIVATION: 30}
    for index, name in enumerate(col.IMPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(name, 16)
        if name == col.DEPARTEMENT:
            for cells in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cells[0].number_format = "@"  # keep 01 and 2A as text

    lists = workbook.create_sheet("Listes")
    codes = [ind.code for ind in catalog]
    for i, code in enumerate(codes, start=1):
        lists.cell(row=i, column=1, value=code)
    for column, values in ((2, _QUALIFIERS), (3, periods.TEMPLATE_CHOICES), (4, _NATURES)):
        for i, value in enumerate(values, start=1):
            lists.cell(row=i, column=column, value=value)
    lists.sheet_state = "hidden"

    last = len(codes) + 500
    letter = {name: get_column_letter(i) for i, name in enumerate(col.IMPORT_COLUMNS, start=1)}
    for name, formula, prompt in (
        (col.INDICATEUR, f"Listes!$A$1:$A${len(codes)}", "choisissez un code du catalogue"),
        (col.QUALIFICATIF, f"Listes!$B$1:$B${len(_QUALIFIERS)}", "plus de, environ, moins de ou vide"),
        (col.PERIODE, f"Listes!$C$1:$C${len(periods.TEMPLATE_CHOICES)}", "une période de la liste ou vide"),
        (col.NATURE, f"Listes!$D$1:$D${len(_NATURES)}", "évolution en % ou en valeur, ou vide"),
    ):
        validation = _list_validation(formula, prompt)
        validation.add(f"{letter[name]}2:{letter[name]}{last}")
        sheet.add_data_validation(validation)

    new_indicators = workbook.create_sheet("indicateurs")
    fill_catalog_sheet(new_indicators)
    guide = workbook.create_sheet("Catalogue")
    guide.append(["code", "libellé", "définition", "unité", "thème", "additionnable entre caisses"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for ind in catalog:
        theme = catalog.theme(ind.theme).libelle
        guide.append(
            [ind.code, ind.libelle, ind.definition, ind.unite, theme, "oui" if ind.sommable else "non"]
        )
    for letter_, width in zip("ABCDEF", (44, 40, 80, 10, 30, 14), strict=True):
        guide.column_dimensions[letter_].width = width
    for cells in guide.iter_rows(min_row=2, min_col=3, max_col=3):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")

    themes_sheet(workbook, catalog)
    help_sheet = workbook.create_sheet("Mode d'emploi")
    for line in _HELP:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 120

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
