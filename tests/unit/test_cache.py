"""Cached reads: once per data version and key, in the worker, and across servers through Redis."""

from __future__ import annotations

from dashboard.cache import CachedRepository


def _write(store) -> None:
    """A write transaction, as an import makes: it moves the data version."""
    with store.write():
        pass


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"valeur": self.calls}


def test_a_value_is_computed_once_per_data_version(repository, store):
    repo, compute = CachedRepository(repository), Counter()
    assert repo.cached("clé", compute) == repo.cached("clé", compute) == {"valeur": 1}
    _write(store)
    assert repo.cached("clé", compute) == {"valeur": 2}


def test_with_redis_a_value_computed_by_one_server_is_read_by_the_others(repository, store, redis_url):
    first, second = (CachedRepository(repository, redis_url=redis_url) for _ in range(2))
    first._shared.clear()
    compute = Counter()
    assert first.cached("partagée", compute) == {"valeur": 1}
    assert second.cached("partagée", compute) == {"valeur": 1}
    assert compute.calls == 1
    _write(store)  # an import anywhere moves the shared data version: no server serves the old value
    assert second.cached("partagée", compute) == {"valeur": 2}
    assert first.cached("partagée", compute) == {"valeur": 2}


def test_with_redis_down_pages_are_still_computed(repository):
    repo, compute = CachedRepository(repository, redis_url="redis://127.0.0.1:1/0"), Counter()
    assert repo.cached("clé", compute) == {"valeur": 1}
