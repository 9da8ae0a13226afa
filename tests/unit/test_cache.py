"""Cached reads: once per data version and key, in the worker, and across servers through Redis."""

from __future__ import annotations

import pandas as pd

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


def test_a_caller_that_changes_a_cached_value_does_not_change_the_next_read(repository):
    repo = CachedRepository(repository)
    frame = repo.cached("cadre", lambda: pd.DataFrame({"valeur": [3872394.0]}))
    frame.loc[0, "valeur"] = -1.0
    assert repo.cached("cadre", pd.DataFrame)["valeur"].tolist() == [3872394.0]
    figures = repo.cached("vue", lambda: {"cartes": [1, 2]})
    figures["cartes"].append(3)
    assert repo.cached("vue", lambda: {"cartes": []}) == {"cartes": [1, 2]}


def test_the_filter_choices_read_by_every_callback_are_kept_as_they_are(repository):
    # Immutable, and read by every callback: unpickling them on each read cost more than a page's work.
    repo = CachedRepository(repository)
    assert repo.choices() is repo.choices()
