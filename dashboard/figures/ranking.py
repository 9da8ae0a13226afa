"""One indicator across caisses: horizontal bars sorted best first, the unpublished listed last."""

from __future__ import annotations

import math
from collections.abc import Collection
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
    drawn_levels,
    finish,
    has_values,
    new_figure,
    number_or_nan,
    records_by,
    set_layout,
    unit_suffix,
)
from dashboard.figures.layout import escape, wrap_label
from dashboard.figures.rates import rate_axis

# Every caisse name on one line (the longest, "CPAM des Alpes-de-Haute-Provence", has 32 characters): a
# ranking has many bars, and a name on two lines would need twice the height.
_RANKING_LABEL_WIDTH = 34
_MIN_VALUE_FONT = 11


def build_ranking_bars(
    frame: pd.DataFrame, *, indicator: Indicator, text: FigureText, highlight: Collection[str] = ()
) -> go.Figure:
    """Horizontal bars of one indicator across caisses, sorted by value, the best at the top.

    "Best" follows the catalog's ``sens``: the highest first for "hausse" and "neutre", the lowest first for
    "baisse" (a shorter delay is better). Caisses that did not publish come last, reading "non publié";
    ties are ordered by name.

    Args:
        frame: Tidy observations of the indicator for one year.
        indicator: The catalog record of the indicator.
        text: Title, subtitle and source.
        highlight: Caisse codes drawn in the primary colour, the others in grey; all primary when empty.

    Returns:
        The finished figure, or the "non publié" placeholder when no caisse published.
    """
    data = drawn_levels(frame, [indicator.code])
    if not has_values(data):
        return build_unpublished(text)
    rows = records_by(data, col.CAISSE, col.INDICATEUR)
    caisses = caisses_of(data)
    values = {code: number_or_nan(rows.get((code, indicator.code))) for code, _ in caisses}
    sign = 1 if indicator.sens == "baisse" else -1
    published = sorted(
        ((code, name) for code, name in caisses if not math.isnan(values[code])),
        key=lambda pair: (sign * values[pair[0]], pair[1]),
    )
    unpublished = sorted(
        ((code, name) for code, name in caisses if math.isnan(values[code])), key=lambda p: p[1]
    )
    ordered = published + unpublished

    categories = [wrap_label(name, _RANKING_LABEL_WIDTH) for _, name in ordered]
    colors = [theme.PRIMARY if not highlight or code in highlight else theme.DIMMED for code, _ in ordered]
    bar, marks = bar_with_marks(
        categories,
        [rows.get((code, indicator.code)) for code, _ in ordered],
        [escape(name) for _, name in ordered],
        [escape(indicator.libelle)] * len(ordered),
        indicator.unite,
        horizontal=True,
        name=escape(indicator.libelle),
        marker={"color": colors},
    )
    fig = new_figure([t for t in (bar, marks) if t is not None])

    xaxis: dict[str, Any]
    if indicator.unite == "%":
        xaxis = rate_axis(data[col.VALEUR])
    else:
        xaxis = {"rangemode": "tozero", "ticksuffix": unit_suffix(indicator.unite)}
        top, low = float(data[col.VALEUR].max()), float(data[col.VALEUR].min())
        if low >= 0 and top > 0:
            xaxis["range"] = [0, top * 1.05]  # the labels after the bars go in the right margin (finish)
    set_layout(
        fig,
        showlegend=False,
        xaxis=xaxis,
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": categories,
            "autorange": "reversed",
        },
    )
    finish(fig, text)
    _, plot_height = layout.plot_size(fig)
    if plot_height / len(ordered) < theme.AXIS_SIZE:
        # So many caisses that a row is thinner than the text in the narrowest card: there, the values after
        # the bars are hidden (the hover and the data table give them) rather than written over each other;
        # a slide has room for them all.
        fig.update_traces(constraintext="outside", selector={"type": "bar"})
        set_layout(fig, uniformtext={"minsize": _MIN_VALUE_FONT, "mode": "hide"})
    return fig
