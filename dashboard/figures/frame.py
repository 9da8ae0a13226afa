"""Shared finishing of every figure, the "non publié" placeholder, and the frame helpers of the builders.

Title, subtitle, legend and source are placed in pixels (not in fractions of the figure), so the same
figure reads well in a 620-pixel card and in a 1600×900 slide image: the margins are reckoned from the text
they hold (``dashboard.figures.layout``), and the source line sits under the axis labels whatever the
plot's height.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any, Final, NamedTuple, SupportsFloat, TypeGuard

import pandas as pd
import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType

from dashboard import formatting, theme
from dashboard.analysis import records
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.figures import layout
from dashboard.figures.layout import escape, wrap

# The hover text of every mark: who, what, and the value already formatted in French.
HOVER_TEMPLATE: Final = "<b>%{customdata[0]}</b><br>%{customdata[1]} : %{customdata[2]}<extra></extra>"

# A whole-year value; any other period (a month, a half-year, a peak, a cumul) is named in its label.
WHOLE_YEAR: Final = ("annee", "fin_annee")
# The word that marks a value calculated from other published figures (labels, hovers, tables).
DERIVED_WORDS: Final = "valeur calculée"
DERIVED_SHORT: Final = "calculée"

_AXIS_UNITS: Final = {"jours": "j", "heures": "h", "minutes": "min"}
_NOTES_GAP: Final = 4  # px between the notes and the source line
_SMALL_LINE_PX: Final = layout.line_px(theme.SOURCE_SIZE)
# The theme's template as plain JSON, made once per template (an edited theme makes a new one): every
# figure starts on it and never validates it again.
_TEMPLATE_JSON: list[tuple[go.layout.Template, dict[str, Any]]] = []


def _template_json() -> dict[str, Any]:
    """The JSON of ``theme.TEMPLATE``, made the first time it is asked for."""
    template = theme.TEMPLATE
    if not _TEMPLATE_JSON or _TEMPLATE_JSON[0][0] is not template:
        _TEMPLATE_JSON[:] = [(template, template.to_plotly_json())]
    return _TEMPLATE_JSON[0][1]


def new_figure(traces: Sequence[BaseTraceType] = ()) -> go.Figure:
    """A figure on the theme's template, built without plotly's per-property validation.

    Validation and template copies were about half of a cold figure's time. Builders make their traces
    with ``bar``, ``scatter`` and ``pie`` (unvalidated too); a unit test validates every builder's output
    against plotly's schema instead (``tests/unit/figures/test_schema.py``), so nothing invalid ships.
    """
    return go.Figure(list(traces), layout={"template": _template_json()}, _validate=False)


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """The figure as plotly JSON, read-only: the figure's own dicts, where ``to_plotly_json`` copies them.

    ``to_plotly_json`` deep-copies every trace and the layout, then walks them for numpy arrays to encode:
    about half a millisecond a figure, on every chart a page draws. A figure served is only serialised,
    never changed, and the builders give plain lists, never numpy arrays (``test_schema`` checks that both
    serialise alike for every chart of the catalog). Whoever changes the result copies it first.
    """
    return {"data": list(layout.traces_json(fig)), "layout": layout.layout_json(fig)}


def _merged(current: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``current`` updated by ``new``, nested dicts key by key (a list or a value replaces what was there).

    Every dict of ``new`` is copied: plotly keeps an unvalidated dict as given, and later writes to the
    figure would change the caller's dict (a module's constant, say).
    """
    both = dict(current)
    for key, value in new.items():
        kept = both.get(key)
        if isinstance(value, dict):
            value = _merged(kept if isinstance(kept, dict) else {}, value)
        both[key] = value
    return both


def set_layout(fig: go.Figure, **props: Any) -> go.Figure:
    """Merge these properties into the figure's layout as ``update_layout`` does, but about 50 times faster.

    ``update_layout`` runs plotly's batch update (a relayout message, then change callbacks over the whole
    layout): about 4 ms a call, several calls a figure, a third of a trend's cost. Assigning each top-level
    property skips all that; one already set is merged key by key, as ``update_layout`` would. Unlike it:
    lists are replaced, not merged element by element; inside a dict, keys are plotly's own names, never its
    magic underscores (``yaxis={"title_text": …}`` would be stored as is, and refused by the schema test);
    a dict given for a free-form property (``meta``) is merged into one already set, not replaced; and no
    subplot axis (``yaxis2``) is created.
    """
    for key, value in props.items():
        if isinstance(value, dict):
            current = layout.layout_json(fig).get(key)
            value = _merged(current if isinstance(current, dict) else {}, value)
        fig.layout[key] = value
    return fig


def annotate(fig: go.Figure, **props: Any) -> None:
    """Add one annotation, unvalidated, as ``add_annotation`` would on a figure without subplots."""
    fig.layout.annotations = (*fig.layout.annotations, go.layout.Annotation(_validate=False, **props))


def bar(**props: Any) -> go.Bar:
    """A bar trace, unvalidated (see ``new_figure``)."""
    return go.Bar(_validate=False, **props)


def scatter(**props: Any) -> go.Scatter:
    """A scatter trace (markers, lines or text), unvalidated (see ``new_figure``)."""
    return go.Scatter(_validate=False, **props)


def pie(**props: Any) -> go.Pie:
    """A pie trace, unvalidated (see ``new_figure``)."""
    return go.Pie(_validate=False, **props)


@dataclass(frozen=True, slots=True)
class FigureText:
    """The words that make an exported image stand alone: what, for whom and when, and where from."""

    title: str
    subtitle: str
    source: str


def source_text(source: str) -> str:
    """The source line: "Source : …" ("Sources : …" for several sources separated by " ; ")."""
    cleaned = " ".join(source.split())
    if cleaned.lower().startswith("source"):
        return cleaned
    label = "Sources" if ";" in cleaned else "Source"
    return f"{label} : {cleaned}" if cleaned else f"{label} : non précisée"


def _rich(lines: Sequence[str]) -> str:
    return "<br>".join(escape(line) for line in lines)


def _margins(fig: go.Figure, title: int, subtitle: int, notes: int, source: int) -> dict[str, int]:
    """The margins (px) that hold the texts around the plot in the narrowest card.

    Above the plot: the title block and a legend; under it: the axis labels, the notes and the source;
    beside it: the tick labels, and the labels written after horizontal bars. The arguments count lines.
    """
    left, right = layout.left_margin(fig), layout.right_margin(fig)
    _, title_bottom = layout.title_block(title, subtitle)
    top = title_bottom + layout.BLOCK_GAP + layout.legend_height(fig, layout.CARD_WIDTH - left - right)
    bottom = layout.axis_labels_height(fig) + _notes_px(notes) + source * _SMALL_LINE_PX + layout.BLOCK_GAP
    return {"t": round(top), "b": round(bottom), "l": round(left), "r": round(right)}


def _notes_px(lines: int) -> float:
    return lines * _SMALL_LINE_PX + (_NOTES_GAP if lines else 0)


def finish(fig: go.Figure, text: FigureText, *, notes: Sequence[str] = ()) -> go.Figure:
    """Apply the theme and put title, subtitle, notes and source inside the figure, clear of the plot.

    Every text is wrapped to fit the narrowest card (``layout.CARD_WIDTH``); the margins are reckoned from
    the lines of text, the legend and the axis labels they must hold, so nothing overlaps at 620×349 nor
    at 1600×900. Notes and source start at the figure's left edge, under the axis labels.

    Args:
        fig: A figure whose traces are drawn; its ``showlegend`` is set by the builder.
        text: Title, subtitle and source, in French.
        notes: Short French sentences shown above the source line, such as
            "Les parts publiées totalisent 97 %".

    Returns:
        The same figure, ready to show or to export on its own.
    """
    title_lines = wrap(text.title, layout.TITLE_WIDTH)
    subtitle_lines = wrap(text.subtitle, layout.SUBTITLE_WIDTH)
    note_lines = [line for note in notes for line in wrap(note, layout.SOURCE_WIDTH)]
    source_lines = wrap(source_text(text.source), layout.SOURCE_WIDTH)

    lines = (len(title_lines), len(subtitle_lines), len(note_lines), len(source_lines))
    margin = _margins(fig, *lines)
    if layout.refit_row_labels(fig, layout.CARD_HEIGHT - margin["t"] - margin["b"]):
        margin = _margins(fig, *lines)
    below_axis = layout.axis_labels_height(fig)

    # The theme, as for a figure made by ``new_figure``: on such a figure a plain assignment, no copy.
    fig.layout.template = _template_json()
    set_layout(
        fig,
        title={
            "text": _rich(title_lines),
            "font": {"weight": 700},
            "pad": {"t": round(layout.title_block(len(title_lines), len(subtitle_lines))[0])},
            "subtitle": {"text": _rich(subtitle_lines)},
        },
        margin=margin,
    )
    common: dict[str, Any] = {
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xshift": theme.MARGIN_SIDE - margin["l"],  # from the plot's left edge back to the figure's
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "align": "left",
    }
    if note_lines:
        annotate(
            fig,
            name="notes",
            text=_rich(note_lines),
            yshift=-below_axis,
            font={"size": theme.SOURCE_SIZE, "color": theme.TEXT, "style": "italic"},
            **common,
        )
    annotate(
        fig,
        name="source",
        text=_rich(source_lines),
        yshift=-(below_axis + _notes_px(len(note_lines))),
        font={"size": theme.SOURCE_SIZE, "color": theme.MUTED},
        **common,
    )
    return fig


def build_unpublished(text: FigureText, message: str = formatting.NON_PUBLIE) -> go.Figure:
    """A placeholder figure: title, subtitle and source, and a large centred "non publié" (never a zero bar).

    Args:
        text: Title, subtitle and source of the chart that has nothing to show.
        message: The centred words.

    Returns:
        A figure with hidden axes.
    """
    fig = new_figure()
    set_layout(
        fig,
        showlegend=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    annotate(
        fig,
        name="unpublished",
        text=escape(message),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": theme.UNPUBLISHED_SIZE, "color": theme.UNPUBLISHED},
    )
    return finish(fig, text)


# ----------------------------------------------------------------------------- frame helpers for builders


@dataclass(frozen=True, slots=True)
class ChartData:
    """What a chart of a catalog kind draws: the one argument of every builder of ``figures.BUILDERS``.

    Each builder returns the finished figure, or the "non publié" placeholder when nothing is published; a
    bar builder raises ValueError when the indicators are not all in the same unit (one axis, one unit).

    Attributes:
        frame: Tidy observations (caisse, caisse_nom, annee, indicateur, valeur, qualificatif, nature…).
        indicators: The catalog records to show, in display order, all in the same unit.
        text: Title, subtitle and source.
        compared: Observations of the comparison year, drawn beside the year's (each builder says how).
        notes: Sentences shown under the plot (other periods published, changes), after the builder's own.
        parent: The whole a breakdown belongs to: its rows are in ``frame``, its value named in a note.
    """

    frame: pd.DataFrame
    _: KW_ONLY
    indicators: Sequence[Indicator]
    text: FigureText
    compared: pd.DataFrame | None = None
    notes: Sequence[str] = ()
    parent: Indicator | None = None


class BarLevels(NamedTuple):
    """What the bar builders (volumes and rates) draw from a chart's rows, reckoned alike for both."""

    unite: str
    both: pd.DataFrame  # the year's levels and the comparison year's
    caisses: list[tuple[str, str]]
    colors: dict[str, str]
    rows: dict[tuple[str, ...], dict[str, Any]]  # the year's row of each (caisse, indicator)
    before: dict[tuple[str, ...], dict[str, Any]]  # the comparison year's
    year: str
    then: str  # the comparison year, "" without one
    notes: list[str]  # calculated values, the whole of a breakdown, then the chart's own notes


def bar_levels(chart: ChartData) -> BarLevels | None:
    """The levels a bar chart draws, its caisses and their colours; None when no year has any to draw.

    Raises:
        ValueError: If the indicators are not all in the same unit.
    """
    unite = single_unit(chart.indicators)
    codes = [ind.code for ind in chart.indicators]
    data = drawn_levels(chart.frame, codes)
    earlier = earlier_levels(chart.compared, codes)
    if not has_values(data) and earlier.empty:
        return None
    both = pd.concat([data, earlier], ignore_index=True) if not earlier.empty else data
    caisses = caisses_of(both)
    return BarLevels(
        unite,
        both,
        caisses,
        theme.series_colors(code for code, _ in caisses),
        records_by(data, col.CAISSE, col.INDICATEUR),
        records_by(earlier, col.CAISSE, col.INDICATEUR),
        year_of(data),
        year_of(earlier),
        [*derived_notes(both), *whole_notes(chart.frame, chart.parent), *chart.notes],
    )


def is_published(value: object) -> TypeGuard[SupportsFloat]:
    """True when a cell holds a finite number (not None, NaN or pandas NA)."""
    return isinstance(value, numbers.Real) and math.isfinite(value)


def qualifier_of(record: dict[str, Any]) -> str:
    """The qualifier of a frame row, "exact" when the column is absent or empty."""
    value = record.get(col.QUALIFICATIF)
    return value if isinstance(value, str) and value else "exact"


def value_label(record: dict[str, Any] | None, unite: str, decimals: int | None = None) -> str:
    """The French text of a row's value, with its qualifier ("plus de 1 000"); "non publié" if missing."""
    if record is None:
        return formatting.NON_PUBLIE
    return formatting.format_value(record.get(col.VALEUR), unite, qualifier_of(record), decimals)


def period_text(record: dict[str, Any] | None) -> str:
    """The part of the year a row describes, in French with its year ("2e semestre 2024", "avril 2020").

    Empty for a whole-year value (``annee``, ``fin_annee``) or a row without a period.
    """
    if record is None:
        return ""
    periode = record.get(col.PERIODE)
    if not isinstance(periode, str) or periode in WHOLE_YEAR or not periode:
        return ""
    year = record.get(col.ANNEE)
    words = formatting.format_periode(periode)
    return f"{words} {formatting.format_year(int(float(year)))}" if is_published(year) else words


def is_derived(record: dict[str, Any] | None) -> bool:
    """True when the row's value was calculated from other published figures (not published as such)."""
    return record is not None and bool(record.get(col.DERIVE) is True or record.get(col.DERIVE) == 1)


def detail_label(record: dict[str, Any] | None, unite: str, decimals: int | None = None) -> str:
    """The value as a hover reads it: with its period and whether it was calculated.

    Example: "28 (2e semestre 2024)", "299 359 (valeur calculée)".
    """
    label = value_label(record, unite, decimals)
    extra = [text for text in (period_text(record), DERIVED_WORDS if is_derived(record) else "") if text]
    return f"{label} ({', '.join(extra)})" if extra and record is not None else label


def chart_decimals(unite: str) -> int | None:
    """Decimals of a value written on a chart: whole euros (cents clutter a bar; the hover keeps them)."""
    return 0 if unite == "€" else None


def number_or_nan(record: dict[str, Any] | None) -> float:
    """The row's value as a float, NaN when missing: plotly draws nothing for NaN, never a zero."""
    if record is None:
        return math.nan
    value = record.get(col.VALEUR)
    return float(value) if is_published(value) else math.nan


def drawn_levels(frame: pd.DataFrame, codes: Iterable[str]) -> pd.DataFrame:
    """The rows a builder draws for these indicators: nature "niveau", latest year, first row per caisse.

    Not the rule of which value is a year's level (``analysis.whole_year_levels`` chooses, before the
    builders): the rows arrive already chosen, so a part-year value standing in for the year is drawn with
    its period, and rows with NaN values are kept as "non publié" marks.
    """
    # Chosen in plain Python over four columns, then taken by position: a chart's frame is a few dozen rows,
    # and the four pandas steps this replaces (two filters, a maximum, a de-duplication) cost a fixed
    # fraction of a millisecond each, on every chart drawn.
    wanted = set(codes)
    indicators = frame[col.INDICATEUR].tolist()
    natures = frame[col.NATURE].tolist() if col.NATURE in frame.columns else [None] * len(indicators)
    kept = [
        i
        for i, (code, nature) in enumerate(zip(indicators, natures, strict=True))
        if code in wanted and is_level(nature)
    ]
    if not kept:
        return frame.iloc[kept]
    years = frame[col.ANNEE].tolist()
    latest = max((years[i] for i in kept if not _missing(years[i])), default=None)
    caisses = frame[col.CAISSE].tolist()
    first: dict[tuple[Any, Any], int] = {}
    for i in kept:
        if not _missing(years[i]) and years[i] == latest:
            first.setdefault((caisses[i], indicators[i]), i)
    return frame.iloc[sorted(first.values())]


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA: what ``isna`` finds in a cell."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def is_level(nature: object) -> bool:
    """Whether a row of this nature is a level: "niveau", or no nature at all (a row of a plain frame)."""
    return _missing(nature) or nature == "niveau"


def has_values(frame: pd.DataFrame) -> bool:
    """True when at least one row holds a published value."""
    return not frame.empty and bool(frame[col.VALEUR].notna().any())


def caisses_of(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(code, name) of the caisses in a frame, sorted by code (the order of colours and legends)."""
    names = frame[col.CAISSE_NOM] if col.CAISSE_NOM in frame.columns else frame[col.CAISSE]
    pairs = {str(code): str(name) for code, name in zip(frame[col.CAISSE], names, strict=True)}
    return sorted(pairs.items())


def records_by(frame: pd.DataFrame, *keys: str) -> dict[tuple[str, ...], dict[str, Any]]:
    """Rows as dicts keyed by the string values of ``keys`` (first row wins)."""
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for record in records(frame):  # column by column: pandas' row-wise to_dict costs 3 ms a chart
        out.setdefault(tuple(str(record[k]) for k in keys), record)
    return out


def unpublished_marks(
    positions: Sequence[str],
    customdata: Sequence[Sequence[str]],
    *,
    horizontal: bool,
    offsetgroup: str | None = None,
) -> go.Scatter:
    """The words "non publié" written at the baseline where a bar would be, in the bar's own slot."""
    zeros = [0] * len(positions)
    return scatter(
        x=zeros if horizontal else list(positions),
        y=list(positions) if horizontal else zeros,
        mode="text",
        text=[formatting.NON_PUBLIE] * len(positions),
        textposition="middle right" if horizontal else "top center",
        textfont={"color": theme.UNPUBLISHED, "size": theme.LABEL_SIZE, "style": "italic"},
        customdata=[list(row) for row in customdata],
        hovertemplate=HOVER_TEMPLATE,
        offsetgroup=offsetgroup,
        showlegend=False,
        cliponaxis=False,
        name=formatting.NON_PUBLIE,
    )


def single_unit(indicators: Sequence[Indicator]) -> str:
    """The one unit shared by the indicators of a chart (one axis cannot show two units).

    Raises:
        ValueError: If the indicators are in different units, or there are none.
    """
    units = {ind.unite for ind in indicators}
    if len(units) != 1:
        raise ValueError(f"un graphique ne peut montrer qu'une unité, reçu : {sorted(units) or 'aucune'}")
    return units.pop()


def stack_qualifier(label: str, record: dict[str, Any] | None) -> str:
    """A value label with its qualifier on a line of its own: "plus de<br>120 000" (narrow places)."""
    prefix = formatting.format_qualificatif(qualifier_of(record)) if record is not None else ""
    if prefix and label.startswith(f"{prefix} "):
        return f"{prefix}<br>{label[len(prefix) + 1 :]}"
    return label


def bar_with_marks(
    categories: Sequence[str],
    records: Sequence[dict[str, Any] | None],
    who: Sequence[str],
    what: Sequence[str],
    unite: str,
    *,
    horizontal: bool,
    decimals: int | None = None,
    **style: Any,
) -> tuple[go.Bar, go.Scatter | None]:
    """One bar trace labelled in French and, when values are missing, its "non publié" marks.

    Args:
        categories: The category of each bar (already escaped and wrapped).
        records: The frame row of each bar, None where the caisse has no row.
        who: The caisse name of each bar (hover), escaped.
        what: The indicator label of each bar (hover), escaped.
        unite: The catalog unit of the values.
        horizontal: Bars along x (categories on y) when True.
        decimals: Exactly this many decimals in labels; by default as many as needed, at most 2.
        **style: Other go.Bar properties (name, marker, offsetgroup…).

    Returns:
        The bar trace, and a text trace of "non publié" marks or None.
    """
    values = [number_or_nan(r) for r in records]
    shown_decimals = chart_decimals(unite) if decimals is None else decimals
    labels = [value_label(r, unite, shown_decimals) for r in records]
    hovers = [detail_label(r, unite, decimals) for r in records]
    customdata = [[w, x, label] for w, x, label in zip(who, what, hovers, strict=True)]
    positions = list(categories)
    if not horizontal:  # above a narrow bar, the qualifier goes on its own line: "plus de<br>120 000"
        labels = [stack_qualifier(label, r) for label, r in zip(labels, records, strict=True)]
    labels = [with_marks(label, r, horizontal=horizontal) for label, r in zip(labels, records, strict=True)]
    drawn = bar(
        x=values if horizontal else positions,
        y=positions if horizontal else values,
        orientation="h" if horizontal else "v",
        text=["" if math.isnan(v) else label for v, label in zip(values, labels, strict=True)],
        textposition="outside",
        textangle=0,
        textfont={"color": theme.TEXT, "size": theme.LABEL_SIZE},
        # Outside labels keep their size: a shrunken or hidden value would differ between screen and slide.
        constraintext="none",
        cliponaxis=False,
        customdata=customdata,
        hovertemplate=HOVER_TEMPLATE,
        **style,
    )
    missing = [i for i, v in enumerate(values) if math.isnan(v)]
    if not missing:
        return drawn, None
    marks = unpublished_marks(
        [positions[i] for i in missing],
        [customdata[i] for i in missing],
        horizontal=horizontal,
        offsetgroup=style.get("offsetgroup"),
    )
    return drawn, marks


def with_marks(label: str, record: dict[str, Any] | None, *, horizontal: bool) -> str:
    """A value label followed by its period and "calculée" when they apply, so the chart itself tells.

    Above a vertical bar they go on lines of their own ("28<br>2e semestre 2024"); after a horizontal bar
    in brackets ("75 % (avril 2020)").
    """
    extra = [text for text in (period_text(record), DERIVED_SHORT if is_derived(record) else "") if text]
    if not extra or record is None or not is_published(record.get(col.VALEUR)):
        return label
    if horizontal:
        return f"{label} ({', '.join(extra)})"
    return "<br>".join([label, *extra])


def earlier_levels(compared: pd.DataFrame | None, codes: Iterable[str]) -> pd.DataFrame:
    """The published whole-year levels of the comparison year (empty when there is none to draw)."""
    if compared is None or compared.empty:
        return pd.DataFrame(columns=[col.CAISSE, col.CAISSE_NOM, col.ANNEE, col.INDICATEUR, col.VALEUR])
    df = drawn_levels(compared, codes)
    if col.PERIODE in df.columns:
        df = df[df[col.PERIODE].isna() | df[col.PERIODE].isin(WHOLE_YEAR)]
    return df[df[col.VALEUR].notna()]


def year_of(frame: pd.DataFrame) -> str:
    """The year of a one-year frame, as its label reads it ("2024"); "" for an empty frame."""
    return formatting.format_year(int(frame[col.ANNEE].max())) if not frame.empty else ""


def comparison_style(color: str) -> dict[str, Any]:
    """The marker of a comparison-year bar: its caisse's colour, hatched (told apart without colour alone)."""
    return {
        "color": color,
        "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": theme.BACKGROUND, "solidity": 0.35},
        "line": {"color": color, "width": 1},
    }


def derived_notes(frame: pd.DataFrame) -> list[str]:
    """One note per calculated value drawn: who, when, and the rule that produced it."""
    if frame.empty or col.DERIVE not in frame.columns:
        return []
    return derived_notes_of(records(frame))


def derived_notes_of(rows: Iterable[dict[str, Any]]) -> list[str]:
    """``derived_notes`` of rows already read as dicts (the first row of a caisse, indicator and year)."""
    first: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        first.setdefault((str(row[col.CAISSE]), str(row[col.INDICATEUR]), str(row[col.ANNEE])), row)
    notes = []
    for record in first.values():
        if not is_derived(record) or not is_published(record.get(col.VALEUR)):
            continue
        rule = record.get(col.DERIVATION)
        who = record.get(col.CAISSE_NOM, record.get(col.CAISSE))
        head = f"Valeur calculée ({who}, {formatting.format_year(int(record[col.ANNEE]))})"
        notes.append(f"{head} : {rule}" if isinstance(rule, str) and rule else head)
    return notes


def whole_notes(frame: pd.DataFrame, parent: Indicator | None) -> list[str]:
    """The total a breakdown belongs to, named under its chart (« Sur un total de 463 : demandes »)."""
    if parent is None or frame.empty:
        return []
    totals = frame[(frame[col.INDICATEUR] == parent.code) & frame[col.VALEUR].notna()]
    several = len(caisses_of(frame)) > 1
    notes = []
    for record in records_by(totals, col.CAISSE).values():
        who = f" ({record[col.CAISSE_NOM]})" if several else ""
        notes.append(f"Sur un total de {value_label(record, parent.unite)} : {parent.libelle.lower()}{who}")
    return notes


def unit_suffix(unite: str) -> str:
    """An axis tick suffix: a no-break space and the short unit (%, €, j, h, min); "" for counts.

    Days are abbreviated on axes ("0 j", "15 j"): one suffix serves every tick, and "0 jours" would be wrong.
    """
    unit = _AXIS_UNITS.get(unite, formatting.format_unit(unite))
    return f"{formatting.NBSP}{unit}" if unit else ""
