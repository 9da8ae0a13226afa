"""The data-layer tests run twice: on SQLite, and on a real PostgreSQL server when one is installed.

The server is started once per session (``postgres_server``, tests/conftest.py); every test gets a fresh
schema. Without PostgreSQL those cases are skipped, saying so.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.data.catalog import Catalog
from dashboard.data.referentiel import Referentiel
from dashboard.data.store import Store
from tests.helpers import import_into
from tests.servers import PostgresServer

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


@pytest.fixture
def run_import(store: Store, tiny_catalog: Catalog, tiny_referentiel: Referentiel) -> Callable[..., Any]:
    """``run_import(data, name="fichier.csv", auteur="alice", **options)``: import into the test's store."""
    return functools.partial(import_into, store, tiny_catalog, tiny_referentiel)
