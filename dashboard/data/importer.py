"""File → parse → validate → one transaction. The command line and the upload page share this path."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import Connection, insert, select, tuple_, update

from dashboard.data import journal, schema
from dashboard.data.catalog import Catalog
from dashboard.data.parsing import ParseError
from dashboard.data.reading import read_table
from dashboard.data.referentiel import Referentiel
from dashboard.data.store import Store
from dashboard.data.validation import (
    Issue,
    ObservationIn,
    far_from_previous_year,
    observation_key,
    previous_year_key,
    validate_table,
)
from dashboard.formatting import format_number

NOTHING_TO_IMPORT = (
    "aucun chiffre à importer : aucune ligne du fichier ne porte de valeur (une ligne sans valeur est "
    "ignorée). Vérifiez que le fichier est le bon et que les valeurs sont saisies."
)
Status = Literal["importe", "deja_importe", "refuse", "apercu"]
Key = tuple[str, int, str, str, str, int]

# The stored fields a re-import may change; the key fields never change for a key.
_VALUE_FIELDS = schema.OBSERVATION_VALUES
_KEY_FIELDS = schema.OBSERVATION_KEY


@dataclass(frozen=True, slots=True)
class Change:
    """One figure an import adds (``before`` is None) or changes: its key, stored and new values."""

    key: Key
    before: dict[str, Any] | None
    after: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, or would do, or why it was refused."""

    fichier: str
    sha256: str
    status: Status
    issues: tuple[Issue, ...] = ()
    lignes: int = 0
    nouvelles: tuple[Key, ...] = ()
    modifiees: tuple[Key, ...] = ()
    inchangees: tuple[Key, ...] = ()
    import_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The issues that do not block the import."""
        return tuple(i for i in self.issues if i.severity != "erreur")

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The blocking issues."""
        return tuple(i for i in self.issues if i.severity == "erreur")

    def summary(self) -> str:
        """One French sentence for a person."""
        if self.status == "refuse":
            return f"{self.fichier} : refusé, {_n(len(self.errors))} erreur(s) ; rien n'a été écrit."
        if self.status == "deja_importe" and self.details.get("sans_changement"):
            return f"{self.fichier} : toutes ses valeurs sont déjà dans la base ; rien n'a changé."
        if self.status == "deja_importe":
            return f"{self.fichier} : déjà importé à l'identique ; rien n'a changé."
        verb = "importé" if self.status == "importe" else "aperçu"
        return (
            f"{self.fichier} : {verb}, {_n(self.lignes)} ligne(s) — {_n(len(self.nouvelles))} nouvelle(s), "
            f"{_n(len(self.modifiees))} modifiée(s), {_n(len(self.inchangees))} inchangée(s)."
        )


def _n(count: int) -> str:
    return format_number(count)


def _record(row: ObservationIn) -> dict[str, Any]:
    return {
        "caisse": row.caisse,
        "annee": row.annee,
        "indicateur": row.indicateur,
        "periode": row.periode,
        "nature": row.nature,
        "annee_reference": row.annee_reference or 0,
        "valeur": row.valeur,
        "qualificatif": row.qualificatif,
        "derive": row.derivation is not None,
        "derivation": row.derivation,
        "source": row.source,
        "url": row.url,
        "commentaire": row.commentaire,
    }


def _chunks(keys: Sequence[Key]) -> Iterator[tuple[Any, ...]]:
    """The conditions that select these keys, a few hundred at a time."""
    obs = schema.observations
    key_cols = tuple(obs.c[f] for f in _KEY_FIELDS)
    # In the unique index's order: a chunk then names a few caisses, whose figures of the year are all that
    # SQLite reads for it. A file in indicator order would name a hundred caisses in every chunk.
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        # The caisse and year filters let SQLite search the unique index (caisse, annee, …); a row-value
        # IN alone scans the whole index for every chunk (5 s for 10 000 rows on a 300 000-figure store).
        yield (
            obs.c.caisse.in_({k[0] for k in chunk}),
            obs.c.annee.in_({k[1] for k in chunk}),
            tuple_(*key_cols).in_(chunk),
        )


def _existing(conn: Connection, keys: Sequence[Key]) -> dict[Key, dict[str, Any]]:
    """The stored figures with these keys, fetched in a few queries."""
    obs = schema.observations
    key_cols = tuple(obs.c[f] for f in _KEY_FIELDS)
    found: dict[Key, dict[str, Any]] = {}
    for where in _chunks(keys):
        query = select(obs.c.id, obs.c.import_id, *key_cols, *(obs.c[f] for f in _VALUE_FIELDS)).where(*where)
        for record in conn.execute(query).mappings():
            found[cast(Key, tuple(record[f] for f in _KEY_FIELDS))] = dict(record)
    return found


def _stored_values(conn: Connection, keys: Sequence[Key]) -> dict[Key, float]:
    """The stored values of these keys, and nothing else.

    At full scale a year holds ten thousand figures: reading every column of each as a mapping cost a
    third of an import's time.
    """
    obs = schema.observations
    key_cols = tuple(obs.c[f] for f in _KEY_FIELDS)
    found: dict[Key, float] = {}
    for where in _chunks(keys):
        for *key, value in conn.execute(select(*key_cols, obs.c.valeur).where(*where)):
            found[cast(Key, tuple(key))] = float(value)
    return found


def _classify(
    rows: Sequence[ObservationIn], existing: dict[Key, dict[str, Any]]
) -> tuple[list[ObservationIn], list[tuple[int, ObservationIn]], list[ObservationIn]]:
    new, changed, same = [], [], []
    for row in rows:
        stored = existing.get(observation_key(row))
        if stored is None:
            new.append(row)
        elif any(stored[f] != _record(row)[f] for f in _VALUE_FIELDS):
            changed.append((stored["id"], row))
        else:
            same.append(row)
    return new, changed, same


def _far_values(
    conn: Connection, rows: Sequence[ObservationIn], catalog: Catalog, same: Sequence[ObservationIn]
) -> list[Issue]:
    """Warnings for new or changed levels far from the previous year's (in the file or in the store)."""
    unchanged = {observation_key(r) for r in same}
    checked = [r for r in rows if r.nature == "niveau" and observation_key(r) not in unchanged]
    in_file = {observation_key(r): r.valeur for r in rows}
    wanted = [previous_year_key(r) for r in checked if previous_year_key(r) not in in_file]
    stored = _stored_values(conn, wanted)
    warnings = []
    for row in checked:
        previous = in_file.get(previous_year_key(row), stored.get(previous_year_key(row)))
        if previous is not None:
            issue = far_from_previous_year(row, previous, catalog.get(row.indicateur).unite)
            if issue is not None:
                warnings.append(issue)
    return warnings


def _live_import_with(conn: Connection, digest: str) -> int | None:
    """The import of a file with this fingerprint that was not undone, if any."""
    imp, undone = schema.imports, schema.undone_imports
    return conn.scalar(
        select(imp.c.id)
        .where(imp.c.sha256 == digest, imp.c.id.not_in(select(undone.c.import_id)))
        .order_by(imp.c.id.desc())
        .limit(1)
    )


def _write(
    conn: Connection,
    import_id: int,
    new: Sequence[ObservationIn],
    changed: Sequence[tuple[int, ObservationIn]],
    existing: dict[Key, dict[str, Any]],
) -> None:
    """Insert the new figures, keep the previous version of each changed one, then update it."""
    if new:
        conn.execute(insert(schema.observations), [{**_record(r), "import_id": import_id} for r in new])
    if changed:
        conn.execute(
            insert(schema.replaced_values),
            [
                {
                    "import_id": import_id,
                    **{f: existing[observation_key(r)][f] for f in (*_KEY_FIELDS, *_VALUE_FIELDS)},
                    "ancien_import_id": existing[observation_key(r)]["import_id"],
                }
                for _, r in changed
            ],
        )
    for obs_id, row in changed:
        conn.execute(
            update(schema.observations)
            .where(schema.observations.c.id == obs_id)
            .values(**{f: _record(row)[f] for f in _VALUE_FIELDS}, import_id=import_id)
        )


def sha256_of(data: bytes) -> str:
    """The file's fingerprint, kept with the import."""
    return hashlib.sha256(data).hexdigest()


def import_bytes(
    store: Store,
    data: bytes,
    filename: str,
    *,
    catalog: Catalog,
    referentiel: Referentiel,
    auteur: str,
    max_bytes: int,
    dry_run: bool = False,
    also_write: Callable[[Connection], None] | None = None,
) -> ImportReport:
    """Validate a file and, unless ``dry_run`` or any error, write it in one transaction.

    A file already imported (same SHA-256) changes nothing; a corrected file replaces the figures it covers.
    ``also_write`` writes what goes with the figures (a workbook's catalog sheet) in the same transaction.
    """
    digest = sha256_of(data)
    try:
        table = read_table(data, filename, max_bytes=max_bytes)
    except ParseError as err:
        return ImportReport(filename, digest, "refuse", (Issue(None, None, "", str(err)),))
    result = validate_table(table, catalog, referentiel)
    if not result.ok:
        return ImportReport(filename, digest, "refuse", result.issues, lignes=len(table.rows))
    if not result.rows:
        # An import that imports nothing is refused: no history entry, no new data version.
        return ImportReport(
            filename, digest, "refuse", (Issue(None, None, "", NOTHING_TO_IMPORT), *result.issues)
        )
    rows = result.rows
    # A preview only reads (it works on a read-only store too); an import holds the single write lock.
    with store.read() if dry_run else store.write() as conn:
        already = _live_import_with(conn, digest)
        if already is not None and not dry_run:
            # Nothing to write: leave the transaction without touching the data version.
            conn.rollback()
            return ImportReport(filename, digest, "deja_importe", result.issues, len(rows), import_id=already)
        existing = _existing(conn, [observation_key(r) for r in rows])
        new, changed, same = _classify(rows, existing)
        issues = (*result.issues, *_far_values(conn, rows, catalog, same))
        changes = (
            *(Change(observation_key(r), None, _values(r)) for r in new),
            *(
                Change(
                    observation_key(r),
                    {f: existing[observation_key(r)][f] for f in _VALUE_FIELDS},
                    _values(r),
                )
                for _, r in changed
            ),
        )
        keys = (
            tuple(observation_key(r) for r in new),
            tuple(observation_key(r) for _, r in changed),
            tuple(observation_key(r) for r in same),
        )
        if not dry_run and not new and not changed:
            # Every value is already stored: like a file imported twice, nothing is recorded.
            conn.rollback()
            return ImportReport(
                filename, digest, "deja_importe", issues, len(rows), *keys, details={"sans_changement": True}
            )
        if dry_run:
            conn.rollback()
            details = {"deja_importe": already} if already is not None else {}
            return ImportReport(
                filename, digest, "apercu", issues, len(rows), *keys, details=details, changes=changes
            )
        if also_write is not None:
            also_write(conn)
        inserted = conn.execute(
            insert(schema.imports).values(
                fichier=filename[:255],
                sha256=digest,
                importe_le=datetime.now(UTC),
                auteur=auteur[:120],
                lignes=len(rows),
                nouvelles=len(new),
                modifiees=len(changed),
                inchangees=len(same),
            )
        ).inserted_primary_key
        assert inserted is not None  # an autoincrement key is always returned
        import_id = int(inserted[0])
        _write(conn, import_id, new, changed, existing)
        journal.record(
            conn,
            utilisateur=auteur,
            action="import",
            detail=f"{filename[:255]} — sha256 {digest} — {len(rows)} ligne(s) : {len(new)} nouvelle(s), "
            f"{len(changed)} modifiée(s), {len(same)} inchangée(s)",
            import_id=import_id,
        )
    return ImportReport(
        filename, digest, "importe", issues, len(rows), *keys, import_id=import_id, changes=changes
    )


def _values(row: ObservationIn) -> dict[str, Any]:
    record = _record(row)
    return {f: record[f] for f in _VALUE_FIELDS}
