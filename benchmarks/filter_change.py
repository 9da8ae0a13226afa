"""A filter change in the browser, from the click on the option until every chart in sight has redrawn.

The page is opened in headless Chromium (served by ``python app.py`` on loopback), then the year and the
départements are changed with the mouse, as a director does. The clock starts when the option is released
(pointerup) and stops when Dash has nothing left to run and every chart in sight has drawn again after that
instant (plotly's ``plotly_afterplot`` event): every chart but those more than a screen below the window,
which are drawn as they near it. Each change is also measured in CPU time of the page's
main thread (Chrome's ``ThreadTime``), which other processes on the machine do not inflate. Chromium's
sampling profiler runs over the measured changes: its samples tell the share of the page's busy time spent
in Dash's renderer (dash_renderer, with React) and in plotly.js.

Afterwards the script visits every page and reads the server's resident memory (a warmed-up worker).

Usage: .venv/bin/python benchmarks/filter_change.py [--database-url URL] [--path /canaux] [--rounds 2]
       [--latency-ms 40]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from common import CHROMIUM, CHROMIUM_ARGS, SETTLED_JS, app_server, median, rss_mb
from dash_calls import PAGES
from playwright.sync_api import Page, sync_playwright

from dashboard import ids

# Listen once to every chart's redraws, and to the change of a filter (a select or a checkbox).
ARM_JS = """() => {
    document.querySelectorAll('#page-content .js-plotly-plot').forEach((gd) => {
        if (gd.__benchArmed) return;
        gd.__benchArmed = true;
        gd.on('plotly_afterplot', () => { gd.__drawnAt = performance.now(); });
    });
    if (!window.__benchArmed) {
        window.__benchArmed = true;
        document.addEventListener('change', (event) => {
            if (event.target.closest('.filter-bar')) window.__choseAt = performance.now();
        }, true);
    }
    window.__choseAt = null;
}"""
DONE_JS = f"""() => {{
    if (window.__choseAt === null || !({SETTLED_JS})()) return false;
    // Places waiting, further down, to near the window hold no chart: SETTLED_JS waits for those near it.
    const charts = document.querySelectorAll('#page-content .js-plotly-plot');
    // A chart made after the choice (the page had none where it now has some) was never armed: it counts
    // once plotly has drawn it (its title is in the page).
    return Array.from(charts).every((gd) => gd.__benchArmed
        ? (gd.__drawnAt || 0) > window.__choseAt
        : !!gd._fullLayout && !!gd.querySelector('.gtitle'));
}}"""
# Years and départements a director clicks through: (what to choose, département code for a search).
YEARS = ("2022", "2024", "2021", "2023", "2024")  # never the year already shown
DEPARTEMENTS = (("59", "59 — Nord"), ("13", "13 — Bouches-du-Rhône"), ("85", "85 — Vendée"))


# Where a sampled function comes from, by its script's address (the first that matches).
SCRIPT_KINDS = (
    ("moteur de Dash", ("dash_renderer", "dash-renderer", "react")),
    ("plotly.js", ("plotly",)),
)
_IDLE = {"(idle)", "(program)"}


@dataclass(frozen=True)
class Result:
    """Milliseconds per change (wall and main-thread CPU), and the server's memory after every page."""

    wall_ms: list[float]
    cpu_ms: list[float]
    server_rss_mb: float
    charts: int
    # Share of the page's busy time (sampled) by kind of script: moteur de Dash, plotly.js, autres.
    shares: dict[str, float]


def _shares(profile: dict) -> dict[str, float]:
    """Self time of the profile's samples by kind of script, as fractions of the busy (non-idle) time."""
    kinds: dict[int, str | None] = {}
    for node in profile["nodes"]:
        frame = node["callFrame"]
        if frame["functionName"] in _IDLE:
            kinds[node["id"]] = None
            continue
        url = frame.get("url", "")
        kinds[node["id"]] = next(
            (name for name, parts in SCRIPT_KINDS if any(part in url for part in parts)), "autres"
        )
    totals: dict[str, float] = {}
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        kind = kinds.get(node_id)
        if kind is not None:
            totals[kind] = totals.get(kind, 0.0) + delta
    busy = sum(totals.values()) or 1.0
    return {kind: value / busy for kind, value in totals.items()}


def _thread_ms(cdp: object) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]  # type: ignore[attr-defined]
    return 1000 * next(m["value"] for m in metrics if m["name"] == "ThreadTime")


def _change(page: Page, cdp: object, choose: object) -> tuple[float, float]:
    page.evaluate(ARM_JS)
    before = _thread_ms(cdp)
    choose()  # type: ignore[operator]
    page.wait_for_function(DONE_JS, timeout=60_000, polling="raf")
    wall = float(page.evaluate("() => performance.now() - window.__choseAt"))
    return wall, _thread_ms(cdp) - before


def _choose_year(page: Page, label: str) -> None:
    page.locator(f"#{ids.YEAR}").select_option(label=label)


def _toggle_departement(page: Page, code: str, label: str) -> None:
    if not page.locator(f"#{ids.DEPARTEMENTS}-panel").is_visible():
        page.locator(f"#{ids.DEPARTEMENTS}-open").click()
    page.locator(f"#{ids.DEPARTEMENTS_SEARCH}").fill(code)
    page.get_by_role("checkbox", name=label, exact=True).click()


def run(database_url: str | None, path: str = "/canaux", rounds: int = 2, latency_ms: float = 0) -> Result:
    """Year and département changes on one page, then every page visited for the memory reading.

    ``latency_ms`` delays every request of the page, as a regional network between a caisse's offices and
    the server would (Chrome's network emulation): each server round trip of a change then costs it.
    """
    wall: list[float] = []
    cpu: list[float] = []
    with app_server(database_url) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(f"{server.base_url}{path}?annee=2024&departements=21")
        page.wait_for_function(SETTLED_JS, timeout=60_000)
        charts = int(page.evaluate("() => document.querySelectorAll('#page-content .js-plotly-plot').length"))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        if latency_ms:
            cdp.send("Network.enable")
            conditions = {
                "offline": False,
                "latency": latency_ms,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }
            cdp.send("Network.emulateNetworkConditions", conditions)
        # One change to load what a first change loads (dropdown code, caches of the browser), not counted.
        _change(page, cdp, lambda: _choose_year(page, "2023"))
        cdp.send("Profiler.enable")
        cdp.send("Profiler.start")
        for _ in range(rounds):
            for year in YEARS:
                measured = _change(page, cdp, lambda y=year: _choose_year(page, y))
                wall.append(measured[0])
                cpu.append(measured[1])
            previous = "21"
            previous_label = "21 — Côte-d'Or"
            for code, label in DEPARTEMENTS:
                # Switch département as a person does: tick the new one, then untick the old one.
                for c, lab in ((code, label), (previous, previous_label)):
                    measured = _change(page, cdp, lambda c=c, lab=lab: _toggle_departement(page, c, lab))
                    wall.append(measured[0])
                    cpu.append(measured[1])
                page.keyboard.press("Escape")
                previous, previous_label = code, label
            for c, lab in (("21", "21 — Côte-d'Or"), (previous, previous_label)):
                _change(page, cdp, lambda c=c, lab=lab: _toggle_departement(page, c, lab))
            page.keyboard.press("Escape")
        shares = _shares(cdp.send("Profiler.stop")["profile"])
        for visited in PAGES:
            page.goto(f"{server.base_url}{visited}?annee=2024&departements=21")
            page.wait_for_function(SETTLED_JS, timeout=60_000)
        memory = rss_mb(server.pid)
        browser.close()
    return Result(wall, cpu, memory, charts, shares)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--path", default="/canaux")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--latency-ms", type=float, default=0, help="latence du réseau émulée, par requête")
    args = parser.parse_args()
    r = run(args.database_url, args.path, args.rounds, args.latency_ms)
    network = f", réseau à {args.latency_ms:.0f} ms de latence" if args.latency_ms else ""
    shown = f"{args.path} ({r.charts} graphiques{network})"
    print(f"Changement de filtre sur {shown}, {len(r.wall_ms)} changements :")
    print(f"  médiane {median(r.wall_ms):.0f} ms jusqu'au dernier graphique redessiné (cible ≤ 250 ms)")
    print(f"  temps CPU du navigateur : médiane {median(r.cpu_ms):.0f} ms par changement")
    parts = ", ".join(
        f"{kind} {100 * share:.0f} %" for kind, share in sorted(r.shares.items(), key=lambda x: -x[1])
    )
    print(f"  temps occupé de la page (profil échantillonné) : {parts}")
    print(f"  chaque changement (ms) : {' '.join(f'{v:.0f}' for v in r.wall_ms)}")
    print(f"Mémoire résidente du serveur après toutes les pages : {r.server_rss_mb:.0f} Mo (cible ≤ 250 Mo)")


if __name__ == "__main__":
    main()
