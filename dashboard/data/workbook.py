"""One upload, whatever it holds: figures, a catalog, or a workbook with both.

A workbook of figures may carry a sheet « indicateurs » that defines the indicators they need. The page and
the command line share this path.

A workbook's catalog sheet and its figures land in one transaction, or neither does: the figures are
validated against the catalog as the sheet would leave it, and the catalog change is written inside the
figure import's transaction.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection

from dashboard.data import columns as col
from dashboard.data.catalog import Catalog
from dashboard.data.catalog_import import CATALOG_COLUMNS, CatalogPlan, plan_catalog
from dashboard.data.catalog_store import (
    CatalogReport,
    CatalogStatus,
    apply_plan,
    codes_with_figures,
    import_catalog_table,
    plan_for_table,
    read_catalog,
)
from dashboard.data.importer import ImportReport, import_bytes, sha256_of
from dashboard.data.parsing import ParseError, fold, normalize_header
from dashboard.data.reading import RawRow, RawTable, check_xlsx_archive, read_table
from dashboard.data.referentiel import Referentiel
from dashboard.data.store import Store, StoreError
from dashboard.data.validation import Issue

CATALOG_SHEET = "indicateurs"
MAX_CATALOG_ROWS = 2000
UploadKind = Literal["chiffres", "catalogue"]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_catalog_sheet(data: bytes, filename: str) -> RawTable | None:
    """The « indicateurs » sheet of a workbook (any case or accents), or None when there is none."""
    if not filename.lower().endswith(".xlsx") or data[:4] != b"PK\x03\x04":
        return None
    check_xlsx_archive(data)
    from openpyxl import load_workbook  # imported here: only XLSX uploads pay for it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a broken file
        raise ParseError("Ce classeur Excel est illisible ou endommagé.") from err
    try:
        sheets = [s for s in workbook.worksheets[1:] if fold(s.title) == CATALOG_SHEET]
        if not sheets:
            return None
        matrix: list[list[str]] = []
        for values in sheets[0].iter_rows(values_only=True):
            if len(matrix) > MAX_CATALOG_ROWS:
                raise ParseError(f"La feuille « indicateurs » dépasse {MAX_CATALOG_ROWS} lignes.")
            matrix.append([_text(v) for v in values])
    finally:
        workbook.close()
    if not matrix:
        return None
    columns = tuple(normalize_header(name) for name in matrix[0])
    rows = []
    for line, cells in enumerate(matrix[1:], start=2):
        if any(cell for cell in cells):
            padded = [*cells, *([""] * (len(columns) - len(cells)))]
            rows.append(RawRow(line, {name: padded[i] for i, name in enumerate(columns) if name}))
    if not rows:
        return None
    return RawTable(columns, tuple(rows), "xlsx")


def is_catalog_table(columns: tuple[str, ...]) -> bool:
    """A catalog file names indicators (code, libellé…) and carries no figure value."""
    return col.VALEUR not in columns and "code" in columns and "libelle" in columns


@dataclass(frozen=True, slots=True)
class UploadReport:
    """What an upload did or would do: its figures, its catalog rows, and the catalog used to read them."""

    fichier: str
    sha256: str
    kind: UploadKind
    catalog_used: Catalog
    figures: ImportReport | None = None
    catalog: CatalogReport | None = None

    @property
    def refused(self) -> bool:
        """True when nothing can be written."""
        return any(r is not None and r.status == "refuse" for r in (self.figures, self.catalog))

    @property
    def errors(self) -> tuple[Issue, ...]:
        """Every blocking issue, the catalog sheet's first."""
        catalog = self.catalog.errors if self.catalog is not None else ()
        figures = self.figures.errors if self.figures is not None else ()
        return (*catalog, *figures)

    def summary(self) -> str:
        """French sentences for a person."""
        parts = [r.summary() for r in (self.catalog, self.figures) if r is not None]
        return " ".join(parts)


def _refused_figures(filename: str, digest: str, message: str) -> ImportReport:
    return ImportReport(filename, digest, "refuse", (Issue(None, None, "", message),))


def import_upload(
    store: Store,
    data: bytes,
    filename: str,
    *,
    current: Catalog,
    referentiel: Referentiel,
    auteur: str,
    max_bytes: int,
    dry_run: bool = False,
) -> UploadReport:
    """Validate an upload and, unless ``dry_run`` or any error, write all of it in one transaction."""
    digest = sha256_of(data)
    try:
        table = read_table(data, filename, max_bytes=max_bytes)
        sheet = None if is_catalog_table(table.columns) else read_catalog_sheet(data, filename)
    except ParseError as err:
        return UploadReport(
            filename, digest, "chiffres", current, _refused_figures(filename, digest, str(err))
        )
    if is_catalog_table(table.columns):
        report = import_catalog_table(
            store, table, filename, digest, current=current, auteur=auteur, dry_run=dry_run
        )
        used = report.plan.result or current
        return UploadReport(filename, digest, "catalogue", used, catalog=report)
    if sheet is None:
        figures = import_bytes(
            store,
            data,
            filename,
            catalog=current,
            referentiel=referentiel,
            auteur=auteur,
            max_bytes=max_bytes,
            dry_run=dry_run,
        )
        return UploadReport(filename, digest, "chiffres", current, figures)
    plan = plan_for_table(store, sheet, current)
    sheet_name = f"{filename} (feuille « indicateurs »)"
    if not plan.ok:
        catalog_report = CatalogReport(sheet_name, digest, "refuse", plan)
        figures = _refused_figures(
            filename, digest, "la feuille « indicateurs » contient des erreurs : corrigez-la d'abord"
        )
        return UploadReport(filename, digest, "chiffres", current, figures, catalog_report)
    used = plan.result or current

    def write_catalog(conn: Connection) -> None:
        # Re-planned under the write lock: another change of the catalog may have landed since the preview.
        fresh = plan_catalog(sheet, read_catalog(conn, current.themes) or current, codes_with_figures(conn))
        if not fresh.ok or fresh.result is None or fresh.result.all_indicators != used.all_indicators:
            raise StoreError("Le catalogue a changé pendant l'import : déposez le fichier à nouveau.")
        apply_plan(conn, fresh, fichier=sheet_name, digest=digest, auteur=auteur)

    figures = import_bytes(
        store,
        data,
        filename,
        catalog=used,
        referentiel=referentiel,
        auteur=auteur,
        max_bytes=max_bytes,
        dry_run=dry_run,
        also_write=None if dry_run or not plan.changes else write_catalog,
    )
    if figures.status == "deja_importe" and plan.changes and not dry_run:
        # The figures were already in (an earlier import of this very file), so their transaction wrote
        # nothing: the sheet's indicators go in on their own.
        report = import_catalog_table(store, sheet, sheet_name, digest, current=current, auteur=auteur)
        return UploadReport(filename, digest, "chiffres", used, figures, report)
    status: CatalogStatus = "apercu" if dry_run else ("refuse" if figures.status == "refuse" else "importe")
    if not plan.changes:
        status = "inchange"
    return UploadReport(
        filename, digest, "chiffres", used, figures, CatalogReport(sheet_name, digest, status, plan)
    )


__all__ = ["CATALOG_COLUMNS", "CatalogPlan", "UploadReport", "import_upload", "read_catalog_sheet"]
