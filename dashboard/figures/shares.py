"""Parts of a whole: a donut for one caisse, 100 % horizontal stacks for several."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting, theme
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.figures.frame import (
    HOVER_TEMPLATE,
    ChartData,
    FigureText,
    bar,
    build_unpublished,
    caisses_of,
    drawn_levels,
    finish,
    new_figure,
    number_or_nan,
    pie,
    qualifier_of,
    records_by,
    set_layout,
    stack_qualifier,
    unpublished_marks,
    value_label,
)
from dashboard.figures.layout import escape, wrap, wrap_label
from dashboard.figures.rates import rate_axis

# Published parts may not add up to exactly 100 % (rounding); beyond this gap (in points) a note says so.
SUM_TOLERANCE = 1.0
# A slice thinner than this (in %) carries no label, which would not fit in it at 620 px: its share is in
# its legend entry ("Téléphone — 3 %") and in the hover.
MIN_LABELLED_SHARE = 5.0
# What is left of the whole when the published parts do not cover it: drawn, so that one part of 82 % is
# never a full ring.
UNSPLIT_WORD = "Non ventilé"
UNSPLIT_COLOR = theme.DIMMED
# The word under the whole written in the donut's hole.
TOTAL_WORD = "total"

_STACK_LABEL_WIDTH = 30
_STACK_LEGEND_WIDTH = 42  # characters per line of a stack's legend entry (3 lines at most)
_DONUT_LEGEND_WIDTH = 30  # characters per line of a donut's legend entry, beside the donut
_DONUT_LEGEND_LINES = 3
# A segment too small for its label at 11 px shows none (hover, legend and the data table still give it)
# rather than a label shrunk to illegibility or spilling over its neighbours.
_SEGMENT_TEXT = {"minsize": 11, "mode": "hide"}
# The donut takes the left half of the plot, its legend the right half, beside it.
_DONUT_DOMAIN = (0.0, 0.48)
_DONUT_LEGEND_X = 0.52
_DONUT_HOLE = 0.55
# The whole in the hole: plotly shrinks this text to fit the hole in a small card, never enlarges it.
_HOLE_FONT = 26
_HOLE_SMALL_FONT = 17


@dataclass(frozen=True, slots=True)
class _Share:
    """One part of one caisse: its share in % (NaN if unpublished) and its French label."""

    part: Indicator
    share: float
    label: str
    detail: str


def _share_decimals(share: float) -> int:
    """Whole percents, except below 1 % where "0 %" would hide a real part."""
    return 0 if abs(share) >= 1 else 1


def _shares_of(
    code: str,
    rows: dict[tuple[str, ...], dict[str, Any]],
    parts: Sequence[Indicator],
    parent: Indicator | None,
) -> list[_Share]:
    """The shares of one caisse: a part in % is its own share; a count is divided by the parent's value."""
    parent_value = number_or_nan(rows.get((code, parent.code))) if parent is not None else math.nan
    shares = []
    for part in parts:
        record = rows.get((code, part.code))
        value = number_or_nan(record)
        share = value if part.unite == "%" else _ratio(value, parent_value)
        qualifier = qualifier_of(record) if record is not None else "exact"
        label = (
            formatting.NON_PUBLIE
            if math.isnan(share)
            else formatting.format_value(share, "%", qualifier, _share_decimals(share))
        )
        detail = label if part.unite == "%" else f"{value_label(record, part.unite)} ({label})"
        shares.append(_Share(part, share, label, detail))
    return shares


def _ratio(value: float, whole: float) -> float:
    """A count as a % of its whole; NaN when the whole is missing or zero."""
    return value / whole * 100 if whole > 0 else math.nan


def _sum_note(shares: Sequence[_Share], who: str | None) -> str | None:
    """The note "Les parts publiées totalisent N %" when published parts are more than 1 point from 100."""
    published = [s.share for s in shares if not math.isnan(s.share)]
    if not published:
        return None
    total = sum(published)
    if abs(total - 100) <= SUM_TOLERANCE:
        return None
    note = f"Les parts publiées totalisent {formatting.format_value(round(total, 1), '%')}"
    return f"{note} ({who})" if who else note


def _missing_note(shares: Sequence[_Share], who: str | None) -> str | None:
    missing = [s.part.libelle for s in shares if math.isnan(s.share)]
    if not missing or len(missing) == len(shares):
        return None
    note = f"Non publié : {', '.join(missing)}"
    return f"{note} ({who})" if who else note


def _unsplit(shares: Sequence[_Share]) -> float:
    """The share of the whole that no published part covers (NaN when there is none, or no part)."""
    published = [s.share for s in shares if not math.isnan(s.share)]
    if not published:
        return math.nan
    rest = 100 - sum(published)
    return rest if rest > SUM_TOLERANCE else math.nan


def _part_colors(parts: Sequence[Indicator]) -> dict[str, str]:
    return {part.code: theme.PALETTE[i % len(theme.PALETTE)] for i, part in enumerate(parts)}


def _data(frame: pd.DataFrame, parts: Sequence[Indicator], parent: Indicator | None) -> pd.DataFrame:
    codes = [p.code for p in parts] + ([parent.code] if parent is not None else [])
    return drawn_levels(frame, codes)


def build_share_donut(
    frame: pd.DataFrame,
    *,
    parent: Indicator | None,
    parts: Sequence[Indicator],
    text: FigureText,
    notes: Sequence[str] = (),
) -> go.Figure:
    """A donut of the parts of a whole for one caisse, labelled "95 %", the whole written in its centre.

    Parts in % are shown as published; parts that are counts are divided by the parent's value. With
    several caisses in the frame the 100 % stacks are drawn instead. When the published parts do not add up
    to 100 ± 1 %, a note says "Les parts publiées totalisent N %"; unpublished parts are listed in a note.

    Args:
        frame: Tidy observations of the parts (and the parent) for one year.
        parent: The whole (e.g. the demandes), or None if the parts are published as % only.
        parts: The breakdown indicators, in display order.
        text: Title, subtitle and source.
        notes: Sentences shown under the plot, after the builder's own.

    Returns:
        The finished figure, or the "non publié" placeholder when no part is published.
    """
    data = _data(frame, parts, parent)
    caisses = caisses_of(data)
    if len(caisses) > 1:
        return build_share_stack(frame, parts=parts, text=text, parent=parent, notes=notes)
    if not caisses:
        return build_unpublished(text)
    code, name = caisses[0]
    rows = records_by(data, col.CAISSE, col.INDICATEUR)
    shares = _shares_of(code, rows, parts, parent)
    shown = [s for s in shares if not math.isnan(s.share)]
    if not shown:
        return build_unpublished(text)

    colors = _part_colors(parts)
    slice_colors = [colors[s.part.code] for s in shown]
    rest = _unsplit(shares)
    if not math.isnan(rest):
        label = formatting.format_value(rest, "%", decimals=_share_decimals(rest))
        unsplit = replace(parts[0], code="_non_ventile", libelle=UNSPLIT_WORD, unite="%")
        shown = [*shown, _Share(unsplit, rest, label, label)]
        slice_colors.append(UNSPLIT_COLOR)
    fig = new_figure(
        [
            pie(
                labels=[_legend_entry(s) for s in shown],
                values=[max(s.share, 0.0) for s in shown],
                text=[s.label if s.share >= MIN_LABELLED_SHARE else "" for s in shown],
                textinfo="text",
                textposition="inside",
                insidetextorientation="horizontal",
                insidetextfont={"color": [theme.text_color_on(c) for c in slice_colors], "size": 15},
                marker={"colors": slice_colors, "line": {"color": theme.BACKGROUND, "width": 2}},
                hole=_DONUT_HOLE,
                domain={"x": list(_DONUT_DOMAIN), "y": [0, 1]},
                title=_hole_title(rows.get((code, parent.code)), parent) if parent is not None else None,
                sort=False,
                direction="clockwise",
                customdata=[[escape(name), escape(s.part.libelle), s.detail] for s in shown],
                hovertemplate=HOVER_TEMPLATE,
                name=escape(name),
            )
        ]
    )
    set_layout(
        fig,
        showlegend=True,
        # Beside the donut, not above it: a 16:9 card has width to spare, and height for a large donut.
        legend={
            "orientation": "v",
            "traceorder": "normal",
            "xref": "paper",
            "x": _DONUT_LEGEND_X,
            "xanchor": "left",
            "yref": "paper",
            "y": 0.5,
            "yanchor": "middle",
        },
    )
    own = [n for n in (_sum_note(shares, None), _missing_note(shares, None)) if n]
    return finish(fig, text, notes=[*own, *notes])


def _legend_entry(share: _Share) -> str:
    """A donut's legend entry, wrapped beside the donut: "Part des demandes via le compte ameli — 95 %"."""
    value = f"{formatting.NBSP}—{formatting.NBSP}{share.label}"  # kept on the line of the last word
    lines = wrap(f"{share.part.libelle}{value}", _DONUT_LEGEND_WIDTH, max_lines=None)
    if len(lines) > _DONUT_LEGEND_LINES:
        lines = [*wrap(share.part.libelle, _DONUT_LEGEND_WIDTH, _DONUT_LEGEND_LINES - 1), value.strip()]
    return "<br>".join(escape(line) for line in lines)


def _hole_title(whole: dict[str, Any] | None, parent: Indicator) -> dict[str, Any]:
    """The whole written in the donut's hole: its value in bold, then "total" (the figure's title names it).

    A qualifier goes on a line of its own above the number ("environ", "<b>2 450</b>", "total"); an
    unpublished whole reads "total", "<b>non publié</b>".
    """
    small = f'<span style="font-size:{_HOLE_SMALL_FONT}px">'
    if math.isnan(number_or_nan(whole)):
        lines = [
            f"{small}{TOTAL_WORD}</span>",
            f'<b><span style="color:{theme.UNPUBLISHED}">{formatting.NON_PUBLIE}</span></b>',
        ]
    else:
        *qualifier, number = (
            escape(line) for line in stack_qualifier(value_label(whole, parent.unite), whole).split("<br>")
        )
        lines = [
            *(f"{small}{q}</span>" for q in qualifier),
            f"<b>{number}</b>",
            f"{small}{TOTAL_WORD}</span>",
        ]
    return {
        "text": "<br>".join(lines),
        "position": "middle center",
        "font": {"size": _HOLE_FONT, "color": theme.TEXT},
    }


def build_share_stack(
    frame: pd.DataFrame,
    *,
    parts: Sequence[Indicator],
    text: FigureText,
    parent: Indicator | None = None,
    notes: Sequence[str] = (),
) -> go.Figure:
    """One 100 % horizontal bar per caisse, split into the parts of a whole, segments labelled "95 %".

    A caisse that published no part reads "non publié". When a caisse's published parts do not add up to
    100 ± 1 %, a note says "Les parts publiées totalisent N % (caisse)".

    Args:
        frame: Tidy observations of the parts (and the parent) for one year.
        parts: The breakdown indicators, in display order (one colour each, in the legend).
        text: Title, subtitle and source.
        parent: The whole, needed only when the parts are counts rather than %.
        notes: Sentences shown under the plot, after the builder's own.

    Returns:
        The finished figure, or the "non publié" placeholder when no part is published.
    """
    data = _data(frame, parts, parent)
    caisses = caisses_of(data)
    rows = records_by(data, col.CAISSE, col.INDICATEUR)
    by_caisse = {code: _shares_of(code, rows, parts, parent) for code, _ in caisses}
    if not any(not math.isnan(s.share) for shares in by_caisse.values() for s in shares):
        return build_unpublished(text)

    categories = [wrap_label(name, _STACK_LABEL_WIDTH) for _, name in caisses]
    colors = _part_colors(parts)
    traces: list[go.Bar | go.Scatter] = []
    for i, part in enumerate(parts):
        cells = [by_caisse[code][i] for code, _ in caisses]
        traces.append(
            bar(
                x=[c.share for c in cells],
                y=categories,
                orientation="h",
                name=wrap_label(part.libelle, _STACK_LEGEND_WIDTH),
                marker={"color": colors[part.code], "line": {"color": theme.BACKGROUND, "width": 1}},
                text=["" if math.isnan(c.share) else c.label for c in cells],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": theme.text_color_on(colors[part.code]), "size": 14},
                customdata=[
                    [escape(name), escape(part.libelle), c.detail]
                    for (_, name), c in zip(caisses, cells, strict=True)
                ],
                hovertemplate=HOVER_TEMPLATE,
            )
        )
    rests = [_unsplit(by_caisse[code]) for code, _ in caisses]
    if any(not math.isnan(r) for r in rests):
        labels = [
            "" if math.isnan(r) else formatting.format_value(r, "%", decimals=_share_decimals(r))
            for r in rests
        ]
        traces.append(
            bar(
                x=rests,
                y=categories,
                orientation="h",
                name=UNSPLIT_WORD,
                marker={"color": UNSPLIT_COLOR, "line": {"color": theme.BACKGROUND, "width": 1}},
                text=labels,
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": theme.text_color_on(UNSPLIT_COLOR), "size": 14},
                customdata=[
                    [escape(name), UNSPLIT_WORD, label]
                    for (_, name), label in zip(caisses, labels, strict=True)
                ],
                hovertemplate=HOVER_TEMPLATE,
            )
        )
    empty = [i for i, (code, _) in enumerate(caisses) if all(math.isnan(s.share) for s in by_caisse[code])]
    if empty:
        what = escape(parent.libelle) if parent is not None else "Répartition"
        traces.append(
            unpublished_marks(
                [categories[i] for i in empty],
                [[escape(caisses[i][1]), what, formatting.NON_PUBLIE] for i in empty],
                horizontal=True,
            )
        )
    own: list[str] = []
    for code, name in caisses:
        who = name if len(caisses) > 1 else None
        own += [n for n in (_sum_note(by_caisse[code], who), _missing_note(by_caisse[code], who)) if n]

    totals = pd.Series(
        [sum(s.share for s in shares if not math.isnan(s.share)) for shares in by_caisse.values()]
    )
    fig = new_figure(traces)
    set_layout(
        fig,
        barmode="stack",
        showlegend=True,
        legend={"traceorder": "normal"},
        xaxis=rate_axis(totals),
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": categories,
            "autorange": "reversed",
        },
        bargap=0.35,
        uniformtext=_SEGMENT_TEXT,
    )
    return finish(fig, text, notes=[*own, *notes])


def build_shares(chart: ChartData) -> go.Figure:
    """The chart of kind "part": a donut for one caisse, 100 % stacks for several or with a comparison year.

    The indicators are the parts; the parent, the whole, is needed only when the parts are counts rather
    than %. Where the comparison year published parts, each caisse and year is a 100 % bar of its own, the
    comparison year above the year.
    """
    frame, compared = chart.frame, chart.compared
    codes = [ind.code for ind in chart.indicators]
    if compared is not None and compared[col.INDICATEUR].isin(codes).any():
        year = int(frame[col.ANNEE].max())
        frame = pd.concat([_by_year(compared, year), _by_year(frame, year)], ignore_index=True)
    return build_share_donut(
        frame, parent=chart.parent, parts=chart.indicators, text=chart.text, notes=chart.notes
    )


def _by_year(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows relabelled so that each caisse and year is a bar of its own (« CPAM de la Vendée — 2019 »)."""
    years = rows[col.ANNEE].astype(int).astype(str)
    relabelled = rows.copy()
    relabelled[col.CAISSE] = rows[col.CAISSE].astype(str) + "-" + years
    relabelled[col.CAISSE_NOM] = rows[col.CAISSE_NOM].astype(str) + " — " + years
    relabelled[col.ANNEE] = year
    return relabelled
