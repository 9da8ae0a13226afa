"""Which charts a theme shows, derived from the catalog, and how each is drawn from a tidy frame.

A catalog row is enough to add a chart: a breakdown (``parent``) joins its parent's chart, and each
indicator marked ``essentiel`` gets one. No dash here: panels call ``build_chart`` from their callback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from dashboard import analysis
from dashboard.data import columns as col
from dashboard.data.catalog import Catalog, Indicator
from dashboard.figures import (
    FigureText,
    build_rate_bars,
    build_shares,
    build_volume_bars,
    describe,
)

ChartKind = Literal["part", "volume", "taux"]
MAX_CHARTS_WITHOUT_KEY_FIGURES = 6


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """One chart of a panel: its id, how it is drawn and the indicators it shows."""

    key: str
    kind: ChartKind
    title: str
    indicators: tuple[Indicator, ...]
    parent: Indicator | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """Every indicator code the chart reads (the parent of a share chart included)."""
        own = tuple(ind.code for ind in self.indicators)
        return (self.parent.code, *own) if self.parent is not None else own


def _specs_of(indicators: Sequence[Indicator], catalog: Catalog) -> list[tuple[ChartSpec, bool]]:
    """Every chart the indicators allow, with whether it holds a key figure."""
    specs: list[tuple[ChartSpec, bool]] = []
    codes = {ind.code for ind in indicators}
    for ind in indicators:
        children = [c for c in catalog.children(ind.code) if c.code in codes]
        parts = [c for c in children if c.graphique == "part"]
        if parts:
            key_figure = ind.essentiel or any(p.essentiel for p in parts)
            title = f"Répartition : {ind.libelle.lower()}" if ind.libelle else ind.code
            specs.append(
                (ChartSpec(f"parts-{ind.code}", "part", title, tuple(parts), parent=ind), key_figure)
            )
        if ind.parent is not None and ind.parent in codes:
            continue  # drawn with its parent
        if ind.graphique in ("volume", "duree"):
            volumes = [c for c in children if c.graphique in ("volume", "duree") and c.unite == ind.unite]
            group = (ind, *volumes)
            key_figure = any(i.essentiel for i in group)
            specs.append((ChartSpec(ind.code, "volume", ind.libelle, group), key_figure))
        elif ind.graphique == "taux":
            specs.append((ChartSpec(ind.code, "taux", ind.libelle, (ind,)), ind.essentiel))
    return specs


def all_specs(indicators: Sequence[Indicator], catalog: Catalog) -> list[ChartSpec]:
    """Every chart the indicators allow, whether or not it holds a key figure (views keep the published)."""
    return [spec for spec, _ in _specs_of(indicators, catalog)]


def chart_specs(indicators: Sequence[Indicator], catalog: Catalog) -> list[ChartSpec]:
    """The charts of a page: those holding a key figure, or the first few when a theme has none."""
    specs = _specs_of(indicators, catalog)
    keyed = [spec for spec, is_key in specs if is_key]
    return keyed or [spec for spec, _ in specs][:MAX_CHARTS_WITHOUT_KEY_FIGURES]


def complete(
    frame: pd.DataFrame, codes: Sequence[str], caisses: Sequence[str], year: int, names: dict[str, str]
) -> pd.DataFrame:
    """Whole-year levels of these indicators for the year, with a NaN row where a caisse did not publish.

    The chart then says « non publié » where a bar would be, never zero.
    """
    rows = analysis.levels(frame[frame[col.INDICATEUR].isin(list(codes))], [year])
    present = set(zip(rows[col.CAISSE], rows[col.INDICATEUR], strict=True))
    missing = [
        {
            col.CAISSE: caisse,
            col.CAISSE_NOM: names.get(caisse, caisse),
            col.ANNEE: year,
            col.INDICATEUR: code,
            col.VALEUR: float("nan"),
            col.QUALIFICATIF: "exact",
            col.NATURE: "niveau",
            col.PERIODE: "annee",
        }
        for caisse in caisses
        for code in codes
        if (caisse, code) not in present
    ]
    if not missing:
        return rows
    return (
        pd.concat([rows, pd.DataFrame(missing)], ignore_index=True)
        if not rows.empty
        else pd.DataFrame(missing)
    )


def sources_line(frame: pd.DataFrame) -> str:
    """The distinct sources of the plotted values, in order of appearance."""
    published = frame[frame[col.VALEUR].notna()] if not frame.empty else frame
    if published.empty or col.SOURCE not in published.columns:
        return "aucun chiffre publié pour cette sélection"
    return " ; ".join(dict.fromkeys(str(s) for s in published[col.SOURCE]))


@dataclass(frozen=True, slots=True)
class BuiltChart:
    """A chart ready for the page: the figure, its one-sentence summary, the rows it shows."""

    figure: go.Figure
    summary: str
    rows: pd.DataFrame
    points: int = 0  # how many published numbers the figure draws: one alone is a key figure, not a chart


def build_chart(
    spec: ChartSpec,
    frame: pd.DataFrame,
    *,
    caisses: Sequence[str],
    year: int,
    subtitle: str,
    names: dict[str, str],
    comparison: int | None = None,
) -> BuiltChart:
    """Draw one chart for the selected caisses and year (the frame may hold other years)."""
    data = complete(frame, spec.codes, caisses, year, names)
    plotted = data[data[col.INDICATEUR].isin([i.code for i in spec.indicators])]
    text = FigureText(spec.title, subtitle, sources_line(data))
    if spec.kind == "part":
        figure = build_shares(data, indicators=spec.indicators, text=text, parent=spec.parent)
    elif spec.kind == "taux":
        figure = build_rate_bars(plotted, indicators=spec.indicators, text=text)
    else:
        figure = build_volume_bars(plotted, indicators=spec.indicators, text=text)
    shown = spec.indicators if spec.parent is None else (spec.parent, *spec.indicators)
    summary = describe(data[data[col.VALEUR].notna()], indicators=shown)
    if summary == "Aucune donnée publiée.":
        summary = f"{spec.title}, {subtitle.replace(' — ', ', ')} : non publié."
    drawn = data if spec.kind == "part" else plotted
    points = int(drawn[col.VALEUR].notna().sum())
    return BuiltChart(figure, summary, data, points)
