"""The data-layer tests run twice: on SQLite, and on a real PostgreSQL server when one is installed.

The PostgreSQL server is started once per session in a temporary folder (Debian's ``postgresql`` package:
``initdb`` and ``pg_ctl`` under /usr/lib/postgresql/*/bin), listening on a free port of 127.0.0.1 only,
with durability switched off for speed; it is stopped and removed at the end. PostgreSQL refuses to run as
root, so as root the cluster belongs to the ``postgres`` user (or ``nobody``) through ``runuser``. Every
test gets a fresh schema. Without PostgreSQL those cases are skipped, saying so.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.data.referentiel import Referentiel
from dashboard.data.store import Store

START_SECONDS = 60


@dataclass(frozen=True, slots=True)
class PostgresServer:
    """A running throw-away PostgreSQL cluster."""

    port: int
    admin_url: str

    def url(self, database: str) -> str:
        """SQLAlchemy URL of a database of this cluster (psycopg 3 driver)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).resolve().parent if on_path else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    """Run as an unprivileged user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return command
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--", *command]
    pytest.skip("PostgreSQL cannot run as root and no unprivileged user (postgres, nobody) exists")


def _owner() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 for the session; skipped when PostgreSQL is not installed."""
    pytest.importorskip("psycopg", reason="psycopg (PostgreSQL driver) is not installed")
    bin_dir = _binaries()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        pytest.skip(
            "PostgreSQL is not installed (Debian package postgresql; `make test` installs it as root)"
        )
    folder = Path(tempfile.mkdtemp(prefix="tdb-postgres-"))
    data = folder / "data"
    owner = _owner()
    if owner is not None:
        os.chown(folder, *owner)
    port = _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
    )
    pg_ctl = str(bin_dir / "pg_ctl")
    try:
        subprocess.run(
            _as_owner(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=START_SECONDS,
        )
        subprocess.run(
            _as_owner(
                [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
            timeout=START_SECONDS,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
        log = (folder / "server.log").read_text() if (folder / "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        output = getattr(err, "stderr", b"") or b""
        pytest.fail(f"PostgreSQL did not start: {err}\n{output.decode(errors='replace')}\n{log}")
    try:
        yield PostgresServer(port, f"postgresql://postgres@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(
            _as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


_numbers = itertools.count(1)


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty schema (its own search path), dropped after the test.

    A schema per test rather than a database: CREATE DATABASE costs up to a second, CREATE SCHEMA nothing.
    """
    import psycopg

    name = f"test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
    yield postgres_server.url("postgres") + f"?options=-csearch_path%3D{name}"
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store address on each backend: a temporary SQLite file, then a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("postgres_database"))


@pytest.fixture
def store(store_url: str, tiny_referentiel: Referentiel) -> Iterator[Store]:
    """The store of the shared fixture, on SQLite and on PostgreSQL."""
    created = Store(store_url)
    created.create(tiny_referentiel)
    yield created
    created.dispose()
