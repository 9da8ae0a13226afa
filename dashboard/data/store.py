"""Engine, transactions and the data version of the store (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import logging
import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dashboard.data import migrations, schema
from dashboard.data.referentiel import Referentiel

logger = logging.getLogger(__name__)

VERSION_KEY = "version_donnees"
# One writer at a time on PostgreSQL too: the same serialisation SQLite gets from BEGIN IMMEDIATE.
_PG_WRITE_LOCK = 727_274


class StoreError(RuntimeError):
    """The store cannot be used as asked (locked, read-only, unreachable); the message is French."""


class StoreBusy(StoreError):
    """Another write holds the store: the same request may succeed in a moment (HTTP 503)."""


class UpgradeNeeded(StoreError):
    """The store was made by an earlier version: its schema must be upgraded before use."""


UPGRADE_MESSAGE = (
    "La base de données a été créée par une version précédente du tableau de bord et doit être mise à "
    f"jour avant usage. Lancez : {migrations.UPGRADE_COMMAND} (après une sauvegarde, par exemple "
    "python -m dashboard db backup sauvegarde.sqlite3 pour SQLite ou pg_dump pour PostgreSQL)."
)


def _french_error(err: OperationalError) -> StoreError:
    """A clear French message for what usually goes wrong with a database file or server."""
    return _french_driver_error(err.orig)


def _french_driver_error(orig: BaseException | None) -> StoreError:
    """``_french_error`` for the driver's own exception."""
    message = str(orig).lower()
    if "locked" in message or "busy" in message:
        return StoreBusy("La base de données est occupée par une autre écriture : réessayez dans un instant.")
    if "readonly" in message or "read-only" in message or "read only" in message:
        return StoreError("La base de données est en lecture seule : aucune écriture n'est possible.")
    if "full" in message or "no space" in message or "disk quota" in message:
        return StoreError(
            "Le disque de la base de données est plein : rien n'a été écrit. Libérez de la place (ou "
            "demandez-le à l'équipe informatique), puis recommencez."
        )
    if "unable to open" in message or "connection" in message or "could not" in message:
        return StoreError("La base de données est inaccessible : vérifiez son adresse et ses droits.")
    # The driver's own text is English and technical: it goes to the log, a person reads French.
    logger.error("erreur de la base de données : %s", orig)
    return StoreError(
        "Opération impossible sur la base de données ; rien n'a été écrit. Le détail est dans le journal "
        "du serveur."
    )


def _dispose_after_fork(engine: Engine) -> None:
    """Forget, in a forked child (a gunicorn worker), the connections inherited from the parent.

    The parent keeps using its own; the child opens fresh ones (SQLAlchemy's advice for forking servers).
    """
    ref = weakref.ref(engine)

    def after_in_child() -> None:
        found = ref()
        if found is not None:
            found.dispose(close=False)

    os.register_at_fork(after_in_child=after_in_child)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL lets readers go on during an import; explicit BEGIN (IMMEDIATE for writes) serialises writers."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as err:  # a read-only file cannot switch journal mode; reads work
            logger.warning("mode WAL non activé (%s) : la base reste lisible", err)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """The database behind the dashboard: created on first use, written only in transactions."""

    def __init__(self, database_url: str, *, busy_timeout_ms: int = 5000) -> None:
        url = make_url(database_url)
        self.is_sqlite = url.get_backend_name() == "sqlite"
        self.is_postgresql = url.get_backend_name() == "postgresql"
        read_only_uri = bool(url.query.get("uri")) and "mode=ro" in str(url)
        if self.is_sqlite and url.database and url.database != ":memory:" and not read_only_uri:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            _configure_sqlite(self.engine, busy_timeout_ms)
        _dispose_after_fork(self.engine)
        # Write transactions this process has run: a reader that kept the data version for a request
        # reads it again after one of its own writes.
        self.writes = 0
        # The data version's query as this engine's SQL, its one value written in (a constant of ours).
        self._version_sql = str(
            select(schema.store_meta.c.valeur)
            .where(schema.store_meta.c.cle == VERSION_KEY)
            .compile(self.engine, compile_kwargs={"literal_binds": True})
        )

    def create(self, referentiel: Referentiel) -> None:
        """Create an empty store's tables and load the référentiel (idempotent).

        Raises:
            UpgradeNeeded: the store was made by an earlier version (``python -m dashboard db upgrade``).
        """
        try:
            with self.read() as conn:
                empty = migrations.is_empty(conn)
                outdated = not empty and migrations.needs_upgrade(conn)
            if outdated:
                raise UpgradeNeeded(UPGRADE_MESSAGE)
            if empty:
                with self.write(bump_version=False) as conn:
                    schema.metadata.create_all(conn)
                    migrations.stamp_head(conn)
            with self.read() as conn:
                missing = self._missing_referentiel(conn, referentiel)
        except OperationalError as err:
            raise _french_error(err) from err
        if not any(missing):
            return  # nothing to write: a read-only store opens too
        new_deps, new_caisses, no_version = missing
        with self.write(bump_version=False) as conn:
            if new_deps:
                conn.execute(insert(schema.departements), new_deps)
            if new_caisses:
                conn.execute(insert(schema.caisses), new_caisses)
            if no_version:
                conn.execute(insert(schema.store_meta).values(cle=VERSION_KEY, valeur=0))

    def needs_upgrade(self) -> bool:
        """True when the store was made by an earlier version and must be upgraded before use."""
        with self.read() as conn:
            return migrations.needs_upgrade(conn)

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the schema to this version in one transaction; return (revision before, after)."""
        with self.write(bump_version=False) as conn:
            return migrations.upgrade(conn)

    @staticmethod
    def _missing_referentiel(
        conn: Connection, referentiel: Referentiel
    ) -> tuple[list[dict[str, str]], list[dict[str, str]], bool]:
        known_deps = set(conn.scalars(select(schema.departements.c.code)))
        new_deps = [
            {"code": d.code, "nom": d.nom, "region": d.region}
            for d in referentiel.departements
            if d.code not in known_deps
        ]
        known_caisses = set(conn.scalars(select(schema.caisses.c.id)))
        new_caisses = [
            {"id": c.id, "nom": c.nom, "departement": c.departement}
            for c in referentiel.caisses
            if c.id not in known_caisses
        ]
        version = conn.scalar(
            select(schema.store_meta.c.valeur).where(schema.store_meta.c.cle == VERSION_KEY)
        )
        return new_deps, new_caisses, version is None

    @contextmanager
    def write(self, *, bump_version: bool = True) -> Iterator[Connection]:
        """One write transaction: all of it lands, or none of it (the data version moves with it)."""
        try:
            with self.engine.connect().execution_options(sqlite_immediate=True) as conn, conn.begin():
                if self.is_postgresql:
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})")
                yield conn
                # The caller may have rolled back on purpose (nothing to write): then nothing moves.
                if bump_version and conn.in_transaction():
                    conn.execute(
                        update(schema.store_meta)
                        .where(schema.store_meta.c.cle == VERSION_KEY)
                        .values(valeur=schema.store_meta.c.valeur + 1)
                    )
        except OperationalError as err:
            raise _french_error(err) from err
        finally:
            self.writes += 1

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only connection."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except OperationalError as err:
            raise _french_error(err) from err

    def data_version(self) -> int:
        """A number that changes with every write: the key of every cached result.

        Every request asks it, so it goes through a plain cursor on a pooled connection: about 0.02 ms on
        SQLite against 0.2 ms for a SQLAlchemy statement with its transaction and events. One SELECT reads
        the last committed value: SQLite's connections run in autocommit, and the pool rolls a PostgreSQL
        connection back when it returns.
        """
        try:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                try:
                    cursor.execute(self._version_sql)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            finally:
                raw.close()
        except OperationalError as err:  # the pool could not connect
            raise _french_error(err) from err
        except self.engine.dialect.loaded_dbapi.Error as err:  # the driver's own, whatever its kind
            raise _french_driver_error(err) from err
        return int(row[0]) if row and row[0] is not None else 0

    def import_count(self) -> int:
        """How many imports the store holds."""
        with self.read() as conn:
            return int(conn.scalar(select(func.count()).select_from(schema.imports)) or 0)

    def backup(self, destination: Path) -> None:
        """Write a consistent copy of a SQLite store to ``destination`` (SQLite's online backup API).

        The copy is taken in one step under a read lock, so an import running meanwhile is either wholly in
        it or not at all. PostgreSQL is backed up with its own tool, ``pg_dump``.
        """
        if not self.is_sqlite:
            raise StoreError(
                "La sauvegarde intégrée ne concerne que SQLite. Pour PostgreSQL, utilisez pg_dump, par "
                "exemple : pg_dump --format=custom --file=sauvegarde.dump "
                "'postgresql://utilisateur@hote/base' (et pg_restore pour la relire)."
            )
        destination.parent.mkdir(parents=True, exist_ok=True)
        raw = self.engine.raw_connection()
        try:
            target = sqlite3.connect(destination)
            try:
                source: Any = raw.driver_connection
                source.backup(target)
                check = target.execute("PRAGMA integrity_check").fetchone()
            finally:
                target.close()
        except sqlite3.Error as err:
            raise StoreError(f"Sauvegarde impossible : {err}") from err
        finally:
            raw.close()
        if not check or check[0] != "ok":
            raise StoreError("La copie écrite ne passe pas le contrôle d'intégrité de SQLite.")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
