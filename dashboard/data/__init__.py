"""Data access: the only package that runs SQL or reads data files."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.data.catalog import Catalog, Indicator, Theme, load_catalog
from dashboard.data.referentiel import Caisse, Departement, Referentiel, load_referentiel
from dashboard.data.repository import Repository
from dashboard.data.seed import seed_if_empty
from dashboard.data.store import Store, StoreError
from dashboard.settings import Settings

__all__ = [
    "Caisse",
    "Catalog",
    "DataContext",
    "Departement",
    "Indicator",
    "Referentiel",
    "Repository",
    "Store",
    "StoreError",
    "Theme",
    "open_data",
]


@dataclass(frozen=True, slots=True)
class DataContext:
    """Everything the layers above need from the data layer, made once per process."""

    store: Store
    catalog: Catalog
    referentiel: Referentiel
    repository: Repository


def open_data(settings: Settings, *, seed: bool = True) -> DataContext:
    """Open (and on first start create and fill) the store named by the settings."""
    catalog = load_catalog()
    referentiel = load_referentiel()
    store = Store(settings.database_url)
    store.create(referentiel)
    if seed:
        seed_if_empty(store, catalog, referentiel, settings.data_dir)
    return DataContext(store, catalog, referentiel, Repository(store, catalog, referentiel))
