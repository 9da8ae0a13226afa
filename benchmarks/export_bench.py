"""Server-side export timings: first (cold browser) and warm image per format, then a full dossier.

Builds the app's data on a temporary SQLite store (the embedded figures), draws the default view's charts
with the process's renderer (one Chromium kept alive), and prints:

- per format (PNG, SVG, PDF) and size, the first image (the browser starts for the very first one) and the
  median of the warm ones;
- the time and the peak Python memory of each dossier file (deck, report, ZIP) of 21 charts of the default
  view, plus the peak resident memory of the Chromium processes, against the targets: deck ≤ 6 s (native
  charts, no browser), PDF report ≤ 15 s.

Usage: ``.venv/bin/python benchmarks/export_bench.py [--runs 5]``. Prints timings, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import process_tree

from dashboard.cache import CachedRepository
from dashboard.chart_index import figure_index
from dashboard.data.context import open_data
from dashboard.export.files import KINDS, make_file
from dashboard.export.images import SIZES, ImageRenderer
from dashboard.filters import default_filters
from dashboard.panels.figure_index import build_dossier, default_choice, draw
from dashboard.settings import Settings


def _browser_pss_mb() -> float:
    """Proportional memory (PSS) of this process's child processes, i.e. our Chromium (Linux /proc), in MB.

    PSS shares the pages Chromium's processes have in common instead of counting them once per process.
    """
    total = 0
    for pid in process_tree(os.getpid()) - {os.getpid()}:
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in lines if line.startswith("Pss:"))
    return total / 1024


DOSSIER_CHARTS = 21
BASE_URL = "http://127.0.0.1:8050"
TARGETS = {"pptx": 6.0, "pdf": 15.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm images per format and size")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        data = open_data(Settings(database_url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}"))
        repo = CachedRepository(data.repository)
        filters = default_filters(repo.choices())
        index = figure_index(repo.catalog)
        items = [index[key] for key in default_choice(repo, filters)]
        if len(items) < DOSSIER_CHARTS:  # the committee's usual size: complete with the other charts
            items += [item for key, item in index.items() if item not in items][: DOSSIER_CHARTS - len(items)]
        items = items[:DOSSIER_CHARTS]
        figure = draw(repo, filters, items[0])[0].figure
        renderer = ImageRenderer()
        print(f"Vue par défaut : {len(items)} graphiques des chiffres clés, année {filters.annee}")

        print("\nImages (première = démarrage de Chromium compris ; chaudes = médiane)")
        first_done = False
        for size in SIZES.values():
            for fmt in ("png", "svg", "pdf"):
                start = time.perf_counter()
                renderer.render_size(figure, fmt, size)
                first = time.perf_counter() - start
                warm = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    renderer.render_size(figure, fmt, size)
                    warm.append(time.perf_counter() - start)
                label = "première (à froid)" if not first_done else "première"
                first_done = True
                print(
                    f"  {fmt.upper():3} {size.key:11} {label:18} {first * 1000:7.0f} ms   "
                    f"chaude {statistics.median(warm) * 1000:6.0f} ms"
                )

        print(f"\nDossier complet ({len(items)} graphiques)")
        for kind, (label, _) in KINDS.items():
            # Timed without tracemalloc (it slows allocation-heavy Python two- to threefold), then measured.
            start = time.perf_counter()
            dossier = build_dossier(repo, filters, items, BASE_URL, draw_figures=kind != "pptx")
            result = make_file(kind, dossier, renderer, lambda *_: None)
            elapsed = time.perf_counter() - start
            tracemalloc.start()
            dossier = build_dossier(repo, filters, items, BASE_URL, draw_figures=kind != "pptx")
            make_file(kind, dossier, renderer, lambda *_: None)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            target = TARGETS.get(kind)
            verdict = (
                f"   cible ≤ {target:.0f} s : {'atteinte' if elapsed <= target else 'NON atteinte'}"
                if target is not None
                else ""
            )
            print(
                f"  {label:34} {elapsed:6.1f} s   fichier {len(result.data) / 1e6:5.1f} Mo   "
                f"pic mémoire Python {peak / 1e6:6.1f} Mo   "
                f"Chromium (PSS) {_browser_pss_mb():5.0f} Mo{verdict}"
            )
        renderer.stop()
        data.store.dispose()


if __name__ == "__main__":
    main()
