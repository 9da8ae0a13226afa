"""Shared fixtures: a tiny catalog and référentiel, a temporary SQLite store, a file writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.data.catalog import Catalog, load_catalog
from dashboard.data.referentiel import Referentiel, load_referentiel
from dashboard.data.repository import Repository
from dashboard.data.store import Store

FILES = Path(__file__).parent / "files"
TINY = FILES / "referentiel"
HEADER = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"


@pytest.fixture(scope="session")
def tiny_catalog() -> Catalog:
    return load_catalog(TINY / "indicators.csv", TINY / "themes.csv")


@pytest.fixture(scope="session")
def tiny_referentiel() -> Referentiel:
    return load_referentiel(TINY / "departements.csv", TINY / "caisses.csv")


@pytest.fixture
def store(tmp_path: Path, tiny_referentiel: Referentiel) -> Store:
    created = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    created.create(tiny_referentiel)
    yield created
    created.dispose()


@pytest.fixture
def repository(store: Store, tiny_catalog: Catalog, tiny_referentiel: Referentiel) -> Repository:
    return Repository(store, tiny_catalog, tiny_referentiel)


@pytest.fixture
def csv_bytes() -> Callable[..., bytes]:
    """Build a CSV file's bytes from data lines under the import header (``;`` separated)."""

    def build(*lines: str, header: str = HEADER, encoding: str = "utf-8", sep: str = ";") -> bytes:
        text = "\n".join([header.replace(";", sep), *lines]) + "\n"
        return text.encode(encoding)

    return build
