"""Server time of each callback, in-process (Flask's test client), over a director's clicks on every page.

The mix: each page of the navigation bar (and one « autres thèmes » page) is opened, then the year and the
départements change a few times, with the callbacks a browser would send (benchmarks/dash_calls.py). The
first pass meets every (page, filters) for the first time: the cold cache, what a director feels on a new
choice. The second pass replays the same requests: the warm cache. Every request asks for gzip, as a
browser does, so compression is in the time.

Usage: .venv/bin/python benchmarks/callback_time.py [--database-url URL] [--changes 4]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from common import median, percentile
from dash_calls import PAGES, Browser, answer_of, filter_changes

from dashboard import ids
from dashboard.settings import Settings
from dashboard.shell import create_app, freeze_start_objects


@dataclass
class Timings:
    """Milliseconds per callback name, and of each full collection of the garbage collector, for one pass."""

    by_name: dict[str, list[float]]
    full_collections: list[float]

    @property
    def all(self) -> list[float]:
        return [t for values in self.by_name.values() for t in values]


def _client(app: Any, record: dict[str, list[float]]) -> tuple[Any, Any]:
    client = app.server.test_client()
    headers = {"Accept-Encoding": "gzip", "Content-Type": "application/json"}

    def post(body: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(body)
        started = time.perf_counter()
        response = client.post("/_dash-update-component", data=data, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        name = next(
            (
                getattr(s.get("callback"), "__name__", "?")
                for k, s in app.callback_map.items()
                if k == body["output"]
            ),
            "?",
        )
        record[name].append(elapsed)
        if response.status_code == 204:
            return {}
        if response.status_code != 200:
            raise RuntimeError(f"{name} : réponse {response.status_code} {response.get_data()[:300]!r}")
        raw = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return answer_of(json.loads(raw))

    def get(path: str) -> Any:
        return json.loads(client.get(path).get_data())

    return post, get


def _scenario(app: Any, record: dict[str, list[float]], changes: int) -> None:
    post, get = _client(app, record)
    browser = Browser(app, post, get)
    first = browser.visit("/", "")
    del first
    years = [o["value"] for o in browser.frame[ids.YEAR]["options"]]
    departements = [o["value"] for o in browser.frame[ids.DEPARTEMENTS]["options"]]
    clicks = filter_changes(years, departements, changes * len(PAGES))
    for index, path in enumerate(PAGES):
        browser.visit(path, browser.search)
        for control, value in clicks[index * changes : (index + 1) * changes]:
            browser.choose(control, value)


def _full_collections(pauses: list[float]) -> Any:
    """A garbage collector callback that appends the milliseconds of each full (generation 2) collection."""
    started: list[float] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    return callback


def run(database_url: str | None, changes: int = 4) -> dict[str, Timings]:
    """Cold then warm timings of the same clicks on a fresh app, built as app.py serves it."""
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{tmp}/store.sqlite3"
        app = create_app(Settings(database_url=url))
        freeze_start_objects()
        passes = {}
        for phase in ("froid", "chaud"):
            record: dict[str, list[float]] = defaultdict(list)
            pauses: list[float] = []
            callback = _full_collections(pauses)
            gc.callbacks.append(callback)
            try:
                _scenario(app, record, changes)
            finally:
                gc.callbacks.remove(callback)
            passes[phase] = Timings(dict(record), pauses)
        gc.unfreeze()
        return passes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--changes", type=int, default=4)
    args = parser.parse_args()
    passes = run(args.database_url, args.changes)
    for phase, timings in passes.items():
        print(
            f"Cache {phase} : {len(timings.all)} requêtes, médiane {median(timings.all):.1f} ms, "
            f"p95 {percentile(timings.all, 95):.1f} ms (cible p95 ≤ 30 ms)"
        )
        pauses = timings.full_collections
        print(
            f"  collectes complètes du ramasse-miettes : {len(pauses)}, la plus longue "
            f"{max(pauses, default=0.0):.1f} ms (objets du démarrage gelés, comme app.py)"
        )
        for name, values in sorted(timings.by_name.items()):
            print(
                f"  {name:<22} {len(values):>4} × médiane {median(values):6.1f} ms, "
                f"p95 {percentile(values, 95):6.1f} ms, max {max(values):6.1f} ms"
            )


if __name__ == "__main__":
    main()
