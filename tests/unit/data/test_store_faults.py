"""Faults: an import killed in the middle, a locked or read-only database, a consistent backup."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import event, select

from dashboard.data import schema
from dashboard.data.importer import import_bytes
from dashboard.data.store import Store, StoreBusy, StoreError
from tests.helpers import import_into

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "tests" / "files" / "referentiel"
LIMIT = 5 * 1024 * 1024
WAIT_SECONDS = 60

# The child imports a file and stops dead in the middle of its transaction: right after it has written
# the first figures, it says so and waits to be killed.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sqlalchemy import event
    from dashboard.data.shipped_catalog import load_catalog
    from dashboard.data.referentiel import load_referentiel
    from dashboard.data.importer import import_bytes
    from dashboard.data.store import Store

    url, tiny, file = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    store = Store(url)

    @event.listens_for(store.engine, "after_cursor_execute")
    def stop_in_the_middle(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE OBSERVATIONS"):
            print("milieu", flush=True)
            time.sleep(600)

    import_bytes(
        store, file.read_bytes(), file.name,
        catalog=load_catalog(tiny / "indicators.csv", tiny / "themes.csv"),
        referentiel=load_referentiel(tiny / "departements.csv", tiny / "caisses.csv"),
        auteur="tué", max_bytes=5 * 1024 * 1024,
    )
    print("fini", flush=True)
    """
)


def _everything(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with store.read() as conn:
        return {
            table.name: sorted(tuple(map(str, row)) for row in conn.execute(select(table)).all())
            for table in schema.metadata.sorted_tables
        }


def test_an_import_killed_in_the_middle_leaves_the_store_as_before(
    store, store_url, tiny_catalog, tiny_referentiel, csv_bytes, tmp_path
):
    first = csv_bytes(
        "21;cpam-21;2024;demandes_total;3 800 000;;;Première version;;",
        "21;cpam-21;2024;appels_3646_recus;191 580;;;Première version;;",
    )
    assert import_into(store, tiny_catalog, tiny_referentiel, first).status == "importe"
    before = _everything(store)
    second = tmp_path / "second.csv"
    second.write_bytes(
        csv_bytes(
            "21;cpam-21;2024;demandes_total;3 872 394;;;Version corrigée;;",
            "21;cpam-21;2024;appels_3646_recus;200 000;;;Version corrigée;;",
            *(f"85;cpam-85;{year};beneficiaires_css;{year};;;Rapport;;" for year in range(2001, 2040)),
        )
    )
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, store_url, str(TINY), str(second)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip() == "milieu", child.stderr.read() if child.stderr else ""
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=WAIT_SECONDS)
        if child.stdout:
            child.stdout.close()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    reopened = Store(store_url)
    try:
        assert _everything(reopened) == before
        # Nothing is left locked: the same file now imports completely.
        report = import_into(reopened, tiny_catalog, tiny_referentiel, second.read_bytes())
        assert report.status == "importe"
        assert len(report.modifiees) == 2
    finally:
        reopened.dispose()


def _sqlite_store(tmp_path: Path, tiny_referentiel, **kwargs) -> tuple[Store, Path]:
    path = tmp_path / "store.sqlite3"
    created = Store(f"sqlite:///{path}", **kwargs)
    created.create(tiny_referentiel)
    return created, path


def test_a_locked_database_gives_a_french_message(tmp_path, tiny_catalog, tiny_referentiel, csv_bytes):
    store, path = _sqlite_store(tmp_path, tiny_referentiel, busy_timeout_ms=50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        with pytest.raises(StoreBusy, match="occupée par une autre écriture"):
            import_into(
                store, tiny_catalog, tiny_referentiel, csv_bytes("21;cpam-21;2024;demandes_total;1;;;R;;")
            )
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.dispose()
    assert store.import_count() == 0


def test_the_data_version_read_on_every_request_fails_in_french(tmp_path, tiny_referentiel, caplog):
    store, path = _sqlite_store(tmp_path, tiny_referentiel)
    assert store.data_version() == 0
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("UPDATE store_meta SET valeur = 7 WHERE cle = 'version_donnees'")
    assert store.data_version() == 7  # another process's write, seen on the next read
    other.execute("DROP TABLE store_meta")  # a store damaged outside the dashboard
    other.close()
    try:
        with pytest.raises(StoreError, match="Opération impossible sur la base de données") as raised:
            store.data_version()
    finally:
        store.dispose()
    assert isinstance(raised.value.__cause__, sqlite3.OperationalError)
    assert "no such table: store_meta" in caplog.text  # the driver's English goes to the log


def test_a_full_database_gives_a_french_message_and_loses_nothing(
    tmp_path, tiny_catalog, tiny_referentiel, csv_bytes
):
    store, _ = _sqlite_store(tmp_path, tiny_referentiel)
    first = csv_bytes("21;cpam-21;2024;demandes_total;1;;;R;;")
    assert import_into(store, tiny_catalog, tiny_referentiel, first).status == "importe"
    before = _everything(store)
    version = store.data_version()
    store.dispose()

    @event.listens_for(store.engine, "connect")
    def _no_room(dbapi_connection, _record):
        # The file may not grow any more: the next page SQLite needs is "database or disk is full".
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    rows = [f"21;cpam-21;{year};demandes_total;{year};;;{'Rapport ' * 30};;" for year in range(2000, 2100)]
    with pytest.raises(StoreError) as refused:
        import_into(store, tiny_catalog, tiny_referentiel, csv_bytes(*rows))
    message = str(refused.value)
    assert "Le disque de la base de données est plein : rien n'a été écrit." in message
    assert "full" not in message
    assert _everything(store) == before
    assert store.data_version() == version
    store.dispose()


def test_a_read_only_database_opens_and_refuses_writes_in_french(
    tmp_path, tiny_catalog, tiny_referentiel, csv_bytes
):
    store, path = _sqlite_store(tmp_path, tiny_referentiel)
    import_into(store, tiny_catalog, tiny_referentiel, csv_bytes("21;cpam-21;2024;demandes_total;1;;;R;;"))
    store.dispose()
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        read_only.create(tiny_referentiel)  # opening needs no write
        assert read_only.import_count() == 1
        preview = import_bytes(
            read_only,
            csv_bytes("21;cpam-21;2024;demandes_total;2;;;R;;"),
            "g.csv",
            catalog=tiny_catalog,
            referentiel=tiny_referentiel,
            auteur="t",
            max_bytes=LIMIT,
            dry_run=True,
        )
        assert preview.status == "apercu"
        with pytest.raises(StoreError, match="lecture seule"):
            import_into(
                read_only, tiny_catalog, tiny_referentiel, csv_bytes("21;cpam-21;2024;demandes_total;2;;;R;;")
            )
    finally:
        read_only.dispose()


def test_a_store_that_cannot_switch_to_wal_is_still_read_and_the_log_says_why(
    tmp_path, tiny_referentiel, caplog
):
    path = tmp_path / "store.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x INTEGER)").connection.close()  # journal_mode=delete
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with caplog.at_level("WARNING", logger="dashboard.data.store"), read_only.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    finally:
        read_only.dispose()
    assert "mode WAL non activé" in caplog.text


def test_backup_writes_a_consistent_copy(tmp_path, tiny_catalog, tiny_referentiel, csv_bytes):
    store, _ = _sqlite_store(tmp_path, tiny_referentiel)
    import_into(store, tiny_catalog, tiny_referentiel, csv_bytes("21;cpam-21;2024;demandes_total;1;;;R;;"))
    copy = tmp_path / "sauvegardes" / "copie.sqlite3"
    store.backup(copy)
    restored = Store(f"sqlite:///{copy}")
    try:
        assert _everything(restored) == _everything(store)
        assert restored.data_version() == store.data_version()
    finally:
        restored.dispose()
        store.dispose()


@pytest.mark.postgresql
def test_backup_of_postgresql_explains_pg_dump(postgres_database):
    store = Store(postgres_database)
    try:
        with pytest.raises(StoreError, match="pg_dump"):
            store.backup(Path("/nonexistent/copie"))
    finally:
        store.dispose()
