"""File → parse → validate → one transaction. The command line and the upload page share this path."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, insert, select, tuple_, update

from dashboard.data import schema
from dashboard.data.catalog import Catalog
from dashboard.data.parsing import ParseError
from dashboard.data.reading import read_table
from dashboard.data.referentiel import Referentiel
from dashboard.data.store import Store
from dashboard.data.validation import Issue, ObservationIn, observation_key, validate_table

Status = Literal["importe", "deja_importe", "refuse", "apercu"]
Key = tuple[str, int, str, str, str, int]

# The stored fields a re-import may change; the key fields never change for a key.
_VALUE_FIELDS = ("valeur", "qualificatif", "derive", "derivation", "source", "url", "commentaire")


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

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The blocking issues."""
        return tuple(i for i in self.issues if i.severity == "erreur")

    def summary(self) -> str:
        """One French sentence for a person."""
        if self.status == "refuse":
            return f"{self.fichier} : refusé, {len(self.errors)} erreur(s) ; rien n'a été écrit."
        if self.status == "deja_importe":
            return f"{self.fichier} : déjà importé à l'identique ; rien n'a changé."
        verb = "importé" if self.status == "importe" else "aperçu"
        return (
            f"{self.fichier} : {verb}, {self.lignes} ligne(s) — {len(self.nouvelles)} nouvelle(s), "
            f"{len(self.modifiees)} modifiée(s), {len(self.inchangees)} inchangée(s)."
        )


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


def _existing(conn: Connection, rows: Sequence[ObservationIn]) -> dict[Key, dict[str, Any]]:
    """The stored figures that share a key with the file's rows, fetched in a few queries."""
    obs = schema.observations
    key_cols = (
        obs.c.caisse,
        obs.c.annee,
        obs.c.indicateur,
        obs.c.periode,
        obs.c.nature,
        obs.c.annee_reference,
    )
    keys = [observation_key(r) for r in rows]
    found: dict[Key, dict[str, Any]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = select(obs.c.id, *key_cols, *(obs.c[f] for f in _VALUE_FIELDS)).where(
            tuple_(*key_cols).in_(chunk)
        )
        for record in conn.execute(query).mappings():
            key = (
                record["caisse"],
                record["annee"],
                record["indicateur"],
                record["periode"],
                record["nature"],
                record["annee_reference"],
            )
            found[key] = dict(record)
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
) -> ImportReport:
    """Validate a file and, unless ``dry_run`` or any error, write it in one transaction.

    A file already imported (same SHA-256) changes nothing; a corrected file replaces the figures it covers.
    """
    digest = sha256_of(data)
    try:
        table = read_table(data, filename, max_bytes=max_bytes)
    except ParseError as err:
        return ImportReport(filename, digest, "refuse", (Issue(None, None, "", str(err)),))
    result = validate_table(table, catalog, referentiel)
    if not result.ok:
        return ImportReport(filename, digest, "refuse", result.issues, lignes=len(table.rows))
    rows = result.rows
    with store.write(bump_version=not dry_run) as conn:
        already = conn.scalar(select(schema.imports.c.id).where(schema.imports.c.sha256 == digest).limit(1))
        if already is not None and not dry_run:
            # Nothing to write: leave the transaction without touching the data version.
            conn.rollback()
            return ImportReport(filename, digest, "deja_importe", result.issues, len(rows), import_id=already)
        new, changed, same = _classify(rows, _existing(conn, rows))
        new_keys = tuple(observation_key(r) for r in new)
        changed_keys = tuple(observation_key(r) for _, r in changed)
        same_keys = tuple(observation_key(r) for r in same)
        if dry_run:
            conn.rollback()
            return ImportReport(
                filename, digest, "apercu", result.issues, len(rows), new_keys, changed_keys, same_keys
            )
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
        if new:
            conn.execute(insert(schema.observations), [{**_record(r), "import_id": import_id} for r in new])
        for obs_id, row in changed:
            conn.execute(
                update(schema.observations)
                .where(schema.observations.c.id == obs_id)
                .values(**{f: _record(row)[f] for f in _VALUE_FIELDS}, import_id=import_id)
            )
    return ImportReport(
        filename,
        digest,
        "importe",
        result.issues,
        len(rows),
        new_keys,
        changed_keys,
        same_keys,
        import_id=import_id,
    )
