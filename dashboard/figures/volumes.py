"""Vertical bars for counts, amounts and durations, one colour per caisse."""

from __future__ import annotations

from collections.abc import Sequence

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
    finish,
    has_values,
    levels,
    records_by,
    single_unit,
    unit_suffix,
)
from dashboard.figures.layout import escape, wrap_label

# A label under a bar may take a fourth line when many categories share the axis ("CPAM des / Alpes-de- /
# Haute- / Provence"), rather than end in "…".
_LABEL_LINES = 4


def build_volume_bars(frame: pd.DataFrame, *, indicators: Sequence[Indicator], text: FigureText) -> go.Figure:
    """Bars of counts, amounts or durations for one year, several caisses side by side.

    With several indicators, each indicator is a group on the x axis and each caisse a colour (legend when
    there are several caisses). With one indicator, each caisse is a bar of its own colour. A missing value
    reads "non publié" at the baseline, never a zero bar; qualifiers show in the label ("plus de 1 000").

    Args:
        frame: Tidy observations (caisse, caisse_nom, annee, indicateur, valeur, qualificatif, nature…).
        indicators: The catalog records to show, in display order, all in the same unit.
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
    fig = go.Figure()

    if len(indicators) == 1:
        indicator = indicators[0]
        width = layout.category_width(len(caisses))
        categories = [wrap_label(name, width, _LABEL_LINES) for _, name in caisses]
        bar, marks = bar_with_marks(
            categories,
            [rows.get((code, indicator.code)) for code, _ in caisses],
            [escape(name) for _, name in caisses],
            [escape(indicator.libelle)] * len(caisses),
            unite,
            horizontal=False,
            name=escape(indicator.libelle),
            marker={"color": [colors[code] for code, _ in caisses]},
        )
        traces = [bar, marks]
        showlegend = False
    else:
        width = layout.category_width(len(indicators))
        categories = [wrap_label(ind.libelle, width, _LABEL_LINES) for ind in indicators]
        traces = []
        for code, name in caisses:
            bar, marks = bar_with_marks(
                categories,
                [rows.get((code, ind.code)) for ind in indicators],
                [escape(name)] * len(indicators),
                [escape(ind.libelle) for ind in indicators],
                unite,
                horizontal=False,
                name=escape(name),
                offsetgroup=code,
                marker={"color": colors[code]},
            )
            traces += [bar, marks]
        showlegend = len(caisses) > 1
    fig.add_traces([t for t in traces if t is not None])

    fig.update_layout(
        barmode="group",
        showlegend=showlegend,
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": categories, "tickangle": 0},
        yaxis={"rangemode": "tozero", "ticksuffix": unit_suffix(unite)},
    )
    finish(fig, text)
    if float(data[col.VALEUR].min()) >= 0 and float(data[col.VALEUR].max()) > 0:
        # Room above each bar for its label, reckoned on the plot's height in the narrowest card.
        _, plot_height = layout.plot_size(fig)
        bars = [t for t in traces if t is not None and t.type == "bar"]
        labelled = [(float(v), str(label)) for t in bars for v, label in zip(t.y, t.text, strict=True)]
        fig.update_yaxes(range=[0, layout.room_for_labels(labelled, plot_height)])
    return fig
