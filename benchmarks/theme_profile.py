"""Server CPU of a theme page (``theme_view``, cold), and what the figure side could save.

For every themed page and a few selections, ``theme_view`` is timed as the app runs it, then again with
plotly patched for the run as below. The builders already do both (``figures.frame.new_figure``), so the
three columns now agree; a gap reappearing would show a builder that makes its figure another way.

- ``go.Figure(..., _validate=False)``: the builders' figures skip plotly's property validation;
- the theme's template given when the figure is made: plotly then never copies its default "plotly"
  template into each figure before the builders replace it with ours.

The figures must stay identical (same JSON) for a saving to count; the script checks it.

Usage: .venv/bin/python benchmarks/theme_profile.py [--database-url URL] [--top 15]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from common import median
from plotly.basedatatypes import BaseFigure

from dashboard import theme
from dashboard.cache import CachedRepository
from dashboard.data.catalog import Theme
from dashboard.data.context import open_data
from dashboard.filters import Filters
from dashboard.panels.common import selection
from dashboard.panels.theme_page import theme_frame
from dashboard.settings import Settings
from dashboard.views import ThemeView, theme_view

Variant = Callable[[], Any]
TEMPLATE_JSON = theme.TEMPLATE.to_plotly_json()


@contextmanager
def figure_init(validate: bool, template_first: bool) -> Iterator[None]:
    """Run with plotly figures made as the variant says (restored afterwards)."""
    original = BaseFigure.__init__

    def patched(self: Any, data: Any = None, layout_plotly: Any = None, *args: Any, **kwargs: Any) -> None:
        if not validate:
            kwargs["_validate"] = False
        if template_first and layout_plotly is None:
            layout_plotly = {"template": TEMPLATE_JSON}
        original(self, data, layout_plotly, *args, **kwargs)

    BaseFigure.__init__ = patched  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseFigure.__init__ = original  # type: ignore[method-assign]


VARIANTS = {
    "tel quel": (True, False),
    "_validate=False": (False, False),
    "_validate=False + gabarit à la création": (False, True),
}


def _selections(repo: CachedRepository) -> list[Filters]:
    choices = repo.choices()
    years = list(choices.years)[-3:]
    departements = [choices.default_departement, "59", "13", "75"]
    found = []
    for year in years:
        for dep in departements:
            caisses = tuple(c.id for c in choices.caisses_of((dep,)))
            comparison = year - 1 if year - 1 in choices.years else None
            found.append(Filters(year, comparison, (dep,), caisses))
    return found


SHARES = (
    ("plotly (objets graph_objects, validation, gabarits)", ("/plotly/", "/_plotly_utils/", "copy.py")),
    ("pandas / numpy", ("/pandas/", "/numpy/")),
    ("dashboard (figures, charts, analysis, formatting…)", ("/dashboard/",)),
)


def print_shares(stats: pstats.Stats) -> None:
    """Where theme_view's own time goes, by library (self time of each function, profiler on)."""
    totals: dict[str, float] = {}
    for (filename, _, _), (_, _, self_time, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        label = next((name for name, parts in SHARES if any(p in filename for p in parts)), "autres")
        totals[label] = totals.get(label, 0.0) + self_time
    whole = sum(totals.values())
    print("Part du temps propre de theme_view, par bibliothèque (profileur actif) :")
    for label, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<55} {100 * seconds / whole:5.1f} %")


def run(database_url: str | None, top: int = 0) -> dict[str, dict[str, float]]:
    """Milliseconds per theme_view call (median over selections), per page and variant."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=database_url or f"sqlite:///{tmp}/store.sqlite3")
        repo = CachedRepository(open_data(settings).repository)
        themes = [t for t in repo.catalog.themes if t.menu]  # the pages of the main menu
        selections = _selections(repo)

        def view(theme: Theme, filters: Filters) -> ThemeView:
            indicators = repo.catalog.by_theme(theme.code)
            frame = theme_frame(repo, indicators, filters)  # the store's reads, cached for every variant
            return theme_view(theme, indicators, repo.catalog, frame, selection(filters, repo))

        pages = [(t.page_key, t) for t in themes]
        for _, theme in pages:
            for filters in selections:
                view(theme, filters)
        results: dict[str, dict[str, float]] = {}
        reference: dict[tuple[str, int], str] = {}
        for variant, (validate, template_first) in VARIANTS.items():
            with figure_init(validate, template_first):
                per_page: dict[str, float] = {}
                for key, theme in pages:
                    times = []
                    for index, filters in enumerate(selections):
                        started = time.thread_time()  # CPU: other processes do not count
                        shown = view(theme, filters)
                        # A view draws a figure when asked: every one here, as the page once did.
                        figures = [c.built.figure.to_plotly_json() for c in shown.charts]
                        times.append((time.thread_time() - started) * 1000)
                        text = json.dumps(figures, sort_keys=True, default=str)
                        if reference.setdefault((key, index), text) != text:
                            raise SystemExit(f"{variant} : figures différentes pour {key} — économie refusée")
                    per_page[key] = median(times)
                results[variant] = per_page
        if top:  # a separate pass under the profiler (it slows everything down: not timed)
            profiler = cProfile.Profile()
            profiler.enable()
            for _, theme in pages:
                for filters in selections:
                    view(theme, filters)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(top)
            print(out.getvalue())
            print_shares(stats)
        return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--top", type=int, default=0, help="montrer aussi le profil cProfile (N lignes)")
    args = parser.parse_args()
    results = run(args.database_url, args.top)
    pages = list(next(iter(results.values())))
    print("theme_view à froid, temps CPU médian par page (ms) — figures identiques dans les trois cas")
    print(f"  {'page':<18}" + "".join(f"{v:>42}" for v in results))
    for page in pages:
        print(f"  {page:<18}" + "".join(f"{results[v][page]:>42.1f}" for v in results))
    base = sum(results["tel quel"].values())
    for variant, per_page in results.items():
        total = sum(per_page.values())
        print(f"  total {variant:<40} {total:7.1f} ms ({100 * (1 - total / base):.0f} % de moins)")


if __name__ == "__main__":
    main()
