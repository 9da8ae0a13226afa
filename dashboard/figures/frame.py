"""Shared finishing of every figure, the "non publié" placeholder, the text alternative, frame helpers.

Title, subtitle, legend and source are placed in pixels (not in fractions of the figure), so the same
figure reads well in a 450-pixel card and in a 1600×900 slide image: the top margin grows with the title
block, and the source line sits under the axis labels whatever the plot's height.
"""

from __future__ import annotations

import html
import math
import numbers
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, SupportsFloat, TypeGuard

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting, theme
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator

# Characters per line before wrapping, sized for a chart card about 700 px wide.
TITLE_WIDTH: Final = 64
SUBTITLE_WIDTH: Final = 90
SOURCE_WIDTH: Final = 110
LABEL_WIDTH: Final = 18
MAX_TEXT_LINES: Final = 2

# The hover text of every mark: who, what, and the value already formatted in French.
HOVER_TEMPLATE: Final = "<b>%{customdata[0]}</b><br>%{customdata[1]} : %{customdata[2]}<extra></extra>"

_AXIS_UNITS: Final = {"jours": "j", "heures": "h", "minutes": "min"}
_LEGEND_ROW_PX: Final = 26
_LEGEND_WIDTH_PX: Final = 650  # the narrowest card: an estimate may reserve a row too many, never too few
_AXIS_FONT_PX: Final = 13


@dataclass(frozen=True, slots=True)
class FigureText:
    """The words that make an exported image stand alone: what, for whom and when, and where from."""

    title: str
    subtitle: str
    source: str


def escape(text: object) -> str:
    """Text shown in plotly's rich text, with &, < and > escaped (plotly decodes these entities)."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int, max_lines: int | None = MAX_TEXT_LINES) -> list[str]:
    """Split text into lines of at most ``width`` characters; past ``max_lines`` the last line ends in "…".

    Only ordinary spaces break a line: the no-break spaces inside French numbers never do.
    """
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[: max_lines - 1]
        last = textwrap.shorten(" ".join(lines[max_lines - 1 :]), width - 1, placeholder="")
        lines = [*kept, f"{last.rstrip(' ,;:')}…"]
    return lines


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """An axis category label escaped and wrapped with <br> (plotly never wraps tick labels itself)."""
    return "<br>".join(escape(line) for line in wrap(text, width, max_lines=3))


def _line_px(size: int) -> float:
    return size * theme.LINE_HEIGHT


def source_text(source: str) -> str:
    """The source line: "Source : …" ("Sources : …" for several sources separated by " ; ")."""
    cleaned = " ".join(source.split())
    if cleaned.lower().startswith("source"):
        return cleaned
    label = "Sources" if ";" in cleaned else "Source"
    return f"{label} : {cleaned}" if cleaned else f"{label} : non précisée"


def _legend_rows(fig: go.Figure) -> int:
    if fig.layout.showlegend is not True:
        return 0
    names: list[str] = []
    for trace in fig.data:
        if trace.type == "pie":
            names.extend(str(label) for label in trace.labels or ())
        elif trace.showlegend is not False and trace.name:
            names.append(str(trace.name))
    if not names:
        return 0
    width = sum(len(name) * 7.5 + 45 for name in names)
    return min(4, max(1, math.ceil(width / _LEGEND_WIDTH_PX)))


def _axis_label_px(fig: go.Figure) -> float:
    """Height of the category labels under the plot (0 when there is no visible x axis)."""
    cartesian = [t for t in fig.data if t.type in ("bar", "scatter")]
    if not cartesian or fig.layout.xaxis.visible is False:
        return 0.0
    lines = 1
    for trace in cartesian:
        for value in trace.x if trace.x is not None else ():
            lines = max(lines, str(value).count("<br>") + 1)
    return 10 + lines * _line_px(_AXIS_FONT_PX)


def finish(fig: go.Figure, text: FigureText, *, notes: Sequence[str] = ()) -> go.Figure:
    """Apply the theme and put title, subtitle, notes and source inside the figure.

    Args:
        fig: A figure whose traces are drawn; its ``showlegend`` is set by the builder.
        text: Title, subtitle and source, in French.
        notes: Short French sentences shown above the source line, such as
            "Les parts publiées totalisent 97 %".

    Returns:
        The same figure, ready to show or to export on its own.
    """
    title_lines = wrap(text.title, TITLE_WIDTH)
    subtitle_lines = wrap(text.subtitle, SUBTITLE_WIDTH)
    note_lines = [line for note in notes for line in wrap(note, SOURCE_WIDTH)]
    source_lines = wrap(source_text(text.source), SOURCE_WIDTH)

    top = 20 + len(title_lines) * _line_px(theme.TITLE_SIZE)
    if subtitle_lines:
        top += 6 + len(subtitle_lines) * _line_px(theme.SUBTITLE_SIZE)
    top += 16 + _legend_rows(fig) * _LEGEND_ROW_PX

    below_axis = _axis_label_px(fig) + 6
    notes_px = len(note_lines) * _line_px(theme.SOURCE_SIZE)
    bottom = (
        below_axis + notes_px + (4 if note_lines else 0) + len(source_lines) * _line_px(theme.SOURCE_SIZE)
    )

    fig.update_layout(
        template=theme.TEMPLATE,
        title={
            "text": "<br>".join(escape(line) for line in title_lines),
            "font": {"weight": 700},
            "subtitle": {"text": "<br>".join(escape(line) for line in subtitle_lines)},
        },
        margin={"t": round(top), "b": round(bottom + 16)},
    )
    common: dict[str, Any] = {
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "align": "left",
    }
    if note_lines:
        fig.add_annotation(
            name="notes",
            text="<br>".join(escape(line) for line in note_lines),
            yshift=-below_axis,
            font={"size": theme.SOURCE_SIZE, "color": theme.TEXT, "style": "italic"},
            **common,
        )
    fig.add_annotation(
        name="source",
        text="<br>".join(escape(line) for line in source_lines),
        yshift=-(below_axis + notes_px + (4 if note_lines else 0)),
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
    fig = go.Figure()
    fig.update_layout(
        showlegend=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    fig.add_annotation(
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


def number_or_nan(record: dict[str, Any] | None) -> float:
    """The row's value as a float, NaN when missing: plotly draws nothing for NaN, never a zero."""
    if record is None:
        return math.nan
    value = record.get(col.VALEUR)
    return float(value) if is_published(value) else math.nan


def levels(frame: pd.DataFrame, codes: Iterable[str]) -> pd.DataFrame:
    """The rows of these indicators to show as levels: nature "niveau", latest year, one per caisse.

    The analysis layer normally passes a single year; when the frame holds several, the latest is shown.
    Rows with NaN values are kept: they become "non publié" marks.
    """
    df = frame[frame[col.INDICATEUR].isin(list(codes))]
    if col.NATURE in df.columns:
        df = df[df[col.NATURE].isna() | (df[col.NATURE] == "niveau")]
    if df.empty:
        return df
    df = df[df[col.ANNEE] == df[col.ANNEE].max()]
    return df.drop_duplicates([col.CAISSE, col.INDICATEUR], keep="first")


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
    for raw in frame.to_dict("records"):
        record = {str(name): value for name, value in raw.items()}
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
    return go.Scatter(
        x=zeros if horizontal else list(positions),
        y=list(positions) if horizontal else zeros,
        mode="text",
        text=[formatting.NON_PUBLIE] * len(positions),
        textposition="middle right" if horizontal else "top center",
        textfont={"color": theme.UNPUBLISHED, "size": 13, "style": "italic"},
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


def _stacked_qualifier(label: str, record: dict[str, Any] | None) -> str:
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
    labels = [value_label(r, unite, decimals) for r in records]
    customdata = [[w, x, label] for w, x, label in zip(who, what, labels, strict=True)]
    positions = list(categories)
    if not horizontal:  # above a narrow bar, the qualifier goes on its own line: "plus de<br>120 000"
        labels = [_stacked_qualifier(label, r) for label, r in zip(labels, records, strict=True)]
    bar = go.Bar(
        x=values if horizontal else positions,
        y=positions if horizontal else values,
        orientation="h" if horizontal else "v",
        text=["" if math.isnan(v) else label for v, label in zip(values, labels, strict=True)],
        textposition="outside",
        textangle=0,
        textfont={"color": theme.TEXT, "size": 13},
        # Outside labels keep their size: a shrunken or hidden value would differ between screen and slide.
        constraintext="none",
        cliponaxis=False,
        customdata=customdata,
        hovertemplate=HOVER_TEMPLATE,
        **style,
    )
    missing = [i for i, v in enumerate(values) if math.isnan(v)]
    if not missing:
        return bar, None
    marks = unpublished_marks(
        [positions[i] for i in missing],
        [customdata[i] for i in missing],
        horizontal=horizontal,
        offsetgroup=style.get("offsetgroup"),
    )
    return bar, marks


def unit_suffix(unite: str) -> str:
    """An axis tick suffix: a no-break space and the short unit (%, €, j, h, min); "" for counts.

    Days are abbreviated on axes ("0 j", "15 j"): one suffix serves every tick, and "0 jours" would be wrong.
    """
    unit = _AXIS_UNITS.get(unite, formatting.format_unit(unite))
    return f"{formatting.NBSP}{unit}" if unit else ""


# ----------------------------------------------------------------------------- text alternative


def _row_text(record: dict[str, Any], indicator: Indicator) -> str:
    nature = record.get(col.NATURE)
    if isinstance(nature, str) and nature != "niveau":
        return formatting.format_change(record.get(col.VALEUR), nature, indicator.unite)
    return value_label(record, indicator.unite)


def describe(frame: pd.DataFrame, *, indicators: Sequence[Indicator]) -> str:
    """A French text alternative of a chart (its accessible name), one sentence per indicator.

    Example: "Demandes des assurés, CPAM de la Côte-d'Or, 2024 : 3 872 394."

    Args:
        frame: The tidy frame the chart was built from.
        indicators: The catalog records of the indicators shown, in display order.

    Returns:
        The sentences, or "Aucune donnée publiée." when there is nothing to describe.
    """
    sentences: list[str] = []
    for indicator in indicators:
        df = frame[frame[col.INDICATEUR] == indicator.code]
        if df.empty:
            continue
        years = sorted({int(y) for y in df[col.ANNEE]})
        caisses = caisses_of(df)
        rows = records_by(df, col.CAISSE, col.ANNEE)
        if len(years) == 1:
            year = formatting.format_year(years[0])
            if len(caisses) == 1:
                code, name = caisses[0]
                sentences.append(
                    f"{indicator.libelle}, {name}, {year} : {_row_text(rows[(code, year)], indicator)}."
                )
            else:
                parts = [f"{name}, {_row_text(rows[(code, year)], indicator)}" for code, name in caisses]
                sentences.append(f"{indicator.libelle}, {year} : {' ; '.join(parts)}.")
            continue
        for code, name in caisses:
            parts = [
                f"{formatting.format_year(y)}, "
                + (_row_text(r, indicator) if (r := rows.get((code, str(y)))) else formatting.NON_PUBLIE)
                for y in years
            ]
            sentences.append(f"{indicator.libelle}, {name} : {' ; '.join(parts)}.")
    return " ".join(sentences) if sentences else "Aucune donnée publiée."
