"""Committees: a dossier saved with its selection and a copy of its figures, and what changed since.

A committee keeps the figures of its caisses and years as they stood (``committee_figures``). The next
dossier for the same selection compares that copy with the store: figures new since, changed (before →
after, with the import that brought the new value) and withdrawn (an undone import, for instance).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from dashboard.data import schema
from dashboard.data.store import Store

# (caisse, annee, indicateur, periode, nature, annee_reference): one published figure.
FigureKey = tuple[str, int, str, str, str, int]


@dataclass(frozen=True, slots=True)
class Committee:
    """A saved committee."""

    id: int
    held: datetime
    author: str
    caisses: tuple[str, ...]
    annee: int
    comparaison: int | None
    charts: tuple[str, ...]
    data_version: int


@dataclass(frozen=True, slots=True)
class FigureState:
    """One figure's value and the import it came from."""

    valeur: float
    qualificatif: str
    import_id: int
    import_file: str = ""
    imported: datetime | None = None


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed in a selection since a committee, each list sorted by figure."""

    committee: Committee
    new: tuple[tuple[FigureKey, FigureState], ...]
    changed: tuple[tuple[FigureKey, FigureState, FigureState], ...]
    withdrawn: tuple[tuple[FigureKey, FigureState], ...]

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.new or self.changed or self.withdrawn)


def selection_key(caisses: Sequence[str], annee: int, comparaison: int | None) -> str:
    """The key of a selection: the same caisses (in any order), year and comparison year."""
    return f"{','.join(sorted(caisses))}|{annee}|{comparaison if comparaison is not None else ''}"


def _years(annee: int, comparaison: int | None) -> list[int]:
    return [annee] if comparaison is None else [comparaison, annee]


def _current(conn: Any, caisses: Sequence[str], years: Sequence[int]) -> dict[FigureKey, FigureState]:
    obs, imp = schema.observations, schema.imports
    query = (
        select(
            obs.c.caisse,
            obs.c.annee,
            obs.c.indicateur,
            obs.c.periode,
            obs.c.nature,
            obs.c.annee_reference,
            obs.c.valeur,
            obs.c.qualificatif,
            obs.c.import_id,
            imp.c.fichier,
            imp.c.importe_le,
        )
        .join(imp, imp.c.id == obs.c.import_id)
        .where(obs.c.caisse.in_(list(caisses)), obs.c.annee.in_(list(years)))
    )
    return {
        (r[0], int(r[1]), r[2], r[3], r[4], int(r[5])): FigureState(float(r[6]), r[7], int(r[8]), r[9], r[10])
        for r in conn.execute(query).all()
    }


def save_committee(
    store: Store,
    *,
    caisses: Sequence[str],
    annee: int,
    comparaison: int | None,
    charts: Sequence[str],
    author: str,
    data_version: int,
) -> int:
    """Save a committee and a copy of its selection's figures, in one transaction; return its id."""
    with store.write(bump_version=False) as conn:
        figures = _current(conn, caisses, _years(annee, comparaison))
        inserted = conn.execute(
            insert(schema.committees).values(
                cle=selection_key(caisses, annee, comparaison),
                tenu_le=datetime.now(UTC),
                auteur=(author or "anonyme")[:120],
                caisses=",".join(caisses)[:400],
                annee=annee,
                comparaison=comparaison,
                graphiques=json.dumps(list(charts)),
                version_donnees=data_version,
            )
        ).inserted_primary_key
        assert inserted is not None
        committee_id = inserted[0]
        rows = [
            {
                "committee_id": committee_id,
                "caisse": key[0],
                "annee": key[1],
                "indicateur": key[2],
                "periode": key[3],
                "nature": key[4],
                "annee_reference": key[5],
                "valeur": state.valeur,
                "qualificatif": state.qualificatif,
                "import_id": state.import_id,
            }
            for key, state in figures.items()
        ]
        if rows:
            conn.execute(insert(schema.committee_figures), rows)
    return int(committee_id)


def _committee(row: Any) -> Committee:
    held = row.tenu_le if row.tenu_le.tzinfo else row.tenu_le.replace(tzinfo=UTC)
    return Committee(
        id=int(row.id),
        held=held,
        author=row.auteur,
        caisses=tuple(c for c in row.caisses.split(",") if c),
        annee=int(row.annee),
        comparaison=int(row.comparaison) if row.comparaison is not None else None,
        charts=tuple(json.loads(row.graphiques)),
        data_version=int(row.version_donnees),
    )


def last_committee(
    store: Store, caisses: Sequence[str], annee: int, comparaison: int | None
) -> Committee | None:
    """The latest committee saved for this selection, if any."""
    table = schema.committees
    query = (
        select(table)
        .where(table.c.cle == selection_key(caisses, annee, comparaison))
        .order_by(table.c.id.desc())
        .limit(1)
    )
    with store.read() as conn:
        row = conn.execute(query).first()
    return _committee(row) if row is not None else None


def changes_since(store: Store, committee: Committee) -> Changes:
    """The figures of the committee's selection that are new, changed or withdrawn since it was held."""
    saved = schema.committee_figures
    with store.read() as conn:
        now = _current(conn, committee.caisses, _years(committee.annee, committee.comparaison))
        rows = conn.execute(select(saved).where(saved.c.committee_id == committee.id)).all()
    before = {
        (r.caisse, int(r.annee), r.indicateur, r.periode, r.nature, int(r.annee_reference)): FigureState(
            float(r.valeur), r.qualificatif, int(r.import_id)
        )
        for r in rows
    }
    new = tuple(sorted((k, s) for k, s in now.items() if k not in before))
    withdrawn = tuple(sorted((k, s) for k, s in before.items() if k not in now))
    changed = tuple(
        sorted(
            (k, before[k], s)
            for k, s in now.items()
            if k in before and (s.valeur, s.qualificatif) != (before[k].valeur, before[k].qualificatif)
        )
    )
    return Changes(committee, new, changed, withdrawn)
