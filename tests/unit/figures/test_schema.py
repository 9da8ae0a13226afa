"""Every builder's output is valid against plotly's schema.

The builders skip plotly's per-property validation (``figures.frame.new_figure``): it cost about half of a
cold figure. This test validates instead, by building a validating ``go.Figure`` from each figure's JSON,
for every chart the catalog allows on real caisse-years of the embedded data, the trends, rankings and
the « non publié » placeholder included. A property plotly does not know, or a value of the wrong type,
raises here rather than reaching a browser. Each figure is also served as ``figure_json`` gives it (its own
dicts, not ``to_plotly_json``'s copy): both must serialise alike, which a numpy array would break.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from dashboard import analysis, theme
from dashboard.charts import ChartSpec, all_specs, build_chart
from dashboard.data import columns as col
from dashboard.data.catalog import Catalog
from dashboard.figures import BUILDERS, FigureText, build_ranking_bars, build_unpublished, figure_json

# Real caisse-years of data/: one caisse with and without a comparison year, several caisses at once, a
# caisse with a long series (trends), sparse years.
SELECTIONS = (
    (("cpam-21",), 2024, 2023),
    (("cpam-21",), 2023, None),
    (("cpam-85",), 2020, 2019),
    (("cpam-75",), 2021, 2020),
    (("cpam-25",), 2022, None),
    (("cpam-62-artois", "cpam-67"), 2022, 2021),
    (("cpam-21", "cpam-17"), 2024, 2023),
)
TEXT = FigureText("Titre", "Sous-titre", "Source : essai")


def _validated(figure: go.Figure) -> dict[str, Any]:
    """The figure's JSON, rebuilt by a validating ``go.Figure`` (ValueError on any invalid property)."""
    as_json = figure.to_plotly_json()
    go.Figure(as_json)
    assert to_json_plotly(figure_json(figure)) == to_json_plotly(as_json)
    return as_json


def _charts(frame: pd.DataFrame, catalog: Catalog) -> Iterator[tuple[str, ChartSpec, go.Figure]]:
    """Every chart the catalog allows that a selection published at least one number of."""
    specs = [s for theme_ in catalog.themes for s in all_specs(catalog.by_theme(theme_.code), catalog)]
    for caisses, year, comparison in SELECTIONS:
        rows = frame[frame[col.CAISSE].isin(caisses)]
        published = set(rows.loc[rows[col.ANNEE].isin([year, comparison]), col.INDICATEUR])
        names = dict(zip(rows[col.CAISSE], rows[col.CAISSE_NOM], strict=True))
        for spec in specs:
            if not published & set(spec.codes):
                continue
            built = build_chart(
                spec,
                rows,
                caisses=caisses,
                year=year,
                comparison=comparison,
                subtitle="Sous-titre",
                names=names,
            )
            yield f"{'+'.join(caisses)} {year}", spec, built.figure


def test_every_chart_of_the_catalog_is_valid_plotly_on_real_caisse_years(embedded) -> None:
    frame, catalog = embedded
    seen_kinds: set[str] = set()
    trends = 0
    count = 0
    for where, spec, figure in _charts(frame, catalog):
        as_json = _validated(figure)
        assert as_json["layout"]["template"] == theme.TEMPLATE.to_plotly_json(), f"{where} {spec.key}"
        seen_kinds.add(spec.kind)
        trends += any(str(trace.get("mode", "")).startswith("lines") for trace in as_json["data"])
        count += 1
    assert count >= 40
    # Each builder of the dispatch and the time series were met, so each was validated.
    assert seen_kinds == set(BUILDERS)
    assert trends > 0


def test_ranking_and_placeholder_are_valid_plotly(embedded) -> None:
    frame, catalog = embedded
    levels = analysis.whole_year_levels(frame)
    # The indicator-years most caisses published: a ranking of several bars.
    sizes = levels.groupby([col.INDICATEUR, col.ANNEE]).size().sort_values(ascending=False)
    for code, year in sizes.index[:3]:
        rows = levels[(levels[col.INDICATEUR] == code) & (levels[col.ANNEE] == year)]
        assert len(rows) >= 2, code
        ranking = build_ranking_bars(
            rows, indicator=catalog.get(code), text=TEXT, highlight=[str(rows[col.CAISSE].iloc[0])]
        )
        _validated(ranking)
    _validated(build_unpublished(TEXT))
