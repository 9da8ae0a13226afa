"""Vertical bars for counts, amounts and durations, one colour per caisse, the comparison year beside."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.figures import layout
from dashboard.figures.frame import (
    FigureText,
    bar_with_marks,
    build_unpublished,
    caisses_of,
    comparison_style,
    derived_notes,
    earlier_levels,
    finish,
    has_values,
    levels,
    records_by,
    single_unit,
    unit_suffix,
    year_of,
)
from dashboard.figures.layout import distinct_labels, escape

# A label under a bar may take a fourth line when many categories share the axis ("CPAM des / Alpes-de- /
# Haute- / Provence"), rather than end in "…".
_LABEL_LINES = 4


def build_volume_bars(
    frame: pd.DataFrame,
    *,
    indicators: Sequence[Indicator],
    text: FigureText,
    compared: pd.DataFrame | None = None,
    notes: Sequence[str] = (),
) -> go.Figure:
    """Bars of counts, amounts or durations for one year, several caisses side by side.

    With several indicators, each indicator is a group on the x axis and each caisse a colour (legend when
    there are several caisses). With one indicator, each caisse is a bar of its own colour. A missing value
    reads "non publié" at the baseline, never a zero bar; qualifiers show in the label ("plus de 1 000"), and
    so do a period other than the whole year ("28" over "2e semestre 2024") and a calculated value.

    Args:
        frame: Tidy observations (caisse, caisse_nom, annee, indicateur, valeur, qualificatif, nature…).
        indicators: The catalog records to show, in display order, all in the same unit.
        text: Title, subtitle and source.
        compared: Observations of the comparison year: its published whole-year levels are drawn as hatched
            bars beside the year's, named by their year in the legend.
        notes: Sentences shown under the plot (other periods published, the whole of a breakdown).

    Returns:
        The finished figure, or the "non publié" placeholder when nothing is published.

    Raises:
        ValueError: If the indicators are not all in the same unit.
    """
    unite = single_unit(indicators)
    codes = [ind.code for ind in indicators]
    data = levels(frame, codes)
    earlier = earlier_levels(compared, codes)
    if not has_values(data) and earlier.empty:
        return build_unpublished(text)
    both = pd.concat([data, earlier], ignore_index=True) if not earlier.empty else data
    caisses = caisses_of(both)
    colors = theme.series_colors(code for code, _ in caisses)
    rows = records_by(data, col.CAISSE, col.INDICATEUR)
    before = records_by(earlier, col.CAISSE, col.INDICATEUR)
    year, then = year_of(data), year_of(earlier)
    fig = go.Figure()
    traces: list[Any] = []

    if len(indicators) == 1:
        indicator = indicators[0]
        width = layout.category_width(len(caisses))
        categories = distinct_labels([name for _, name in caisses], width, _LABEL_LINES)
        caisse_colors = [colors[code] for code, _ in caisses]
        periods = (
            [(then, before, comparison_style(caisse_colors[0]) | {"color": caisse_colors})] if then else []
        )
        periods.append((year, rows, {"color": caisse_colors}))
        for label, records, marker in periods:
            traces += bar_with_marks(
                categories,
                [records.get((code, indicator.code)) for code, _ in caisses],
                [escape(name) for _, name in caisses],
                [escape(f"{indicator.libelle}, {label}" if then else indicator.libelle)] * len(caisses),
                unite,
                horizontal=False,
                name=escape(label) if then else escape(indicator.libelle),
                offsetgroup=label if then else None,
                marker=marker,
            )
        showlegend = bool(then)
    else:
        width = layout.category_width(len(indicators))
        categories = distinct_labels([ind.libelle for ind in indicators], width, _LABEL_LINES)
        for code, name in caisses:
            series = [(then, before, comparison_style(colors[code]))] if then else []
            series.append((year, rows, {"color": colors[code]}))
            for label, records, marker in series:
                named = f"{name} — {label}" if len(caisses) > 1 else label
                traces += bar_with_marks(
                    categories,
                    [records.get((code, ind.code)) for ind in indicators],
                    [escape(name)] * len(indicators),
                    [escape(f"{ind.libelle}, {label}" if then else ind.libelle) for ind in indicators],
                    unite,
                    horizontal=False,
                    name=escape(named if then else name),
                    offsetgroup=f"{code}-{label}" if then else code,
                    marker=marker,
                )
        showlegend = len(caisses) > 1 or bool(then)
    fig.add_traces([t for t in traces if t is not None])

    fig.update_layout(
        barmode="group",
        scattermode="group",
        showlegend=showlegend,
        legend={"traceorder": "normal"},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": categories, "tickangle": 0},
        yaxis={"rangemode": "tozero", "ticksuffix": unit_suffix(unite)},
    )
    finish(fig, text, notes=[*derived_notes(both), *notes])
    values = both[col.VALEUR]
    if float(values.min()) >= 0 and float(values.max()) > 0:
        # Room above each bar for its label, reckoned on the plot's height in the narrowest card.
        _, plot_height = layout.plot_size(fig)
        bars = [t for t in traces if t is not None and t.type == "bar"]
        labelled = [(float(v), str(label)) for t in bars for v, label in zip(t.y, t.text, strict=True)]
        fig.update_yaxes(range=[0, layout.room_for_labels(labelled, plot_height)])
    return fig
