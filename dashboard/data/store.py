"""Engine, transactions and the data version of the store (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dashboard.data import schema
from dashboard.data.referentiel import Referentiel

VERSION_KEY = "version_donnees"


class StoreError(RuntimeError):
    """The store cannot be used as asked (locked, read-only, unreachable); the message is French."""


def _configure_sqlite(engine: Engine) -> None:
    """WAL lets readers go on during an import; explicit BEGIN (IMMEDIATE for writes) serialises writers."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # A read-only file cannot switch journal mode; reading still works.
        with contextlib.suppress(Exception):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """The database behind the dashboard: created on first use, written only in transactions."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self.is_sqlite = url.get_backend_name() == "sqlite"
        if self.is_sqlite and url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            _configure_sqlite(self.engine)

    def create(self, referentiel: Referentiel) -> None:
        """Create missing tables and load the référentiel (idempotent)."""
        try:
            schema.metadata.create_all(self.engine)
        except OperationalError as err:
            raise StoreError(f"Base de données inaccessible : {err.orig}") from err
        with self.write(bump_version=False) as conn:
            known_deps = set(conn.scalars(select(schema.departements.c.code)))
            new_deps = [
                {"code": d.code, "nom": d.nom, "region": d.region}
                for d in referentiel.departements
                if d.code not in known_deps
            ]
            if new_deps:
                conn.execute(insert(schema.departements), new_deps)
            known_caisses = set(conn.scalars(select(schema.caisses.c.id)))
            new_caisses = [
                {"id": c.id, "nom": c.nom, "departement": c.departement}
                for c in referentiel.caisses
                if c.id not in known_caisses
            ]
            if new_caisses:
                conn.execute(insert(schema.caisses), new_caisses)
            if (
                conn.scalar(select(schema.store_meta.c.valeur).where(schema.store_meta.c.cle == VERSION_KEY))
                is None
            ):
                conn.execute(insert(schema.store_meta).values(cle=VERSION_KEY, valeur=0))

    @contextmanager
    def write(self, *, bump_version: bool = True) -> Iterator[Connection]:
        """One write transaction: all of it lands, or none of it (the data version moves with it)."""
        try:
            with self.engine.connect().execution_options(sqlite_immediate=True) as conn, conn.begin():
                yield conn
                # The caller may have rolled back on purpose (nothing to write): then nothing moves.
                if bump_version and conn.in_transaction():
                    conn.execute(
                        update(schema.store_meta)
                        .where(schema.store_meta.c.cle == VERSION_KEY)
                        .values(valeur=schema.store_meta.c.valeur + 1)
                    )
        except OperationalError as err:
            message = str(err.orig).lower()
            if "locked" in message or "busy" in message:
                raise StoreError(
                    "La base de données est occupée par une autre écriture : réessayez."
                ) from err
            if "readonly" in message or "read-only" in message:
                raise StoreError(
                    "La base de données est en lecture seule : aucune écriture possible."
                ) from err
            raise StoreError(f"Écriture impossible dans la base de données : {err.orig}") from err

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only connection."""
        with self.engine.connect() as conn:
            yield conn

    def data_version(self) -> int:
        """A number that changes with every write: the key of every cached result."""
        with self.read() as conn:
            value = conn.scalar(
                select(schema.store_meta.c.valeur).where(schema.store_meta.c.cle == VERSION_KEY)
            )
        return int(value or 0)

    def import_count(self) -> int:
        """How many imports the store holds."""
        with self.read() as conn:
            return int(conn.scalar(select(func.count()).select_from(schema.imports)) or 0)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
