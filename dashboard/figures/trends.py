"""Lines with markers across years, one line per caisse; a missing year stays a gap."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting, theme
from dashboard.analysis import Record, records
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.figures import layout
from dashboard.figures.frame import (
    HOVER_TEMPLATE,
    FigureText,
    build_unpublished,
    chart_decimals,
    derived_notes_of,
    detail_label,
    finish,
    is_level,
    is_published,
    new_figure,
    number_or_nan,
    scatter,
    set_layout,
    unit_suffix,
    value_label,
    with_marks,
)
from dashboard.figures.layout import escape
from dashboard.figures.rates import rate_axis

# Values are written next to the points while that stays readable.
_MAX_LABELLED_LINES = 2
_MAX_LABELLED_YEARS = 10
# A label under the lower line would run into the year labels when its point is this close to the axis.
_LOW_SHARE = 0.15


def _missing_note(years: Sequence[str], who: str | None) -> str:
    note = f"Non publié : {', '.join(years)}"
    return f"{note} ({who})" if who else note


def text_positions(series: Sequence[Sequence[float]]) -> list[list[str]]:
    """Where each point's label goes: above the points, but below the lower of two lines in the same year.

    Two lines' labels then never sit on top of each other, unless the lower point is close to the axis.

    Args:
        series: The values of each line, NaN where a year is not published.

    Returns:
        One plotly ``textposition`` per point of each line.
    """
    positions = [["top center"] * len(values) for values in series]
    if len(series) != 2:
        return positions
    scale = max((abs(v) for values in series for v in values if not math.isnan(v)), default=0.0)
    for i, (first, second) in enumerate(zip(*series, strict=True)):
        if math.isnan(first) or math.isnan(second):
            continue
        lower = 1 if second <= first else 0
        if min(first, second) >= _LOW_SHARE * scale:
            positions[lower][i] = "bottom center"
    return positions


def _levels(rows: pd.DataFrame | Sequence[Record], code: str, years: set[int]) -> list[dict[str, Any]]:
    """The indicator's rows of these years in levels (a row without a nature is a level), as dicts.

    The rows are read once, in plain Python (a frame's as ``analysis.records`` gives them): a line chart's
    rows are a few dozen, and each pandas filter cost more than drawing them (about half of a cold trend's
    time, at full scale).
    """
    return [
        r
        for r in (records(rows) if isinstance(rows, pd.DataFrame) else rows)
        if is_level(r.get(col.NATURE)) and r[col.INDICATEUR] == code and int(r[col.ANNEE]) in years
    ]


def build_trend_lines(
    frame: pd.DataFrame | Sequence[Record], *, indicator: Indicator, years: Sequence[int], text: FigureText
) -> go.Figure:
    """One line per caisse across the requested years, on a categorical year axis ("2024", never "2 024").

    Every requested year is on the axis, in the order given. A year a caisse did not publish is a gap in its
    line (never interpolated, never zero) and is listed in a note "Non publié : 2022".

    Args:
        frame: Tidy observations, or their rows as dicts (``analysis.records``); levels (nature "niveau")
            of ``indicator`` are used.
        indicator: The catalog record of the indicator.
        years: The years to show, in order.
        text: Title, subtitle and source.

    Returns:
        The finished figure, or the "non publié" placeholder when no value is published in those years.
    """
    wanted = [int(y) for y in years]
    found = _levels(frame, indicator.code, set(wanted))
    values_found = [float(v) for r in found if is_published(v := r.get(col.VALEUR))]
    if not values_found:
        return build_unpublished(text)

    labels_x = [formatting.format_year(y) for y in wanted]
    caisses = sorted({str(r[col.CAISSE]): str(r.get(col.CAISSE_NOM, r[col.CAISSE])) for r in found}.items())
    colors = theme.series_colors(code for code, _ in caisses)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for record in found:  # the first row of a caisse and year, as ``records_by`` keeps it
        rows.setdefault((str(record[col.CAISSE]), str(record[col.ANNEE])), record)
    with_text = len(caisses) <= _MAX_LABELLED_LINES and len(wanted) <= _MAX_LABELLED_YEARS
    traces: list[go.Scatter] = []
    notes: list[str] = []
    records_of = {code: [rows.get((code, year)) for year in labels_x] for code, _ in caisses}
    series = [[number_or_nan(r) for r in records_of[code]] for code, _ in caisses]
    for (code, name), values, where in zip(caisses, series, text_positions(series), strict=True):
        records = records_of[code]
        labels = [value_label(r, indicator.unite, chart_decimals(indicator.unite)) for r in records]
        hovers = [detail_label(r, indicator.unite) for r in records]
        traces.append(
            scatter(
                x=labels_x,
                y=values,
                mode="lines+markers+text" if with_text else "lines+markers",
                connectgaps=False,
                name=escape(name),
                line={"color": colors[code], "width": 3},
                marker={"color": colors[code], "size": 9},
                text=[
                    "" if math.isnan(v) else with_marks(label, r, horizontal=True)
                    for v, label, r in zip(values, labels, records, strict=True)
                ],
                textposition=where,
                textfont={"color": theme.TEXT, "size": theme.LABEL_SIZE},
                cliponaxis=False,
                customdata=[
                    [escape(name), year, hover] for year, hover in zip(labels_x, hovers, strict=True)
                ],
                hovertemplate=HOVER_TEMPLATE,
            )
        )
        missing = [year for year, v in zip(labels_x, values, strict=True) if math.isnan(v)]
        if missing:
            notes.append(_missing_note(missing, name if len(caisses) > 1 else None))

    fig = new_figure(traces)
    yaxis: dict[str, Any]
    if indicator.unite == "%":
        yaxis = rate_axis(values_found)
    else:
        yaxis = {"rangemode": "tozero", "ticksuffix": unit_suffix(indicator.unite)}
    set_layout(
        fig,
        showlegend=len(caisses) > 1,
        legend={"traceorder": "normal"},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": labels_x, "tickangle": 0},
        yaxis=yaxis,
    )
    finish(fig, text, notes=[*notes, *derived_notes_of(found)])
    if min(values_found) >= 0 and max(values_found) > 0:
        # Room above the points for their labels, reckoned on the plot's height in the narrowest card; a
        # rate axis still ends at 100 % at least, its ticks at 0, 20… 100 %.
        _, plot_height = layout.plot_size(fig)
        labelled = [
            (float(v), str(label) if with_text else "")
            for t in layout.traces_json(fig)
            for v, label in zip(t["y"], t["text"], strict=True)
        ]
        high = layout.room_for_labels(labelled, plot_height)
        set_layout(fig, yaxis={"range": [0, max(high, 100.0) if indicator.unite == "%" else high]})
    return fig
