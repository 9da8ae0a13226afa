"""Opening the data layer once per process: the store, the référentiel and the repository over them."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from dashboard.data.catalog import Catalog
from dashboard.data.catalog_store import seed_catalog
from dashboard.data.referentiel import Referentiel, load_referentiel
from dashboard.data.repository import Repository
from dashboard.data.seed import seed_if_empty
from dashboard.data.shipped_catalog import load_catalog
from dashboard.data.store import Store, StoreError
from dashboard.settings import Settings


@dataclass(frozen=True, slots=True)
class DataContext:
    """Everything the layers above need from the data layer, made once per process."""

    store: Store
    referentiel: Referentiel
    repository: Repository

    @property
    def catalog(self) -> Catalog:
        """The catalog in force (read from the store, so it follows every catalog import)."""
        return self.repository.catalog


def open_data(settings: Settings, *, seed: bool = True) -> DataContext:
    """Open (and on first start create and fill) the store named by the settings.

    The catalog is seeded from the package on first start even when ``seed`` is False (no figures): every
    command then sees the same catalog as the pages.

    Raises:
        StoreError: the store is unreachable, or was made by an earlier version and needs
            ``python -m dashboard db upgrade`` (``UpgradeNeeded``).
    """
    shipped = load_catalog()
    referentiel = load_referentiel()
    store = Store(settings.database_url)
    store.create(referentiel)
    with contextlib.suppress(StoreError):  # a read-only store opens on the package's catalog
        seed_catalog(store, shipped)
    repository = Repository(store, shipped, referentiel)
    if seed:
        seed_if_empty(store, repository.catalog, referentiel, settings.data_dir)
    return DataContext(store, referentiel, repository)
