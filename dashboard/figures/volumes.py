"""Vertical bars for counts, amounts and durations, one colour per caisse, the comparison year beside."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import plotly.graph_objects as go

from dashboard import theme
from dashboard.data import columns as col
from dashboard.figures import layout
from dashboard.figures.frame import (
    ChartData,
    annotate,
    bar_levels,
    bar_with_marks,
    build_unpublished,
    comparison_style,
    finish,
    is_published,
    new_figure,
    set_layout,
    unit_suffix,
    unpublished_marks,
)
from dashboard.figures.layout import distinct_labels, escape
from dashboard.formatting import NON_PUBLIE

# A label under a bar may take a fourth line when many categories share the axis ("CPAM des / Alpes-de- /
# Haute- / Provence"), rather than end in "…".
_LABEL_LINES = 4


def build_volume_bars(chart: ChartData) -> go.Figure:
    """Bars of counts, amounts or durations for one year, several caisses side by side.

    With several indicators, each indicator is a group on the x axis and each caisse a colour (legend when
    there are several caisses). With one indicator, each caisse is a bar of its own colour. A missing value
    reads "non publié" at the baseline, never a zero bar; qualifiers show in the label ("plus de 1 000"), and
    so do a period other than the whole year ("28" over "2e semestre 2024") and a calculated value. The
    comparison year's published whole-year levels are drawn as hatched bars beside the year's, named by
    their year in the legend.
    """
    levels = bar_levels(chart)
    if levels is None:
        return build_unpublished(chart.text)
    unite, both, caisses, colors, rows, before, year, then, notes = levels
    indicators = chart.indicators
    traces: list[Any] = []

    # Every bar's place: the "non publié" marks of all bars are placed once all are known (``_unpublished``).
    slots: list[_Slot] = []
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
            cells = [records.get((code, indicator.code)) for code, _ in caisses]
            group = label if then else None
            drawn, _ = bar_with_marks(
                categories,
                cells,
                [escape(name) for _, name in caisses],
                [escape(f"{indicator.libelle}, {label}" if then else indicator.libelle)] * len(caisses),
                unite,
                horizontal=False,
                name=escape(label) if then else escape(indicator.libelle),
                offsetgroup=group,
                marker=marker,
            )
            traces.append(drawn)
            slots += [
                _Slot(i, code, group, cell, label == then, escape(indicator.libelle))
                for i, ((code, _), cell) in enumerate(zip(caisses, cells, strict=True))
            ]
        showlegend = bool(then)
    else:
        width = layout.category_width(len(indicators))
        categories = distinct_labels([ind.libelle for ind in indicators], width, _LABEL_LINES)
        for code, name in caisses:
            # A caisse that published nothing in the comparison year gets no empty comparison bars.
            shown_then = then and any((code, ind.code) in before for ind in indicators)
            series = [(then, before, comparison_style(colors[code]))] if shown_then else []
            series.append((year, rows, {"color": colors[code]}))
            for label, records, marker in series:
                named = f"{name} — {label}" if len(caisses) > 1 else label
                cells = [records.get((code, ind.code)) for ind in indicators]
                group = f"{code}-{label}" if then else code
                drawn, _ = bar_with_marks(
                    categories,
                    cells,
                    [escape(name)] * len(indicators),
                    [escape(f"{ind.libelle}, {label}" if then else ind.libelle) for ind in indicators],
                    unite,
                    horizontal=False,
                    name=escape(named if then else name),
                    offsetgroup=group,
                    marker=marker,
                )
                traces.append(drawn)
                slots += [
                    _Slot(i, code, group, cell, label == then, escape(ind.libelle))
                    for i, (ind, cell) in enumerate(zip(indicators, cells, strict=True))
                ]
        showlegend = len(caisses) > 1 or bool(then)
    marks, centred = _unpublished(categories, slots, caisses)
    traces += marks
    # Given to the figure at once: ``add_traces`` validates every trace again (about 4 ms for a dozen).
    fig = new_figure(traces)

    set_layout(
        fig,
        barmode="group",
        scattermode="group" if len({slot.group for slot in slots}) > 1 else "overlay",
        showlegend=showlegend,
        legend={"traceorder": "normal"},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": categories, "tickangle": 0},
        yaxis={"rangemode": "tozero", "ticksuffix": unit_suffix(unite)},
    )
    for annotation in centred:
        annotate(fig, **annotation)
    finish(fig, chart.text, notes=notes)
    values = both[col.VALEUR]
    if float(values.min()) >= 0 and float(values.max()) > 0:
        # Room above each bar for its label, reckoned on the plot's height in the narrowest card.
        _, plot_height = layout.plot_size(fig)
        bars = [t for t in layout.traces_json(fig) if t["type"] == "bar"]
        labelled = [(float(v), str(label)) for t in bars for v, label in zip(t["y"], t["text"], strict=True)]
        set_layout(fig, yaxis={"range": [0, layout.room_for_labels(labelled, plot_height)]})
    return fig


class _Slot(NamedTuple):
    """The place of one bar: its category, caisse, series, row, whether of the comparison year, and what."""

    category: int
    caisse: str
    group: str | None
    record: dict[str, Any] | None
    earlier: bool
    what: str


def _unpublished(
    categories: Sequence[str], slots: Sequence[_Slot], caisses: Sequence[tuple[str, str]]
) -> tuple[list[go.Scatter], list[dict[str, Any]]]:
    """The words "non publié" where the year's bar would be, once in the middle of a category with no bar.

    Returns:
        The marks in the slot of a missing bar, and the annotations in the middle of empty categories.

    A missing comparison-year bar is simply absent (the legend says which year each bar is), so that
    marks never pile up in one narrow category.
    """
    names = dict(caisses)
    # With one series, a mark sits where the bar would; with several, an empty category gets one mark.
    grouped = len({slot.group for slot in slots}) > 1
    drawn = {slot.category for slot in slots if _is_drawn(slot.record) or not grouped}
    marks: list[go.Scatter] = []
    centred: set[int] = set()
    for slot in slots:
        if slot.earlier or _is_drawn(slot.record):
            continue
        if slot.category in drawn:
            marks.append(
                unpublished_marks(
                    [categories[slot.category]],
                    [[escape(names[slot.caisse]), slot.what, NON_PUBLIE]],
                    horizontal=False,
                    offsetgroup=slot.group,
                )
            )
        elif slot.category not in centred:
            centred.add(slot.category)
    return marks, [_centred_mark(categories[i]) for i in sorted(centred)]


def _centred_mark(category: str) -> dict[str, Any]:
    """The words "non publié" amid a category without any bar (an annotation, which takes no bar's slot)."""
    return {
        "name": "unpublished-category",
        "text": NON_PUBLIE,
        "xref": "x",
        "yref": "y",
        "x": category,
        "y": 0,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"color": theme.UNPUBLISHED, "size": theme.LABEL_SIZE, "style": "italic"},
    }


def _is_drawn(record: dict[str, Any] | None) -> bool:
    return record is not None and is_published(record.get(col.VALEUR))
