"""First start: fill an empty store from the embedded files of ``data/``, written in the import format."""

from __future__ import annotations

from pathlib import Path

from dashboard.data.catalog import Catalog
from dashboard.data.importer import ImportReport, import_bytes
from dashboard.data.referentiel import Referentiel
from dashboard.data.store import Store

SEED_AUTHOR = "données embarquées"
# The embedded figures, in import order: published values first, then values derived from them.
EMBEDDED_FILES = ("chiffres_publies.csv", "rapports_sources.csv", "valeurs_derivees.csv")


class SeedError(RuntimeError):
    """An embedded file does not pass validation: the product itself is broken."""


def embedded_files(data_dir: Path) -> list[Path]:
    """The embedded import files present in ``data_dir``, in import order."""
    return [data_dir / name for name in EMBEDDED_FILES if (data_dir / name).exists()]


def seed_if_empty(
    store: Store, catalog: Catalog, referentiel: Referentiel, data_dir: Path
) -> list[ImportReport]:
    """Import the embedded files when the store holds no import yet; return what each import did."""
    if store.import_count() > 0:
        return []
    reports = []
    for path in embedded_files(data_dir):
        report = import_bytes(
            store,
            path.read_bytes(),
            path.name,
            catalog=catalog,
            referentiel=referentiel,
            auteur=SEED_AUTHOR,
            max_bytes=50 * 1024 * 1024,
        )
        if report.status == "refuse":
            details = "\n".join(str(issue) for issue in report.errors[:20])
            raise SeedError(f"Fichier embarqué invalide : {path.name}\n{details}")
        reports.append(report)
    return reports
