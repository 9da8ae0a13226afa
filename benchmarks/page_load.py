"""First visit in a cold headless Chromium: bytes on the wire and time until every chart is drawn, against
a floor measured in the same run: a static HTML page holding the very same figures (read from the page)
and the full plotly.js, served over loopback with the same compression.

Usage: .venv/bin/python benchmarks/page_load.py [--database-url URL] [--runs N] [--path /canaux]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import plotly
from common import CHROMIUM, CHROMIUM_ARGS, ROOT, SETTLED_JS, app_server, free_port, median
from flask import Flask, send_file
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from dashboard.compression import GzipResponses

FULL_PLOTLY = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
READ_FIGURES_JS = """() => Array.from(document.querySelectorAll('#page-content .js-plotly-plot'))
    .map((gd) => ({data: gd.data, layout: gd.layout, width: gd.clientWidth, height: gd.clientHeight}))"""
PLOTLY_SCRIPT = re.compile(r"/plotly[^/]*\.js")


def _measure(page: Page, url: str, ready_js: str, scripts: list[str]) -> tuple[int, float]:
    """(bytes received, ms until ready) for one cold visit; the plotly.js files fetched go to ``scripts``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    received = [0]
    cdp.on(
        "Network.loadingFinished",
        lambda event: received.__setitem__(0, received[0] + event["encodedDataLength"]),
    )
    page.on(
        "request", lambda r: scripts.append(urlsplit(r.url).path) if PLOTLY_SCRIPT.search(r.url) else None
    )
    page.goto(url)
    page.wait_for_function(ready_js, timeout=60_000, polling="raf")
    elapsed = page.evaluate("() => performance.now()")
    return received[0], float(elapsed)


def _floor_html(figures: list[dict], content_html: str) -> str:
    graphs = "".join(
        f'<div id="g{i}" style="width:{f["width"]}px;height:{f["height"]}px"></div>'
        for i, f in enumerate(figures)
    )
    payload = json.dumps([{"data": f["data"], "layout": f["layout"]} for f in figures])
    return f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<link rel="stylesheet" href="/bootstrap.css"><link rel="stylesheet" href="/app.css"></head>
<body><main>{content_html}</main>{graphs}<script src="/plotly.min.js"></script>
<script>const figs = {payload};
Promise.all(figs.map((f, i) => Plotly.newPlot('g' + i, f.data, f.layout, {{responsive: true}})))
  .then(() => {{ window.__drawn = true; }});</script></body></html>"""


def _serve_floor(html: str) -> tuple[str, object]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log for the floor's requests
    floor = Flask("plancher")
    GzipResponses(floor)
    tmp = Path(tempfile.mkdtemp())
    (tmp / "index.html").write_text(html, encoding="utf-8")
    floor.add_url_rule("/", "index", lambda: send_file(tmp / "index.html", mimetype="text/html"))
    floor.add_url_rule("/plotly.min.js", "plotly", lambda: send_file(FULL_PLOTLY, mimetype="text/javascript"))
    floor.add_url_rule(
        "/bootstrap.css", "bs", lambda: send_file(ROOT / "assets/00-bootstrap.min.css", mimetype="text/css")
    )
    floor.add_url_rule("/app.css", "css", lambda: send_file(ROOT / "assets/app.css", mimetype="text/css"))
    port = free_port()
    server = make_server("127.0.0.1", port, floor, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}/", server


def run(database_url: str | None, path: str, runs: int) -> dict[str, Any]:
    """Median bytes and time of the app page and of its static floor, over cold visits."""
    results: dict[str, list[float]] = {"app_bytes": [], "app_ms": [], "floor_bytes": [], "floor_ms": []}
    scripts: dict[str, list[str]] = {"app": [], "floor": []}
    with app_server(database_url) as server, sync_playwright() as p:
        # Read the figures the page draws, once, to build the floor.
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(server.base_url + path)
        page.wait_for_function(SETTLED_JS, timeout=60_000)
        figures = page.evaluate(READ_FIGURES_JS)
        content = page.evaluate("() => document.querySelector('#page-content').innerHTML")
        browser.close()
        floor_url, floor_server = _serve_floor(_floor_html(figures, content))
        for _ in range(runs):
            for kind, url, ready in (
                ("app", server.base_url + path, SETTLED_JS),
                ("floor", floor_url, "() => window.__drawn === true"),
            ):
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
                size, ms = _measure(page, url, ready, scripts[kind])
                browser.close()
                results[f"{kind}_bytes"].append(size)
                results[f"{kind}_ms"].append(ms)
        floor_server.shutdown()  # type: ignore[attr-defined]
    summary: dict[str, Any] = {key: median(values) for key, values in results.items()}
    summary["charts"] = len(figures)
    summary["ratio"] = summary["app_ms"] / summary["floor_ms"]
    # What each cold visit fetched of plotly.js: the partial bundle of assets/, once, and nothing else.
    summary["plotly_scripts"] = sorted(set(scripts["app"]))
    summary["plotly_fetches_per_visit"] = len(scripts["app"]) / runs
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--path", default="/")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    r = run(args.database_url, args.path, args.runs)
    print(f"Première visite de {args.path} ({int(r['charts'])} graphiques), médiane de {args.runs} visites :")
    print(
        f"  application : {r['app_bytes'] / 1e6:.2f} Mo transférés, "
        f"{r['app_ms']:.0f} ms jusqu'au dernier graphique"
    )
    print(f"  plancher    : {r['floor_bytes'] / 1e6:.2f} Mo transférés, {r['floor_ms']:.0f} ms")
    print(f"  rapport     : {r['ratio']:.2f} (cible ≤ 1,00) ; poids cible ≤ 1,06 Mo")
    print(
        f"  plotly.js chargé : {', '.join(r['plotly_scripts'])} "
        f"({r['plotly_fetches_per_visit']:.0f} fois par visite)"
    )


if __name__ == "__main__":
    main()
