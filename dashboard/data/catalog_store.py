"""The catalog in the store: seeded from the package on first start, changed by journalled, undoable imports.

Every change is one write transaction: it replaces the catalog table, keeps the whole previous catalog in
``catalog_imports.precedent`` and moves the data version, so cached pages and exports follow at once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, delete, func, insert, select, update

from dashboard.data import journal, schema
from dashboard.data.catalog import Catalog, Indicator, Theme
from dashboard.data.catalog_import import CatalogPlan, plan_catalog
from dashboard.data.importer import sha256_of
from dashboard.data.parsing import ParseError
from dashboard.data.reading import RawTable, read_table
from dashboard.data.store import Store
from dashboard.data.validation import Issue

SEED_AUTHOR = "catalogue embarqué"
CatalogStatus = Literal["importe", "apercu", "refuse", "inchange"]
_IND = schema.indicators
_CAT = schema.catalog_imports


def _record(ind: Indicator, position: int) -> dict[str, Any]:
    record = asdict(ind)
    record["synonymes"] = json.dumps(list(ind.synonymes), ensure_ascii=False)
    record["position"] = position
    return record


def _indicator(record: Any) -> Indicator:
    values = {name: record[name] for name in Indicator.__dataclass_fields__}
    values["synonymes"] = tuple(json.loads(values["synonymes"] or "[]"))
    values["sommable"] = bool(values["sommable"])
    values["essentiel"] = bool(values["essentiel"])
    values["retire"] = bool(values["retire"])
    return Indicator(**values)


def read_catalog(conn: Connection, themes: tuple[Theme, ...]) -> Catalog | None:
    """The store's catalog, or None when it was never seeded."""
    records = conn.execute(select(_IND).order_by(_IND.c.position)).mappings().all()
    if not records:
        return None
    return Catalog(themes, tuple(_indicator(r) for r in records))


def _snapshot(conn: Connection) -> str:
    records = conn.execute(select(_IND).order_by(_IND.c.position)).mappings().all()
    return json.dumps([dict(r) for r in records], ensure_ascii=False)


def _replace_catalog(conn: Connection, records: list[dict[str, Any]]) -> None:
    conn.execute(delete(_IND))
    if records:
        conn.execute(insert(_IND), records)


def seed_catalog(store: Store, shipped: Catalog) -> bool:
    """Write the package's catalog into a store that holds none; True when it did."""
    with store.read() as conn:
        if conn.scalar(select(func.count()).select_from(_IND)):
            return False
    with store.write() as conn:
        if conn.scalar(select(func.count()).select_from(_IND)):  # another process seeded it meanwhile
            conn.rollback()
            return False
        _write_catalog(
            conn,
            shipped,
            fichier="indicators.csv",
            digest="",
            auteur=SEED_AUTHOR,
            counts=(len(shipped), 0, 0, 0),
        )
    return True


def _write_catalog(
    conn: Connection,
    catalog: Catalog,
    *,
    fichier: str,
    digest: str,
    auteur: str,
    counts: tuple[int, int, int, int],
) -> int:
    previous = _snapshot(conn)
    _replace_catalog(conn, [_record(ind, i) for i, ind in enumerate(catalog.all_indicators, start=1)])
    inserted = conn.execute(
        insert(_CAT).values(
            fichier=fichier[:255],
            sha256=digest,
            importe_le=datetime.now(UTC),
            auteur=auteur[:120],
            nouveaux=counts[0],
            modifies=counts[1],
            inchanges=counts[2],
            supprimes=counts[3],
            precedent=previous,
        )
    ).inserted_primary_key
    assert inserted is not None  # an autoincrement key is always returned
    catalog_import_id = int(inserted[0])
    journal.record(
        conn,
        utilisateur=auteur,
        action="catalogue",
        detail=f"catalogue n° {catalog_import_id} : {fichier[:255]} — sha256 {digest or '—'} — "
        f"{counts[0]} nouveau(x), {counts[1]} modifié(s), {counts[2]} inchangé(s), {counts[3]} supprimé(s)",
    )
    return catalog_import_id


def codes_with_figures(conn: Connection) -> set[str]:
    """The indicator codes that have at least one stored figure."""
    return set(conn.scalars(select(schema.observations.c.indicateur).distinct()))


@dataclass(frozen=True, slots=True)
class CatalogReport:
    """What a catalog import did, or would do, or why it was refused."""

    fichier: str
    sha256: str
    status: CatalogStatus
    plan: CatalogPlan
    catalog_import_id: int | None = None

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The blocking issues."""
        return self.plan.errors

    def summary(self) -> str:
        """One French sentence for a person."""
        plan = self.plan
        if self.status == "refuse":
            return f"{self.fichier} : catalogue refusé, {len(plan.errors)} erreur(s) ; rien n'a été écrit."
        counts = (
            f"{len(plan.new)} indicateur(s) nouveau(x), {len(plan.changed)} modifié(s), "
            f"{len(plan.unchanged)} inchangé(s), {len(plan.deleted)} supprimé(s)"
        )
        if self.status == "inchange":
            return f"{self.fichier} : ces indicateurs sont déjà au catalogue à l'identique ; rien n'a changé."
        verb = "importé" if self.status == "importe" else "aperçu"
        return f"{self.fichier} : catalogue {verb} — {counts}."


def plan_for_table(store: Store, table: RawTable, current: Catalog) -> CatalogPlan:
    """Validate a catalog table against the current catalog and the figures the store holds."""
    with store.read() as conn:
        with_figures = codes_with_figures(conn)
    return plan_catalog(table, current, with_figures)


def apply_plan(conn: Connection, plan: CatalogPlan, *, fichier: str, digest: str, auteur: str) -> int | None:
    """Write a valid plan inside the caller's transaction; None when it changes nothing."""
    if plan.result is None or not plan.changes:
        return None
    counts = (len(plan.new), len(plan.changed), len(plan.unchanged), len(plan.deleted))
    return _write_catalog(conn, plan.result, fichier=fichier, digest=digest, auteur=auteur, counts=counts)


def import_catalog_bytes(
    store: Store,
    data: bytes,
    filename: str,
    *,
    current: Catalog,
    auteur: str,
    max_bytes: int,
    dry_run: bool = False,
) -> CatalogReport:
    """Validate a catalog file and, unless ``dry_run`` or any error, write it in one transaction."""
    digest = sha256_of(data)
    try:
        table = read_table(data, filename, max_bytes=max_bytes)
    except ParseError as err:
        return CatalogReport(filename, digest, "refuse", CatalogPlan((Issue(None, None, "", str(err)),)))
    return import_catalog_table(
        store, table, filename, digest, current=current, auteur=auteur, dry_run=dry_run
    )


def import_catalog_table(
    store: Store,
    table: RawTable,
    filename: str,
    digest: str,
    *,
    current: Catalog,
    auteur: str,
    dry_run: bool = False,
) -> CatalogReport:
    """The catalog import of an already read table (a CSV file, or a workbook's « indicateurs » sheet)."""
    plan = plan_for_table(store, table, current)
    if not plan.ok:
        return CatalogReport(filename, digest, "refuse", plan)
    if dry_run:
        return CatalogReport(filename, digest, "apercu", plan)
    if not plan.changes:
        return CatalogReport(filename, digest, "inchange", plan)
    with store.write() as conn:
        # Re-checked under the write lock: figures may have arrived since the plan was made.
        fresh = plan_catalog(table, _current_in(conn, current), codes_with_figures(conn))
        if not fresh.ok:
            conn.rollback()
            return CatalogReport(filename, digest, "refuse", fresh)
        catalog_import_id = apply_plan(conn, fresh, fichier=filename, digest=digest, auteur=auteur)
    return CatalogReport(filename, digest, "importe", fresh, catalog_import_id)


def _current_in(conn: Connection, fallback: Catalog) -> Catalog:
    return read_catalog(conn, fallback.themes) or fallback


@dataclass(frozen=True, slots=True)
class CatalogUndoReport:
    """What undoing a catalog import did, or why it was refused (in French)."""

    catalog_import_id: int
    status: Literal["annule", "refuse"]
    message: str


def undo_catalog_import(store: Store, catalog_import_id: int, *, auteur: str) -> CatalogUndoReport:
    """Restore the catalog exactly as it was before that import, or refuse with the reason.

    Only the latest catalog change still in force can be undone (an earlier one would lose the later
    ones), never the seed, and never when figures have since been stored for an indicator the undo would
    remove or whose unit or summability it would change.
    """

    def refused(message: str) -> CatalogUndoReport:
        return CatalogUndoReport(catalog_import_id, "refuse", message)

    if not 0 < catalog_import_id < 2**31:
        return refused(f"La modification du catalogue n° {catalog_import_id} n'existe pas.")
    with store.write() as conn:
        found = conn.execute(select(_CAT).where(_CAT.c.id == catalog_import_id)).mappings().first()
        latest = conn.scalar(select(func.max(_CAT.c.id)).where(_CAT.c.annule_le.is_(None)))
        message = None
        if found is None:
            message = f"La modification du catalogue n° {catalog_import_id} n'existe pas."
        elif found["annule_le"] is not None:
            message = f"La modification du catalogue n° {catalog_import_id} a déjà été annulée."
        elif found["auteur"] == SEED_AUTHOR and found["sha256"] == "":
            message = "Le catalogue embarqué (premier démarrage) ne s'annule pas."
        elif latest != catalog_import_id:
            message = (
                f"La modification n° {latest} du catalogue, plus récente, est en vigueur : annulez-la avant."
            )
        if found is None or message is not None:
            conn.rollback()
            return refused(message or "")
        previous = json.loads(found["precedent"])
        restored = {r["code"]: _indicator(r) for r in previous}
        current = {r["code"]: _indicator(r) for r in conn.execute(select(_IND)).mappings()}
        blocked = sorted(
            code
            for code in codes_with_figures(conn)
            if code in current
            and (
                code not in restored
                or (restored[code].unite, restored[code].sommable)
                != (current[code].unite, current[code].sommable)
            )
        )
        if blocked:
            conn.rollback()
            return refused(
                f"Des chiffres ont été importés depuis pour {', '.join(blocked[:5])} : annulez d'abord ces "
                "imports de chiffres, puis cette modification du catalogue."
            )
        _replace_catalog(conn, previous)
        conn.execute(
            update(_CAT)
            .where(_CAT.c.id == catalog_import_id)
            .values(annule_le=datetime.now(UTC), annule_par=auteur[:120])
        )
        journal.record(
            conn,
            utilisateur=auteur,
            action="annulation catalogue",
            detail=f"catalogue n° {catalog_import_id} ({found['fichier']}) annulé",
        )
    return CatalogUndoReport(
        catalog_import_id,
        "annule",
        f"Modification du catalogue n° {catalog_import_id} ({found['fichier']}) annulée : le catalogue "
        "précédent est rétabli.",
    )


CATALOG_HISTORY_COLUMNS = (
    "id",
    "fichier",
    "sha256",
    "importe_le",
    "auteur",
    "nouveaux",
    "modifies",
    "inchanges",
    "supprimes",
    "annule_le",
    "annule_par",
)


def catalog_history(store: Store, limit: int = 50) -> pd.DataFrame:
    """The latest catalog changes, newest first (columns: CATALOG_HISTORY_COLUMNS)."""
    query = (
        select(*(_CAT.c[name] for name in CATALOG_HISTORY_COLUMNS)).order_by(_CAT.c.id.desc()).limit(limit)
    )
    with store.read() as conn:
        records = conn.execute(query).mappings().all()
    return pd.DataFrame([dict(r) for r in records], columns=list(CATALOG_HISTORY_COLUMNS))


def published_years(conn: Connection) -> dict[str, dict[str, list[int]]]:
    """For each indicator: which caisses published it, and for which years (caisse id → sorted years)."""
    obs = schema.observations
    query = select(obs.c.indicateur, obs.c.caisse, obs.c.annee).distinct()
    found: dict[str, dict[str, list[int]]] = {}
    for code, caisse, year in conn.execute(query):
        found.setdefault(code, {}).setdefault(caisse, []).append(int(year))
    for caisses in found.values():
        for years in caisses.values():
            years.sort()
    return found
