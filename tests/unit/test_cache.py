"""Cached reads: once per data version and key, in the worker, and across servers through Redis."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html
from dash._utils import to_json

from dashboard.cache import CACHE_MAX_BYTES, BudgetCache, CachedRepository
from dashboard.panels.common import cached_answer


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


def test_a_cached_answer_is_sent_as_dash_sent_the_components_it_was_made_of(repository):
    repo, made = CachedRepository(repository), []

    def render() -> tuple[html.Div, str]:
        made.append(1)
        bars = go.Bar(x=["2023", "2024"], y=[414_463.5, float("nan")], name="Côte-d'Or")
        figure = go.Figure(bars, layout={"title": {"text": "Délais de traitement"}})
        page = html.Div([html.P("3 872 394 €"), dcc.Graph(figure=figure)], id={"type": "page", "n": 1})
        return page, "77,36 %"

    sent_before = to_json(render())
    kept = cached_answer(repo, "réponse", render)
    assert kept[0]["type"] == "Div"  # plain JSON data: no component to encode one by one at each send
    assert to_json(kept) == to_json(cached_answer(repo, "réponse", render)) == sent_before
    assert '"y":[414463.5,null]' in sent_before  # a value not published is sent as null, never as NaN
    assert len(made) == 2  # once above, once for the cache


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


def test_past_its_byte_budget_the_worker_cache_drops_its_oldest_entries_first(repository):
    cache = BudgetCache(max_bytes=3_500, threshold=2000, default_timeout=0)
    choices = CachedRepository(repository).choices()
    cache.set("choices", choices)  # kept unpickled: weighs nothing, never dropped for the budget
    for key in ("a", "b", "c"):
        cache.set(key, b"x" * 1_000)  # about 1 kB each, pickled
    cache.set("a", b"y" * 1_000)  # set again: now the newest
    cache.set("d", b"z" * 1_000)  # over 3.5 kB: "b", the oldest, goes
    assert [key for key in ("choices", "a", "b", "c", "d") if cache.has(key)] == ["choices", "a", "c", "d"]
    assert cache.get("a") == b"y" * 1_000
    assert cache.get("choices") is choices
    cache.delete("c")  # its weight goes with it: room for one more without dropping anything
    cache.set("e", b"v" * 1_000)
    assert [key for key in ("a", "d", "e") if cache.has(key)] == ["a", "d", "e"]
    cache.set("big", b"w" * 5_000)  # heavier than the budget alone: every weighed entry goes, itself too
    assert [key for key in ("choices", "a", "d", "e", "big") if cache.has(key)] == ["choices"]


def test_entries_pruned_by_count_no_longer_weigh_on_the_budget():
    cache = BudgetCache(max_bytes=10_000, threshold=2, default_timeout=3600)
    for key in "abcd":
        cache.set(key, b"x" * 1_000)  # past two entries, SimpleCache removes the oldest itself
    assert [key for key in "abcd" if cache.has(key)] == ["b", "c", "d"]
    stored = [value for _, value in cache._cache.values()]
    assert cache._total == sum(len(value) for value in stored)  # the budget counts what is really there


def test_the_repository_caches_in_a_byte_bounded_cache(repository):
    repo = CachedRepository(repository)
    assert isinstance(repo._cache.cache, BudgetCache)
    assert repo._cache.cache.max_bytes == CACHE_MAX_BYTES
    assert repo.choices() is repo.choices()  # the unpickled choices still pass through it
