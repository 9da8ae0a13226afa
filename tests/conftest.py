"""Shared fixtures: a tiny catalog and référentiel, a temporary SQLite store, a file writer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.catalog import Catalog
from dashboard.data.referentiel import Referentiel, load_referentiel
from dashboard.data.repository import Repository
from dashboard.data.seed import seed_if_empty
from dashboard.data.shipped_catalog import load_catalog
from dashboard.data.store import Store
from dashboard.settings import ROOT
from tests.helpers import MISSING_CHROMIUM, chromium_path
from tests.servers import PostgresServer, postgres_cluster, redis_server

FILES = Path(__file__).parent / "files"
TINY = FILES / "referentiel"
HEADER = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Without Chromium, tests that need it are skipped, saying so, instead of failing.

    They are the ones marked ``chromium`` (images drawn by the app) or ``browser``, and those using the
    ``renderer`` fixture.
    """
    marked = item.get_closest_marker("chromium") or item.get_closest_marker("browser")
    needs = marked or "renderer" in getattr(item, "fixturenames", ())
    if needs and chromium_path() is None:
        pytest.skip(MISSING_CHROMIUM)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throw-away PostgreSQL server for the session; skipped when PostgreSQL is not installed."""
    yield from postgres_cluster()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away Redis server for the session; skipped when redis-server is not installed."""
    yield from redis_server()


@pytest.fixture(scope="session")
def tiny_catalog() -> Catalog:
    return load_catalog(TINY / "indicators.csv", TINY / "themes.csv")


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, Catalog]:
    """Every figure of data/ and the shipped catalog, read back through the repository as pages read them."""
    catalog, referentiel = load_catalog(), load_referentiel()
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('embedded') / 'store.sqlite3'}")
    store.create(referentiel)
    seed_if_empty(store, catalog, referentiel, ROOT / "data")
    frame = Repository(store, catalog, referentiel).observations()
    store.dispose()
    return frame, catalog


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


@pytest.fixture
def make_frame() -> Callable[..., object]:
    """A tidy observation frame from short records (caisse, annee, indicateur, valeur, **fields)."""
    import pandas as pd

    from dashboard.data import columns as col

    names = {
        "cpam-21": "CPAM de la Côte-d'Or",
        "cpam-85": "CPAM de la Vendée",
        "cpam-59-hainaut": "CPAM du Hainaut",
    }
    names |= {"cpam-59-roubaix-tourcoing": "CPAM de Roubaix-Tourcoing"}

    def build(*records: tuple, **defaults: object) -> pd.DataFrame:
        rows = []
        for record in records:
            caisse, annee, indicateur, valeur, *rest = record
            extra = rest[0] if rest else {}
            row = {
                col.DEPARTEMENT: caisse.split("-")[1].upper(),
                col.DEPARTEMENT_NOM: "",
                col.CAISSE: caisse,
                col.CAISSE_NOM: names.get(caisse, caisse),
                col.ANNEE: annee,
                col.INDICATEUR: indicateur,
                col.VALEUR: float(valeur),
                col.UNITE: "nombre",
                col.QUALIFICATIF: "exact",
                col.PERIODE: "annee",
                col.NATURE: "niveau",
                col.ANNEE_REFERENCE: pd.NA,
                col.DERIVE: False,
                col.DERIVATION: None,
                col.SOURCE: f"Rapport {annee}",
                col.URL: None,
                col.COMMENTAIRE: None,
                col.IMPORT_ID: 1,
            }
            row.update(defaults)
            row.update(extra)
            rows.append(row)
        frame = pd.DataFrame(rows, columns=list(col.FRAME_COLUMNS))
        frame[col.ANNEE_REFERENCE] = frame[col.ANNEE_REFERENCE].astype("Int64")
        return frame

    return build
