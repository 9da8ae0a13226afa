"""Horizontal bars of rates on a fixed 0–100 % axis, one colour per caisse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.figures.frame import (
    FigureText,
    bar_with_marks,
    build_unpublished,
    caisses_of,
    finish,
    has_values,
    levels,
    records_by,
    single_unit,
    unit_suffix,
)
from dashboard.figures.layout import escape, wrap_label

# Wider than vertical-bar labels: the y axis has room to the left.
_RATE_LABEL_WIDTH = 30


def rate_axis(values: pd.Series) -> dict[str, Any]:
    """A 0–100 axis with a " %" suffix, widened only if a published value falls outside it."""
    low = min(0.0, float(values.min())) if values.notna().any() else 0.0
    high = max(100.0, float(values.max())) if values.notna().any() else 100.0
    return {
        "range": [low, high],
        "ticksuffix": unit_suffix("%"),
        "dtick": 20,
        "fixedrange": False,
        "zeroline": True,
    }


def build_rate_bars(frame: pd.DataFrame, *, indicators: Sequence[Indicator], text: FigureText) -> go.Figure:
    """Horizontal bars of rates (in %) for one year on a fixed 0–100 axis, labelled "77,36 %".

    With several indicators, each indicator is a group on the y axis and each caisse a colour (legend when
    there are several caisses). With one indicator, each caisse is a bar of its own colour. A missing value
    reads "non publié" at the start of the axis.

    Args:
        frame: Tidy observations (caisse, caisse_nom, annee, indicateur, valeur, qualificatif, nature…).
        indicators: The catalog records to show, in display order, all in %.
        text: Title, subtitle and source.

    Returns:
        The finished figure, or the "non publié" placeholder when nothing is published.

    Raises:
        ValueError: If the indicators are not all in the same unit.
    """
    unite = single_unit(indicators)
    data = levels(frame, [ind.code for ind in indicators])
    if not has_values(data):
        return build_unpublished(text)
    caisses = caisses_of(data)
    colors = theme.series_colors(code for code, _ in caisses)
    rows = records_by(data, col.CAISSE, col.INDICATEUR)
    traces: list[go.Bar | go.Scatter | None] = []

    if len(indicators) == 1:
        indicator = indicators[0]
        categories = [wrap_label(name, _RATE_LABEL_WIDTH) for _, name in caisses]
        traces += bar_with_marks(
            categories,
            [rows.get((code, indicator.code)) for code, _ in caisses],
            [escape(name) for _, name in caisses],
            [escape(indicator.libelle)] * len(caisses),
            unite,
            horizontal=True,
            name=escape(indicator.libelle),
            marker={"color": [colors[code] for code, _ in caisses]},
        )
        showlegend = False
    else:
        categories = [wrap_label(ind.libelle, _RATE_LABEL_WIDTH) for ind in indicators]
        for code, name in caisses:
            traces += bar_with_marks(
                categories,
                [rows.get((code, ind.code)) for ind in indicators],
                [escape(name)] * len(indicators),
                [escape(ind.libelle) for ind in indicators],
                unite,
                horizontal=True,
                name=escape(name),
                offsetgroup=code,
                marker={"color": colors[code]},
            )
        showlegend = len(caisses) > 1

    fig = go.Figure([t for t in traces if t is not None])
    fig.update_layout(
        barmode="group",
        showlegend=showlegend,
        # Reading order: the first indicator (or caisse) at the top, the first caisse first in each group.
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": categories,
            "autorange": "reversed",
        },
        xaxis=rate_axis(data[col.VALEUR]),
        legend={"traceorder": "normal"},
    )
    return finish(fig, text)
