"""Cached reads keyed by (data version, query): every worker reuses results until the data change.

The data version moves with every write to the store, so a stale entry is never served after an import:
its key is simply never asked for again, on any server. Entries live in the worker's memory
(flask-caching SimpleCache). With ``TDB_REDIS_URL`` set they are also shared through Redis (flask-caching's
RedisCache): a selection computed by one worker or server is read by every other. The local copy stays in
front, since an entry never changes once written (its key holds the data version).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Collection
from datetime import timedelta
from typing import Any, TypeVar

import pandas as pd
from cachelib.serializers import SimpleSerializer
from flask import Flask, g, has_request_context
from flask_caching import Cache
from flask_caching.backends import SimpleCache
from redis.exceptions import RedisError

from dashboard.data.catalog import Catalog
from dashboard.data.repository import Repository
from dashboard.filters import Choices, build_choices

T = TypeVar("T")

# The worker's own cache: at most 2 000 entries and 24 MiB of them (``BudgetCache``): at full scale a
# worker then stays under 250 MB after 50 users' load (254 MB with 48 MiB, 238 MB with 16).
CACHE_MAX_BYTES = 24 * 2**20
CACHE_CONFIG = {
    "CACHE_TYPE": "dashboard.cache.BudgetCache",
    "CACHE_DEFAULT_TIMEOUT": 3600,
    "CACHE_THRESHOLD": 2000,
    "CACHE_OPTIONS": {"max_bytes": CACHE_MAX_BYTES},
}
SHARED_PREFIX = "tdb:cache:"

_logger = logging.getLogger(__name__)


def shared_config(redis_url: str) -> dict[str, Any]:
    """flask-caching's Redis backend, one day per entry (an entry is never stale, only unused)."""
    return {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": SHARED_PREFIX,
        "CACHE_DEFAULT_TIMEOUT": 24 * 3600,
    }


class _Pickled(bytes):
    """An entry the worker's cache keeps pickled."""


class _LocalEntries(SimpleSerializer):
    """Keeps the filter choices as they are in the worker's cache, and pickles every other entry.

    Every callback reads the choices, and unpickling them on each read took 15 % of the server's time
    over a director's cold clicks (profiled); they are immutable (frozen dataclasses of tuples). The other
    entries stay pickled, so that no caller can change what the next request reads; kept as objects,
    views and figures also took four times the memory at full scale (107 MB against 29, same pages).
    """

    def dumps(self, value: Any, protocol: int = pickle.HIGHEST_PROTOCOL) -> Any:
        return value if isinstance(value, Choices) else _Pickled(pickle.dumps(value, protocol))

    def loads(self, bvalue: Any) -> Any:
        return pickle.loads(bvalue) if isinstance(bvalue, _Pickled) else bvalue


class BudgetCache(SimpleCache):
    """The worker's cache: flask-caching's SimpleCache, bounded by the bytes of its entries too.

    SimpleCache bounds only their number. At full scale a theme page's entries (its rows, its view, its
    drawn page) weigh up to 0.6 MB pickled together, so 2 000 entries could hold several hundred megabytes
    in each worker. Past ``max_bytes`` the oldest entries go first. The filter choices, kept unpickled, weigh
    nothing here and are never dropped for the budget: dropping them would free nothing and cost every next
    callback their rebuilding.
    """

    def __init__(self, *, max_bytes: int, **options: Any) -> None:
        super().__init__(**options)
        self.serializer = _LocalEntries()
        self.max_bytes = max_bytes
        self._sizes: dict[str, int] = {}  # bytes of each pickled entry, oldest first
        self._total = 0

    @classmethod
    def factory(
        cls, app: Flask, config: dict[str, Any], args: list[Any], kwargs: dict[str, Any]
    ) -> BudgetCache:
        """What flask-caching calls to make the backend named by ``CACHE_TYPE``."""
        return cls(*args, threshold=config["CACHE_THRESHOLD"], **kwargs)

    def set(self, key: str, value: Any, timeout: int | timedelta | None = None) -> bool | None:
        """Store the entry, then drop the oldest ones while the entries weigh more than ``max_bytes``."""
        with self._lock:
            done = super().set(key, value, timeout)
            self._account(key)
            return done

    def add(self, key: str, value: Any, timeout: int | timedelta | None = None) -> bool:
        """Store the entry if the key is free, within the same budget as ``set``."""
        with self._lock:
            added = bool(super().add(key, value, timeout))
            if added:
                self._account(key)
            return added

    def delete(self, key: str) -> bool:
        """Remove the entry and its weight."""
        with self._lock:
            self._total -= self._sizes.pop(key, 0)
            return bool(super().delete(key))

    def clear(self) -> bool:
        """Remove every entry."""
        with self._lock:
            self._sizes.clear()
            self._total = 0
            return bool(super().clear())

    def _prune(self) -> None:
        # SimpleCache's own pruning (expired entries, then past the count) runs before each set: forget
        # the weight of what it removed.
        count = len(self._cache)
        super()._prune()
        if len(self._cache) < count:
            self._sizes = {k: size for k, size in self._sizes.items() if k in self._cache}
            self._total = sum(self._sizes.values())

    def _account(self, key: str) -> None:
        """Weigh the entry just stored (as the newest), then drop the oldest weighed ones past the budget."""
        self._total -= self._sizes.pop(key, 0)
        stored = self._cache[key][1]
        if isinstance(stored, bytes):
            self._sizes[key] = len(stored)
            self._total += len(stored)
        while self._total > self.max_bytes and self._sizes:
            oldest = next(iter(self._sizes))
            self._total -= self._sizes.pop(oldest)
            self._cache.pop(oldest, None)


class CachedRepository:
    """The read API the panels use, with results cached on the data version."""

    def __init__(
        self, repository: Repository, server: Flask | None = None, *, redis_url: str | None = None
    ) -> None:
        self.repository = repository
        self.referentiel = repository.referentiel
        app = server if server is not None else Flask("cache")
        self._cache = Cache(config=CACHE_CONFIG)
        self._cache.init_app(app)
        self._shared: Cache | None = None
        if redis_url is not None:
            self._shared = Cache(config=shared_config(redis_url))
            self._shared.init_app(app)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """The value of ``compute()``, computed once per data version and key (keys name what they hold)."""
        full_key = f"v{self.data_version()}:{key}"
        found = self._cache.get(full_key)
        if found is None:
            found = self._shared_get(full_key)
            if found is None:
                found = compute()
                self._shared_set(full_key, found)
            self._cache.set(full_key, found)
        return found

    def _shared_get(self, key: str) -> Any:
        if self._shared is None:
            return None
        try:
            return self._shared.get(key)
        except RedisError as err:  # Redis down: compute locally rather than fail the page
            _logger.warning("shared cache unreachable: %s", err)
            return None

    def _shared_set(self, key: str, value: object) -> None:
        if self._shared is None:
            return
        try:
            self._shared.set(key, value)
        except RedisError as err:  # see _shared_get
            _logger.warning("shared cache unreachable: %s", err)

    @property
    def catalog(self) -> Catalog:
        """The catalog in force at the current data version: a catalog import shows with no restart.

        It is the catalog of the request's data version (``data_version``): a callback reads the catalog
        many times, and asking the store each time cost a query.
        """
        return self.repository.catalog_at(self.data_version())

    def data_version(self) -> int:
        """The store's data version, read once per request (again after a write made by this process).

        Every cached read names the version in its key: asking the store each time cost a query per read,
        several per callback. Another process's write shows from the next request on.
        """
        if not has_request_context():
            return self.repository.data_version()
        key = f"tdb_version_{id(self)}"
        writes = self.repository.store.writes
        found: tuple[int, int] | None = g.get(key)
        if found is None or found[0] != writes:
            found = (writes, self.repository.data_version())
            setattr(g, key, found)
        return found[1]

    def choices(self) -> Choices:
        """What the filters may hold, and the default view (``filters.build_choices``)."""
        return self.cached("choices", lambda: build_choices(self.counts_by_caisse_year(), self.referentiel))

    def observations(
        self,
        *,
        caisses: Collection[str],
        years: Collection[int] | None = None,
        indicators: Collection[str] | None = None,
    ) -> pd.DataFrame:
        """Figures of the caisses (and years, indicators); a cached frame that callers must not modify."""
        key = "obs:{}:{}:{}".format(
            ",".join(sorted(caisses)),
            ",".join(str(y) for y in sorted(years)) if years is not None else "*",
            ",".join(sorted(indicators)) if indicators is not None else "*",
        )
        return self.cached(
            key,
            lambda: self.repository.observations(
                caisses=list(caisses), years=years, indicators=indicators, catalog=self.catalog
            ),
        )

    def counts_by_indicator(self, *, caisses: Collection[str], years: Collection[int]) -> dict[str, int]:
        """Figures of the caisses per indicator in these years (``Repository.counts_by_indicator``).

        Not cached here: its one reader, the menu of themes, keeps its whole answer per selection.
        """
        return self.repository.counts_by_indicator(caisses=caisses, years=years)

    def counts_by_caisse_year(self) -> pd.DataFrame:
        """Figures stored per caisse and year (columns: caisse, caisse_nom, annee, chiffres)."""
        return self.cached("counts", self.repository.counts_by_caisse_year)

    def coverage(self) -> pd.DataFrame:
        """Figures per caisse, year and theme, for every caisse."""
        return self.cached("coverage", self.repository.coverage)
