"""Every benchmark, on the embedded data and on a synthetic store at full scale, in one table.

Measures (see each script for the method):
  a. first visit of « / » and « /canaux » in a cold Chromium against its static floor (page_load.py);
  b. a filter change in the browser (filter_change.py) and the server time per callback (callback_time.py);
  c. 50 simultaneous users on gunicorn (load.py's simulated directors), callbacks only: without a pause
     (the throughput at saturation), then sending 300 callbacks per second together (the latency there),
     and the latter again with the workers sharing one cache in a throw-away Redis (TDB_REDIS_URL);
  d. the same at scale: every caisse × 15 years × the whole catalog (generate_scale_store.py), and how
     much each time grew from the embedded data;
  e. the import of a 10 000-row file (import_bench.py);
  f. resident memory of a warmed-up server: python app.py after every page, and gunicorn workers after (c);
  g. hostile inputs: each hostile file's peak memory through the import path, and a gunicorn worker's
     memory under 2 000 distinct static URLs (hostile_inputs.py).

Usage: make bench   (or .venv/bin/python benchmarks/run_all.py [--quick])
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling scripts, when run from the root

import callback_time
import filter_change
import generate_scale_store
import hostile_inputs
import import_bench
import load
import page_load
from common import app_server, machine, median, percentile, process_tree, rss_mb, tree_cpu_seconds

from tests.servers import redis_server

LOAD_USERS = 50
LOAD_RATE = 300.0  # callbacks per second: the load target, sent by the 50 users together
# A regional network between a caisse's offices and the server: every server round trip of a change costs it.
NETWORK_LATENCY_MS = 40.0
MAX_GROWTH = 0.20


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    measure: str
    value: str
    target: str
    met: bool | None  # None: shown for information


def _fr(value: float, decimals: int = 0) -> str:
    """A number the French way (decimal comma, no-break thousands)."""
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return text


class TimedStats(load.Stats):
    """load.py's statistics, plus when each callback ended (to leave out the first visits' ramp-up)."""

    def __init__(self) -> None:
        super().__init__()
        self.ends: list[tuple[float, float, bool]] = []  # (end, seconds, failed) of every callback
        self.every: list[tuple[float, float]] = []  # (end, seconds) of every request

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        super().add(kind, seconds, error)
        now = time.monotonic()
        self.every.append((now, seconds))
        if kind.startswith("callback"):
            self.ends.append((now, seconds, error is not None))


def _load_test(
    database_url: str | None,
    users: int,
    seconds: float,
    rate: float = 0.0,
    redis_url: str = "",
) -> dict[str, float]:
    """load.py's simulated directors against gunicorn; callback requests only, and the workers' memory.

    ``rate``: the callbacks per second the users send together (0: without a pause, the saturation).
    ``redis_url``: the workers share their cache there (else each keeps its own).
    """
    workers, threads = (os.cpu_count() or 1) + 1, 4
    saved = dict(os.environ)
    os.environ.update(
        TDB_MODE="production",
        TDB_SECRET_KEY=secrets.token_urlsafe(48),
        TDB_WORKERS=str(workers),
        TDB_THREADS=str(threads),
        TDB_LOG_LEVEL="warning",
        TDB_REDIS_URL=redis_url,
    )
    try:
        from dashboard.data.context import open_data
        from dashboard.settings import Settings
        from dashboard.shell import create_app

        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings.from_env({**os.environ, "TDB_DATABASE_URL": f"sqlite:///{tmp}/map.sqlite3"})
            data = open_data(settings)
            local = create_app(settings, data)  # its callback map gives the payloads
            years = data.repository.available_years()
            with app_server(database_url, gunicorn=True, workers=workers) as server:
                stats = TimedStats()
                started = time.monotonic()
                # Steady state: the first quarter of the run (at least until the last user has arrived)
                # is the users' arrivals and first visits (scripts, style sheets and plotly.js downloaded
                # by each browser). Throughput, latency and CPU count the rest, from the counters read
                # when it begins.
                marks: dict[str, float] = {}

                async def mark_steady_state() -> None:
                    await asyncio.sleep(max(seconds / 4, users * load.ARRIVAL_GAP))
                    marks.update(
                        at=time.monotonic(),
                        server=tree_cpu_seconds(server.pid),
                        client=time.process_time(),
                        requests=stats.count,
                    )

                async def run() -> float:
                    marker = asyncio.create_task(mark_steady_state())
                    elapsed = await load.run_users(
                        server.base_url,
                        local,
                        years,
                        stats,
                        users=users,
                        seconds=seconds,
                        pause=0.0,
                        rate=rate,
                    )
                    await marker
                    return elapsed

                elapsed = asyncio.run(run())
                workers_cpu = tree_cpu_seconds(server.pid) - marks["server"]
                client_seconds = time.process_time() - marks["client"]
                worker_rss = [rss_mb(pid) for pid in process_tree(server.pid) - {server.pid}]
    finally:
        os.environ.clear()
        os.environ.update(saved)
    steady_from = marks["at"]
    window = max(1e-3, started + elapsed - steady_from)  # a run cut short before its steady state
    steady = [d for end, d, _ in stats.ends if end >= steady_from]
    requests = max(1, stats.count - int(marks["requests"]))
    errors = sum(n for kind, n in stats.errors.items() if kind.startswith("callback"))
    return {
        "per_second": len(steady) / window,
        "p95_ms": percentile(steady, 95) * 1000,
        "p50_ms": percentile(steady, 50) * 1000,
        "overall_per_second": len(stats.ends) / elapsed,
        "errors": float(errors),
        "all_errors": float(sum(stats.errors.values())),
        "worker_rss_mb": max(worker_rss) if worker_rss else float("nan"),
        # CPU per request in the steady state (every request of the simulated browsers, static files
        # included), server and client; and how busy the two together kept the machine's cores.
        "server_cpu_ms": 1000 * workers_cpu / requests,
        "client_cpu_ms": 1000 * client_seconds / requests,
        "requests_per_second": requests / window,
        "mean_ms": 1000 * sum(d for end, d in stats.every if end >= steady_from) / requests,
        "busy": (workers_cpu + client_seconds) / ((os.cpu_count() or 1) * window),
        "requests": float(stats.count),
        "workers": float(workers),
    }


def _shared_cache_load(database_url: str | None, seconds: float) -> dict[str, float] | None:
    """The load at the target rate, the workers sharing a fresh Redis cache; None without redis-server."""
    if shutil.which("redis-server") is None:
        return None
    with contextlib.contextmanager(redis_server)() as url:
        return _load_test(database_url, LOAD_USERS, seconds, LOAD_RATE, redis_url=url)


def measure(
    label: str,
    database_url: str | None,
    runs: int,
    rounds: int,
    load_seconds: float,
    *,
    network: bool = False,
) -> dict[str, Any]:
    """Every measure on one store; prints progress as it goes.

    ``network``: the filter change is also measured over a network's latency.
    """

    def over_network() -> filter_change.Result:
        return filter_change.run(database_url, "/canaux", rounds, NETWORK_LATENCY_MS)

    found: dict[str, Any] = {}
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("page_/", lambda: page_load.run(database_url, "/", runs)),
        ("page_/canaux", lambda: page_load.run(database_url, "/canaux", runs)),
        ("filtre", lambda: filter_change.run(database_url, "/canaux", rounds=rounds)),
        *([("filtre_réseau", over_network)] if network else []),
        ("serveur", lambda: callback_time.run(database_url)),
        ("charge", lambda: _load_test(database_url, LOAD_USERS, load_seconds)),
        ("charge_cible", lambda: _load_test(database_url, LOAD_USERS, load_seconds, LOAD_RATE)),
        ("charge_redis", lambda: _shared_cache_load(database_url, load_seconds)),
        ("import", lambda: import_bench.run(database_url)),
    ]
    for name, step in steps:
        started = time.perf_counter()
        print(f"  [{label}] {name}…", flush=True)
        found[name] = step()
        print(f"  [{label}] {name} : {time.perf_counter() - started:.0f} s", flush=True)
    return found


def rows_of(label: str, r: dict[str, Any]) -> list[Row]:
    """The table lines of one store."""
    rows = []
    for path in ("/", "/canaux"):
        p = r[f"page_{path}"]
        rows.append(
            Row(
                f"{label} — a. 1re visite {path} ({p['charts']} graphiques) : temps / plancher",
                f"{_fr(p['ratio'], 2)} ({_fr(p['app_ms'])} ms / {_fr(p['floor_ms'])} ms)",
                "≤ 1,00",
                p["ratio"] <= 1.0,
            )
        )
        rows.append(
            Row(
                f"{label} — a. 1re visite {path} : octets transférés",
                f"{_fr(p['app_bytes'] / 1e6, 2)} Mo",
                "≤ 1,06 Mo",
                p["app_bytes"] <= 1.06e6,
            )
        )
        only_basic = p["plotly_scripts"] == ["/assets/plotly-basic-4.1.1.min.js"] or (
            len(p["plotly_scripts"]) == 1 and "/assets/plotly-basic" in p["plotly_scripts"][0]
        )
        rows.append(
            Row(
                f"{label} — a. plotly.js chargé ({path})",
                f"{', '.join(s.rsplit('/', 1)[-1] for s in p['plotly_scripts'])} "
                f"×{_fr(p['plotly_fetches_per_visit'])}",
                "le seul paquet partiel",
                only_basic and p["plotly_fetches_per_visit"] == 1,
            )
        )
    f = r["filtre"]
    rows.append(
        Row(
            f"{label} — b. changement de filtre, navigateur (médiane, {len(f.wall_ms)} changements)",
            f"{_fr(median(f.wall_ms))} ms (CPU navigateur {_fr(median(f.cpu_ms))} ms)",
            "≤ 250 ms",
            median(f.wall_ms) <= 250,
        )
    )
    if "filtre_réseau" in r:
        n = r["filtre_réseau"]
        rows.append(
            Row(
                f"{label} — b. changement de filtre, réseau à {_fr(NETWORK_LATENCY_MS)} ms de latence "
                f"(médiane)",
                f"{_fr(median(n.wall_ms))} ms (CPU navigateur {_fr(median(n.cpu_ms))} ms)",
                "≤ 250 ms",
                median(n.wall_ms) <= 250,
            )
        )
    rows.append(
        Row(
            f"{label} — b. changement de filtre : part du temps occupé de la page (profil échantillonné)",
            ", ".join(f"{kind} {_fr(100 * share)} %" for kind, share in sorted(f.shares.items())),
            "pour information",
            None,
        )
    )
    s = r["serveur"]
    for phase in ("froid", "chaud"):
        values = s[phase].all
        rows.append(
            Row(
                f"{label} — b. temps serveur par callback, cache {phase} (p95 de {len(values)})",
                f"{_fr(percentile(values, 95), 1)} ms (médiane {_fr(median(values), 1)} ms)",
                "p95 ≤ 30 ms",
                percentile(values, 95) <= 30,
            )
        )
    pauses = [p for phase in ("froid", "chaud") for p in s[phase].full_collections]
    rows.append(
        Row(
            f"{label} — b. collectes complètes du ramasse-miettes : nombre ; la plus longue",
            f"{len(pauses)} ; {_fr(max(pauses, default=0.0), 1)} ms",
            "pour information",
            None,
        )
    )
    c, paced = r["charge"], r["charge_cible"]
    rows.append(
        Row(
            f"{label} — c. {LOAD_USERS} utilisateurs sans pause, gunicorn {int(c['workers'])} workers : "
            "callbacks/s (saturation)",
            _fr(c["per_second"]),
            f"≥ {_fr(LOAD_RATE)}",
            c["per_second"] >= LOAD_RATE,
        )
    )
    # At saturation every user waits in the server's queue: the latency is the users over the throughput
    # (Little's law, below), whatever the server does per request. The target latency is the one at the
    # target throughput: the same users sending 300 callbacks per second together.
    rows.append(
        Row(
            f"{label} — c. latence callback p95 à saturation",
            f"{_fr(c['p95_ms'])} ms",
            "pour information",
            None,
        )
    )
    rows.append(
        Row(
            f"{label} — c. {LOAD_USERS} utilisateurs envoyant {_fr(LOAD_RATE)} callbacks/s : "
            "callbacks/s obtenus ; latence p95 (médiane)",
            f"{_fr(paced['per_second'])} ; {_fr(paced['p95_ms'])} ms ({_fr(paced['p50_ms'])} ms)",
            "p95 ≤ 100 ms",
            paced["p95_ms"] <= 100,
        )
    )
    # Without Redis each of the workers computes for itself every selection it is asked for.
    shared = r["charge_redis"]
    rows.append(
        Row(
            f"{label} — c. la même charge, cache commun aux workers (Redis, TDB_REDIS_URL) : "
            "callbacks/s obtenus ; latence p95 (médiane) ; CPU serveur par requête",
            f"{_fr(shared['per_second'])} ; {_fr(shared['p95_ms'])} ms ({_fr(shared['p50_ms'])} ms) ; "
            f"{_fr(shared['server_cpu_ms'], 1)} ms (sans Redis : {_fr(paced['server_cpu_ms'], 1)} ms)"
            if shared
            else "non mesurée : redis-server absent",
            "p95 ≤ 100 ms",
            shared["p95_ms"] <= 100 if shared else None,
        )
    )
    # The generator shares the machine's two cores with the server: its own CPU says how much it took.
    generator_share = c["client_cpu_ms"] / max(1e-9, c["client_cpu_ms"] + c["server_cpu_ms"])
    rows.append(
        Row(
            f"{label} — c. CPU par requête : serveur ; générateur de charge (sa part)",
            f"{_fr(c['server_cpu_ms'], 1)} ms ; {_fr(c['client_cpu_ms'], 1)} ms "
            f"({_fr(100 * generator_share)} %)",
            "pour information",
            None,
        )
    )
    # Each user waits for one request at a time and sends the next at once: by Little's law the mean
    # latency of all requests is about the users over the throughput, whatever the server's queue does.
    rows.append(
        Row(
            f"{label} — c. cœurs occupés ; requêtes/s (toutes) ; latence moyenne ; {LOAD_USERS} / débit",
            f"{_fr(100 * c['busy'])} % ; {_fr(c['requests_per_second'])} ; {_fr(c['mean_ms'])} ms ; "
            f"{_fr(1000 * LOAD_USERS / c['requests_per_second'])} ms",
            "pour information",
            None,
        )
    )
    loads = [c, paced, *([shared] if shared else [])]
    rows.append(
        Row(
            f"{label} — c. erreurs des {len(loads)} charges (callbacks ; toutes requêtes)",
            f"{_fr(sum(x['errors'] for x in loads))} ; {_fr(sum(x['all_errors'] for x in loads))}",
            "0",
            sum(x["all_errors"] for x in loads) == 0,
        )
    )
    i = r["import"]
    rows.append(
        Row(
            f"{label} — e. import de {_fr(i['rows'])} lignes ({i['status']}) : durée",
            f"{_fr(i['seconds'], 2)} s",
            "≤ 2 s",
            i["seconds"] <= 2,
        )
    )
    rows.append(
        Row(
            f"{label} — e. import : mémoire de pointe",
            f"{_fr(i['peak_mb'])} Mo",
            "≤ 300 Mo",
            i["peak_mb"] <= 300,
        )
    )
    rows.append(
        Row(
            f"{label} — f. mémoire, python app.py après toutes les pages",
            f"{_fr(f.server_rss_mb)} Mo",
            "≤ 250 Mo",
            f.server_rss_mb <= 250,
        )
    )
    rows.append(
        Row(
            f"{label} — f. mémoire, worker gunicorn après la charge (le plus gros)",
            f"{_fr(c['worker_rss_mb'])} Mo",
            "≤ 250 Mo",
            c["worker_rss_mb"] <= 250,
        )
    )
    return rows


def growth_rows(real: dict[str, Any], scale: dict[str, Any]) -> list[Row]:
    """d. How much each time grew from the embedded data to the full scale."""
    # A first visit is judged against its floor, measured in the same run: the machine's drift between
    # the two runs (other processes) cancels out; the raw times are shown too.
    pairs = {
        "1re visite /, temps / plancher": (real["page_/"]["ratio"], scale["page_/"]["ratio"]),
        "1re visite /canaux, temps / plancher": (
            real["page_/canaux"]["ratio"],
            scale["page_/canaux"]["ratio"],
        ),
        "changement de filtre (ms)": (median(real["filtre"].wall_ms), median(scale["filtre"].wall_ms)),
        "callback p95, cache froid": (
            percentile(real["serveur"]["froid"].all, 95),
            percentile(scale["serveur"]["froid"].all, 95),
        ),
        "callback p95, cache chaud": (
            percentile(real["serveur"]["chaud"].all, 95),
            percentile(scale["serveur"]["chaud"].all, 95),
        ),
        f"charge : latence p95 à {_fr(LOAD_RATE)} callbacks/s": (
            real["charge_cible"]["p95_ms"],
            scale["charge_cible"]["p95_ms"],
        ),
        "import (s)": (real["import"]["seconds"], scale["import"]["seconds"]),
    }
    rows = []
    for name, (before, after) in pairs.items():
        growth = after / before - 1 if before else float("nan")
        rows.append(
            Row(
                f"d. croissance à l'échelle — {name}",
                f"{'+' if growth >= 0 else ''}{_fr(100 * growth)} % "
                f"({_fr(before, 2 if before < 10 else 1)} → {_fr(after, 2 if after < 10 else 1)})",
                "≤ +20 %",
                growth <= MAX_GROWTH,
            )
        )
    for path in ("/", "/canaux"):
        before, after = real[f"page_{path}"]["app_ms"], scale[f"page_{path}"]["app_ms"]
        rows.append(
            Row(
                f"d. (pour information) 1re visite {path}, temps brut",
                f"{'+' if after >= before else ''}{_fr(100 * (after / before - 1))} % "
                f"({_fr(before)} → {_fr(after)} ms)",
                "—",
                None,
            )
        )
    return rows


def print_table(rows: list[Row]) -> None:
    """measure | valeur | cible | atteint."""
    widths = [max(len(r.measure) for r in rows), max(len(r.value) for r in rows), 22]
    header = ("mesure", "valeur", "cible", "atteint")
    print(f"{header[0]:<{widths[0]}} | {header[1]:<{widths[1]}} | {header[2]:<{widths[2]}} | {header[3]}")
    print("-" * (sum(widths) + 17))
    for r in rows:
        met = "—" if r.met is None else ("oui" if r.met else "NON")
        print(f"{r.measure:<{widths[0]}} | {r.value:<{widths[1]}} | {r.target:<{widths[2]}} | {met}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="moins de visites et une charge plus courte")
    args = parser.parse_args()
    runs, rounds, load_seconds = (2, 1, 10.0) if args.quick else (5, 2, 30.0)
    started = time.perf_counter()
    print(f"Bancs d'essai — machine : {machine()} — {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    with tempfile.TemporaryDirectory(prefix="tdb-bench-") as tmp:
        scale_path = Path(tmp) / "echelle.sqlite3"
        count, seconds = generate_scale_store.generate(scale_path)
        print(
            f"Base synthétique à l'échelle : {_fr(count)} chiffres écrits en {_fr(seconds, 1)} s", flush=True
        )
        real = measure("données réelles", None, runs, rounds, load_seconds, network=True)
        scale = measure("échelle", f"sqlite:///{scale_path}", runs, rounds, load_seconds)
    rows = [*rows_of("réelles", real), *rows_of("échelle", scale), *growth_rows(real, scale)]
    print("Entrées hostiles :", flush=True)
    rows += [Row(*row) for row in hostile_inputs.rows()]
    print()
    print_table(rows)
    missed = [r for r in rows if r.met is False]
    print()
    total = time.perf_counter() - started
    print(f"{len(rows) - len(missed)} cibles atteintes sur {len(rows)} ; durée totale {_fr(total)} s")


if __name__ == "__main__":
    main()
