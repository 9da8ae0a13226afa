"""Horizontal bars of rates on a fixed 0–100 % axis, one colour per caisse."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard import theme
from dashboard.data import columns as col
from dashboard.figures.frame import (
    HOVER_TEMPLATE,
    ChartData,
    bar_levels,
    bar_with_marks,
    build_unpublished,
    detail_label,
    finish,
    is_published,
    new_figure,
    number_or_nan,
    scatter,
    set_layout,
    unit_suffix,
)
from dashboard.figures.layout import distinct_labels, escape

# Wider than vertical-bar labels: the y axis has room to the left.
_RATE_LABEL_WIDTH = 30


def rate_axis(values: Iterable[object]) -> dict[str, Any]:
    """A 0–100 axis with a " %" suffix, widened only if a published value falls outside it."""
    published = [float(v) for v in values if is_published(v)]
    return {
        "range": [min(0.0, *published), max(100.0, *published)],
        "ticksuffix": unit_suffix("%"),
        "dtick": 20,
        "fixedrange": False,
        "zeroline": True,
    }


def _comparison_markers(
    categories: Sequence[str],
    records: Sequence[dict[str, Any] | None],
    who: Sequence[str],
    what: Sequence[str],
    *,
    year: str,
    name: str,
    color: str | Sequence[str],
    offsetgroup: str | None,
) -> go.Scatter | None:
    """The comparison year's rates: a marker on each bar's row, at the earlier value, named by its year."""
    kept = [i for i, r in enumerate(records) if r is not None]
    if not kept:
        return None
    colors = [color[i] for i in kept] if not isinstance(color, str) else color
    return scatter(
        x=[number_or_nan(records[i]) for i in kept],
        y=[categories[i] for i in kept],
        mode="markers",
        marker={
            "symbol": "diamond",
            "size": 13,
            "color": colors,
            "line": {"color": theme.TEXT, "width": 1.5},
        },
        name=escape(name),
        offsetgroup=offsetgroup,
        customdata=[[who[i], f"{what[i]}, {escape(year)}", detail_label(records[i], "%")] for i in kept],
        hovertemplate=HOVER_TEMPLATE,
        cliponaxis=False,
    )


def build_rate_bars(chart: ChartData) -> go.Figure:
    """Horizontal bars of rates (in %) for one year on a fixed 0–100 axis, labelled "77,36 %".

    With several indicators, each indicator is a group on the y axis and each caisse a colour (legend when
    there are several caisses). With one indicator, each caisse is a bar of its own colour. A missing value
    reads "non publié" at the start of the axis. The comparison year's published whole-year rates are
    drawn as markers on the bars, named by their year in the legend.
    """
    levels = bar_levels(chart)
    if levels is None:
        return build_unpublished(chart.text)
    unite, both, caisses, colors, rows, before, year, then, notes = levels
    indicators = chart.indicators
    traces: list[go.Bar | go.Scatter | None] = []

    if len(indicators) == 1:
        indicator = indicators[0]
        categories = distinct_labels([name for _, name in caisses], _RATE_LABEL_WIDTH)
        who = [escape(name) for _, name in caisses]
        what = [escape(indicator.libelle)] * len(caisses)
        traces += bar_with_marks(
            categories,
            [rows.get((code, indicator.code)) for code, _ in caisses],
            who,
            what,
            unite,
            horizontal=True,
            name=escape(year) if then else escape(indicator.libelle),
            marker={"color": [colors[code] for code, _ in caisses]},
        )
        if then:
            traces.append(
                _comparison_markers(
                    categories,
                    [before.get((code, indicator.code)) for code, _ in caisses],
                    who,
                    what,
                    year=then,
                    name=then,
                    color=[colors[code] for code, _ in caisses],
                    offsetgroup=None,
                )
            )
        showlegend = bool(then)
    else:
        categories = distinct_labels([ind.libelle for ind in indicators], _RATE_LABEL_WIDTH)
        for code, name in caisses:
            who = [escape(name)] * len(indicators)
            what = [escape(ind.libelle) for ind in indicators]
            traces += bar_with_marks(
                categories,
                [rows.get((code, ind.code)) for ind in indicators],
                who,
                what,
                unite,
                horizontal=True,
                name=escape(f"{name} — {year}" if then and len(caisses) > 1 else (year if then else name)),
                offsetgroup=code,
                marker={"color": colors[code]},
            )
            if then:
                traces.append(
                    _comparison_markers(
                        categories,
                        [before.get((code, ind.code)) for ind in indicators],
                        who,
                        what,
                        year=then,
                        name=f"{name} — {then}" if len(caisses) > 1 else then,
                        color=colors[code],
                        offsetgroup=code,
                    )
                )
        showlegend = len(caisses) > 1 or bool(then)

    fig = new_figure([t for t in traces if t is not None])
    set_layout(
        fig,
        barmode="group",
        scattermode="group",
        showlegend=showlegend,
        # Reading order: the first indicator (or caisse) at the top, the first caisse first in each group.
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": categories,
            "autorange": "reversed",
        },
        xaxis=rate_axis(both[col.VALEUR]),
        legend={"traceorder": "normal"},
    )
    return finish(fig, chart.text, notes=notes)
