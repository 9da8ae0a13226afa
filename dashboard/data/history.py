"""The import history, and undoing one import: its added figures removed, its replaced values restored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import pandas as pd
from sqlalchemy import delete, func, insert, select

from dashboard.data import journal, schema
from dashboard.data.store import Store

UndoStatus = Literal["annule", "refuse"]

HISTORY_COLUMNS = (
    "id",
    "fichier",
    "sha256",
    "importe_le",
    "auteur",
    "lignes",
    "nouvelles",
    "modifiees",
    "inchangees",
    "annule_le",
    "annule_par",
)


@dataclass(frozen=True, slots=True)
class UndoReport:
    """What undoing an import did, or why it was refused (in French)."""

    import_id: int
    status: UndoStatus
    message: str
    removed: int = 0
    restored: int = 0


def import_history(store: Store, limit: int = 50) -> pd.DataFrame:
    """The latest imports, newest first, with when and by whom each was undone (columns: HISTORY_COLUMNS)."""
    imp, undone = schema.imports, schema.undone_imports
    query = (
        select(imp, undone.c.annule_le, undone.c.annule_par)
        .outerjoin(undone, undone.c.import_id == imp.c.id)
        .order_by(imp.c.id.desc())
        .limit(limit)
    )
    with store.read() as conn:
        records = conn.execute(query).mappings().all()
    return pd.DataFrame([dict(r) for r in records], columns=list(HISTORY_COLUMNS))


def undo_import(store: Store, import_id: int, *, auteur: str) -> UndoReport:
    """Undo one import in a single transaction, or refuse with the reason.

    The figures the import added are removed and those it replaced get back their previous values (and
    owner import). Refused when a later import, still in force, changed the same figures: undo that one
    first, so that no later value is ever silently lost.
    """
    imp, obs, replaced, undone = (
        schema.imports,
        schema.observations,
        schema.replaced_values,
        schema.undone_imports,
    )
    if not 0 < import_id < 2**31:
        return UndoReport(import_id, "refuse", f"L'import n° {import_id} n'existe pas.")
    with store.write() as conn:
        found = conn.execute(select(imp.c.id, imp.c.fichier).where(imp.c.id == import_id)).first()
        if found is None:
            conn.rollback()
            return UndoReport(import_id, "refuse", f"L'import n° {import_id} n'existe pas.")
        if conn.scalar(select(undone.c.import_id).where(undone.c.import_id == import_id)) is not None:
            conn.rollback()
            return UndoReport(import_id, "refuse", f"L'import n° {import_id} a déjà été annulé.")
        later = conn.scalar(
            select(func.min(replaced.c.import_id)).where(
                replaced.c.ancien_import_id == import_id,
                replaced.c.import_id.not_in(select(undone.c.import_id)),
            )
        )
        if later is not None:
            conn.rollback()
            return UndoReport(
                import_id,
                "refuse",
                f"L'import n° {later}, plus récent, a modifié des chiffres de l'import n° {import_id} : "
                f"annulez d'abord l'import n° {later}.",
            )
        previous = conn.execute(
            select(*(replaced.c[f] for f in schema.OBSERVATION_FIELDS), replaced.c.ancien_import_id).where(
                replaced.c.import_id == import_id
            )
        ).mappings()
        restored_rows = [
            {**{f: row[f] for f in schema.OBSERVATION_FIELDS}, "import_id": row["ancien_import_id"]}
            for row in previous
        ]
        removed = conn.execute(delete(obs).where(obs.c.import_id == import_id)).rowcount
        if restored_rows:
            conn.execute(insert(obs), restored_rows)
        conn.execute(
            insert(undone).values(import_id=import_id, annule_le=datetime.now(UTC), annule_par=auteur[:120])
        )
        added = removed - len(restored_rows)
        journal.record(
            conn,
            utilisateur=auteur,
            action="annulation",
            detail=f"import n° {import_id} ({found.fichier}) annulé : {added} chiffre(s) retiré(s), "
            f"{len(restored_rows)} valeur(s) rétablie(s)",
            import_id=import_id,
        )
    return UndoReport(
        import_id,
        "annule",
        f"Import n° {import_id} ({found.fichier}) annulé : {added} chiffre(s) retiré(s), "
        f"{len(restored_rows)} valeur(s) précédente(s) rétablie(s).",
        removed=added,
        restored=len(restored_rows),
    )
