"""Load test: gunicorn on loopback, N simulated directors for a bounded time; throughput, latency, errors.

Each simulated director opens pages as a browser does (the page HTML, on the first visit the scripts and
style sheets it names, then Dash's layout, the router and every callback the page fires, built by
benchmarks/dash_calls.py from the app's own callback map), then changes the year or the départements a
couple of times, and moves to another page. There is no pause between actions unless --pause or --rate is
given: 50 users without a pause is a stress test far beyond 50 real directors, which measures the most the
server can answer (its throughput at saturation; every user then waits in the server's queue, so the
latency is the users over the throughput, by Little's law). With --rate R, the users together send R
callbacks per second: each waits before its next callback for a random time (exponential, a mean of
users / R seconds) between two turns, so that the latency is the server's at that throughput. A user whose
answer comes after its next turn sends at once, and keeps to its turns afterwards: a server that cannot keep
up falls behind, its users end up sending without a pause, and the rate achieved is what it can answer.
The users arrive a tenth of a second apart (``ARRIVAL_GAP``), each with its own connection, as browsers do.

The users are asyncio tasks on one aiohttp event loop (one thread), which costs far less CPU per request
than a thread per user: the generator shares the machine's cores with the server, so the report gives the
CPU the generator itself used beside the server's, and a server figure is only meaningful when the
generator's share is small. Why not locust: the payloads already come from dash_calls.py (the same bodies
as the in-process benchmarks, whose browser model runs over any client), the run is bounded and scripted,
and the report is printed without a web UI or gevent's monkey-patching.

Usage: .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--workers N] [--threads N]
       [--pause 0] [--rate 0] [--database-url URL]
Only loopback addresses are ever contacted. Exit code 1 when any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from common import app_server, machine, percentile, tree_cpu_seconds
from dash_calls import PAGES, Browser, answer_of, drive_async, filter_changes

ROOT = Path(__file__).resolve().parents[1]
MAX_REQUESTS = 2_000_000  # a hard stop, whatever the duration
# Directors arrive one after another, not within the same millisecond. Fifty connections opened at once
# mostly went to the server process that woke first (42 / 8 / 0 and 50 / 0 / 0 over three processes,
# counted with ss), whose core then queued while the others idled; a tenth of a second apart, they spread
# evenly (16 / 16 / 18, 16 / 17 / 17).
ARRIVAL_GAP = 0.1
TIMEOUT = 60


@dataclass
class Stats:
    """Latencies and errors of every user (one event loop: no lock needed)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        self.count += 1
        self.latencies[kind].append(seconds)
        if error:
            self.errors[kind] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{kind}: {error}")


class User:
    """One simulated director with its own HTTP session (cookies, keep-alive)."""

    def __init__(
        self,
        base: str,
        app: Any,
        stats: Stats,
        rng: random.Random,
        years: list[int],
        pause: float,
        http: aiohttp.ClientSession,
        interval: float = 0.0,
    ) -> None:
        self.base = base
        self.pause = pause
        self.interval = interval  # mean seconds between two callbacks sent (0: none)
        self.turn = 0.0  # when the next callback is due, from the user's arrival
        self.stats = stats
        self.rng = rng
        self.years = years
        self.http = http
        self.names = {
            key: getattr(spec.get("callback"), "__name__", key) for key, spec in app.callback_map.items()
        }
        self.browser = Browser(app, _unused, _unused)

    async def _timed(self, kind: str, method: str, path: str, **kwargs: Any) -> tuple[int, bytes]:
        start = time.perf_counter()
        error = None
        status, body = 0, b""
        try:
            async with self.http.request(method, self.base + path, **kwargs) as response:
                status, body = response.status, await response.read()
            if status not in (200, 204):
                error = f"HTTP {status} {body[:120]!r}"
        except (aiohttp.ClientError, TimeoutError) as err:
            error = type(err).__name__
        self.stats.add(kind, time.perf_counter() - start, error)
        if error:
            raise RuntimeError(error)
        return status, body

    async def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        kind = "callback " + self.names.get(body["output"], "?")
        if self.interval:
            now = time.monotonic()
            if self.turn > now:
                await asyncio.sleep(self.turn - now)
            self.turn += self.rng.expovariate(1 / self.interval)  # late: the next turn comes sooner
        status, raw = await self._timed(kind, "POST", "/_dash-update-component", json=body)
        return {} if status == 204 else answer_of(json.loads(raw))

    async def _get_json(self, path: str) -> Any:
        return json.loads((await self._timed("GET " + path, "GET", path))[1])

    async def _page(self, path: str, search: str, first: bool) -> None:
        _, html = await self._timed("GET page HTML", "GET", path + search)
        if first:
            found = re.findall(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"', html.decode())
            for asset in dict.fromkeys(found):  # a browser keeps them in its cache afterwards
                await self._timed("GET static file", "GET", asset)
            await self._get_json("/_dash-dependencies")

    async def run(self, deadline: float, arrival: float = 0.0) -> None:
        """Arrive ``arrival`` seconds from now, then open pages until the deadline."""
        await asyncio.sleep(arrival)
        if self.interval:
            self.turn = time.monotonic() + self.rng.expovariate(1 / self.interval)
        first = True
        while time.monotonic() < deadline and self.stats.count < MAX_REQUESTS:
            path = self.rng.choice(PAGES)
            search = (
                f"?annee={self.rng.choice(self.years)}&departements={self.rng.choice(['21', '85', '59'])}"
            )
            try:
                await self._page(path, search, first)
                first = False
                await drive_async(self.browser.visit_steps(path, search), self._post, self._get_json)
                for control, value in filter_changes(
                    self.years, ["21", "85", "59", "44"], 2, self.rng.randrange(10**6)
                ):
                    if time.monotonic() >= deadline:
                        break
                    await drive_async(self.browser.choose_steps(control, value), self._post, self._get_json)
            except (RuntimeError, KeyError, ValueError, json.JSONDecodeError):
                continue  # counted as an error already (or a broken answer): start a new page
            if self.pause:
                await asyncio.sleep(self.rng.uniform(0.5 * self.pause, 1.5 * self.pause))


def _unused(_: Any) -> Any:
    raise AssertionError("the load generator drives the browser model asynchronously")


async def run_users(
    base: str,
    app: Any,
    years: list[int],
    stats: Stats,
    *,
    users: int,
    seconds: float,
    pause: float,
    rate: float = 0.0,
    arrival_gap: float = ARRIVAL_GAP,
) -> float:
    """Every user on one event loop until the deadline, recording into ``stats``; the elapsed seconds.

    ``rate``: the callbacks per second the users send together (0: each sends its next at once).
    ``arrival_gap``: seconds between two users' arrivals (the last arrives after ``users × arrival_gap``).
    """
    rng = random.Random(2026)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    simulated = []
    for _ in range(users):
        # Own cookies and own connection per user, as each director's browser keeps its own (not one
        # pool shared by every user, which any user's request could take).
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1),
            timeout=timeout,
            headers={"Accept-Encoding": "gzip"},
            cookie_jar=aiohttp.CookieJar(unsafe=True),
        )
        interval = users / rate if rate else 0.0
        simulated.append(User(base, app, stats, random.Random(rng.random()), years, pause, session, interval))
    start = time.monotonic()
    try:
        await asyncio.gather(
            *(user.run(start + seconds, index * arrival_gap) for index, user in enumerate(simulated))
        )
    finally:
        for user in simulated:
            await user.http.close()
    return time.monotonic() - start


def _report(stats: Stats, elapsed: float, args: argparse.Namespace, cpu: dict[str, float]) -> None:
    every = [s for values in stats.latencies.values() for s in values]
    total_errors = sum(stats.errors.values())
    server = f"gunicorn {args.workers} workers × {args.threads} threads (gthread, preload)"
    print(f"Machine : {machine()} ; {server}")
    paced = f", {args.rate:.0f} callbacks/s demandés" if args.rate else ""
    print(
        f"Charge : {args.users} utilisateurs simultanés pendant {elapsed:.0f} s (arrivés l'un après "
        f"l'autre en {args.users * ARRIVAL_GAP:.0f} s), pause {args.pause} s{paced}"
    )
    print(f"Requêtes : {len(every)} — {len(every) / elapsed:.1f} requêtes/s — erreurs : {total_errors}")
    capacity = (os.cpu_count() or 1) * elapsed
    server_cpu, own_cpu = cpu["serveur"], cpu["générateur"]
    print(
        f"Processeur : serveur {server_cpu:.0f} s ({100 * server_cpu / capacity:.0f} % de la machine), "
        f"générateur de charge {own_cpu:.0f} s ({100 * own_cpu / capacity:.0f} %)"
    )
    print(
        f"Latence (toutes requêtes) : p50 {percentile(every, 50) * 1000:.0f} ms, "
        f"p95 {percentile(every, 95) * 1000:.0f} ms, p99 {percentile(every, 99) * 1000:.0f} ms"
    )
    print(f"{'type de requête':<42} {'nombre':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'erreurs':>8}")
    for kind, values in sorted(stats.latencies.items(), key=lambda kv: -len(kv[1])):
        print(
            f"{kind[:42]:<42} {len(values):>7} {percentile(values, 50) * 1000:>8.0f} "
            f"{percentile(values, 95) * 1000:>8.0f} {percentile(values, 99) * 1000:>8.0f} "
            f"{stats.errors[kind]:>8}"
        )
    for example in stats.examples:
        print(f"  erreur : {example}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pause", type=float, default=0.0, help="secondes moyennes entre deux pages")
    parser.add_argument("--rate", type=float, default=0.0, help="callbacks/s demandés (0 : sans attente)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 1 <= args.seconds <= 1800 or not 0 <= args.rate <= 10_000:
        parser.error("--users entre 1 et 500, --seconds entre 1 et 1800, --rate entre 0 et 10 000")

    # Production settings, as deployed; the embedded figures as data. Build the same app in this process
    # only to read its callback map (dash_calls derives the payloads from it).
    os.environ.update(
        TDB_MODE="production",
        TDB_SECRET_KEY=secrets.token_urlsafe(48),
        TDB_WORKERS=str(args.workers),
        TDB_THREADS=str(args.threads),
        TDB_LOG_LEVEL="warning",
    )
    sys.path.insert(0, str(ROOT))
    from dashboard.data.context import open_data
    from dashboard.settings import Settings
    from dashboard.shell import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({**os.environ, "TDB_DATABASE_URL": f"sqlite:///{tmp}/map.sqlite3"})
        data = open_data(settings)
        local = create_app(settings, data)
        years = data.repository.available_years()
        with app_server(args.database_url, gunicorn=True, workers=args.workers) as server:
            server_cpu, own_cpu = tree_cpu_seconds(server.pid), time.process_time()
            stats = Stats()
            elapsed = asyncio.run(
                run_users(
                    server.base_url,
                    local,
                    years,
                    stats,
                    users=args.users,
                    seconds=args.seconds,
                    pause=args.pause,
                    rate=args.rate,
                )
            )
            cpu = {
                "serveur": tree_cpu_seconds(server.pid) - server_cpu,
                "générateur": time.process_time() - own_cpu,
            }
    _report(stats, elapsed, args, cpu)
    return 1 if sum(stats.errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
