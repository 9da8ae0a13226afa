"""Text geometry: wrapping text for the narrowest card, and estimating the room plotly will give it.

Plotly wraps neither titles nor tick labels nor annotations, and only a browser knows how wide a text is.
The builders are pure Python, so they estimate: every width here is reckoned for the narrowest card a figure
is shown in (``CARD_WIDTH`` × ``CARD_HEIGHT``, 16:9) with the average character advance of the widest font
of ``theme.FONT_FAMILY`` (DejaVu Sans, close to Marianne), so an estimate may waste a little room but does not
clip text. The same figure exported at 1600×900 then simply has room to spare.

The vertical positions follow plotly.js's own text metrics (line spacing ``theme.LINE_HEIGHT``, a 0.7 em cap
shift on a top-anchored first line, 1.6 em between title and subtitle), checked on kaleido renders. Font
sizes are the theme's.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import plotly.graph_objects as go

from dashboard import formatting, theme

# The narrowest card a figure is shown in (px), 16:9: a third of a 1366-pixel screen, less the page's gutters.
CARD_WIDTH: Final = 620
CARD_HEIGHT: Final = 349

# Average advance of a character of French text, in em: DejaVu Sans (the widest of the font stack).
REGULAR_EM: Final = 0.56
BOLD_EM: Final = 0.6

# Plotly.js text metrics, in em of the text's own font size.
CAP_SHIFT: Final = 0.7
SUBTITLE_GAP: Final = 1.6
DESCENT: Final = 0.25

TITLE_TOP: Final = 14  # px from the figure's top edge to the first title line's capitals
RIGHT_PAD: Final = 16  # px kept free on the right of titles, notes and the source line
BLOCK_GAP: Final = 12  # px between the title block and the legend or plot, and under the source line
TEXT_WIDTH_PX: Final = CARD_WIDTH - theme.MARGIN_SIDE - RIGHT_PAD
_LEGEND_ITEM_PX: Final = 60  # symbol, gap and spacing around each legend entry's text
_LEGEND_PAD_PX: Final = 6
_TICK_GAP_PX: Final = 10  # between the plot and its tick labels, and around them
_NO_AXIS_GAP_PX: Final = 8  # between a plot without x axis (a donut) and the notes or source under it
_TAG: Final = re.compile(r"<[^>]*>")


def escape(text: object) -> str:
    """Text shown in plotly's rich text, with &, < and > escaped (plotly decodes these entities)."""
    return html.escape(str(text), quote=False)


def plain(text: str) -> str:
    """Rich text as the characters a reader sees: tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", text))


def lines_of(text: str) -> list[str]:
    """The plain lines of a rich text (plotly breaks lines at <br> only)."""
    return [plain(line) for line in re.split(r"<br\s*/?>", text)]


def text_px(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated width (px) of the longest line of a rich text at this font size."""
    em = BOLD_EM if bold else REGULAR_EM
    return max(len(line) for line in lines_of(text)) * size * em


def chars_in(px: float, size: float, *, bold: bool = False) -> int:
    """How many characters of text at this font size fit in ``px`` pixels (at least 1)."""
    return max(1, math.floor(px / (size * (BOLD_EM if bold else REGULAR_EM))))


def line_px(size: float) -> float:
    """The distance between two lines of text at this font size."""
    return size * theme.LINE_HEIGHT


# Characters per line of the texts around the plot, so that they fit the narrowest card.
TITLE_WIDTH: Final = chars_in(TEXT_WIDTH_PX, theme.TITLE_SIZE, bold=True)
SUBTITLE_WIDTH: Final = chars_in(TEXT_WIDTH_PX, theme.SUBTITLE_SIZE)
SOURCE_WIDTH: Final = chars_in(TEXT_WIDTH_PX, theme.SOURCE_SIZE)
LABEL_WIDTH: Final = 18
MAX_LABEL_WIDTH: Final = 44
MAX_TEXT_LINES: Final = 2


def wrap(text: str, width: int, max_lines: int | None = MAX_TEXT_LINES) -> list[str]:
    """Split text into lines of at most ``width`` characters; past ``max_lines`` the last line ends in "…".

    Only ordinary spaces break a line: the no-break spaces inside French numbers never do. A word longer
    than a line ("Alpes-de-Haute-Provence") is broken after one of its hyphens.
    """
    lines: list[str] = []
    for line in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False):
        if len(line) > width:
            lines += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=True)
        else:
            lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[: max_lines - 1]
        last = textwrap.shorten(" ".join(lines[max_lines - 1 :]), width - 1, placeholder="")
        lines = [*kept, f"{last.rstrip(' ,;:')}…"]
    return lines


def wrap_label(text: str, width: int = LABEL_WIDTH, max_lines: int = 3) -> str:
    """A label escaped and wrapped with <br> (plotly never wraps tick labels or legend entries itself)."""
    return "<br>".join(escape(line) for line in wrap(text, width, max_lines=max_lines))


def distinct_labels(texts: Sequence[str], width: int = LABEL_WIDTH, max_lines: int = 3) -> list[str]:
    """Wrapped labels (as ``wrap_label``) that stay distinct after being cut to ``max_lines`` lines.

    Plotly puts two bars with the same category label in one slot (stacked or overlaid), so two labels that
    differ only past the cut ("… clôturés avec succès (droits)" and "… (soins)") must not be cut alike. The
    words the colliding labels share at their start are dropped for "…", so what tells them apart is read;
    labels that are still alike get a number.
    """
    labels = [wrap_label(text, width, max_lines) for text in texts]
    for _ in range(2):  # a second pass: a shortened label may meet another label
        seen: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            seen.setdefault(label, []).append(i)
        clashes = [indexes for indexes in seen.values() if len(indexes) > 1]
        if not clashes:
            return labels
        for indexes in clashes:
            words = [texts[i].split() for i in indexes]
            shared = 0
            while all(len(w) > shared + 1 for w in words) and len({w[shared] for w in words}) == 1:
                shared += 1
            # Drop as few shared words as it takes for the labels to differ.
            for dropped in range(1, shared + 1):
                candidates = [wrap_label("… " + " ".join(w[dropped:]), width, max_lines) for w in words]
                if len(set(candidates)) == len(candidates):
                    for i, candidate in zip(indexes, candidates, strict=True):
                        labels[i] = candidate
                    break
    seen_count: dict[str, int] = {}
    unique = []
    for label in labels:
        seen_count[label] = seen_count.get(label, 0) + 1
        unique.append(label if seen_count[label] == 1 else f"{label} ({seen_count[label]})")
    return unique


def title_block(title_lines: int, subtitle_lines: int) -> tuple[float, float]:
    """Where plotly draws a top-anchored title and its subtitle, in px from the figure's top edge.

    Plotly raises a title of several lines by a cap height: the pad returned compensates, so the first line
    stays at ``TITLE_TOP`` whatever the number of lines.

    Args:
        title_lines: Lines of the title (at least 1).
        subtitle_lines: Lines of the subtitle (0 when there is none).

    Returns:
        The title's top pad, and the bottom of the title block (title and subtitle, descenders included).
    """
    title, subtitle = theme.TITLE_SIZE, theme.SUBTITLE_SIZE
    pad = TITLE_TOP + (CAP_SHIFT * title if title_lines > 1 else 0)
    baseline = TITLE_TOP + CAP_SHIFT * title + line_px(title) * (max(title_lines, 1) - 1)
    bottom = baseline + DESCENT * title
    if subtitle_lines:
        baseline = bottom + SUBTITLE_GAP * subtitle + (CAP_SHIFT * subtitle if subtitle_lines == 1 else 0)
        bottom = baseline + line_px(subtitle) * (subtitle_lines - 1) + DESCENT * subtitle
    return pad, bottom


def traces_json(fig: go.Figure) -> Sequence[Mapping[str, Any]]:
    """The figure's traces as plotly keeps them, plain dicts: read them, never change them.

    Reading a property through plotly's objects walks its validators and builds a child object for every
    nested property: about half a millisecond of a cold figure went to the margins' reads alone. Plotly
    keeps a figure as these dicts (``_data``, ``_layout``), which its objects read and write in place.
    """
    data: Sequence[Mapping[str, Any]] = fig._data
    return data


def layout_json(fig: go.Figure) -> Mapping[str, Any]:
    """The figure's layout as plotly keeps it, a plain dict: read it, never change it (``traces_json``)."""
    props: Mapping[str, Any] = fig._layout
    return props


def _part(props: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """A nested property (``xaxis``, ``legend``…) as a dict, empty when it was never set."""
    return props.get(key) or {}


def _listed(props: Mapping[str, Any], key: str) -> Sequence[object]:
    """A list property (``x``, ``y``, ``text``, ``categoryarray``), empty when it was never set."""
    value = props.get(key)
    return () if value is None else value  # not ``or ()``: a numpy array has no truth value


def legend_entries(fig: go.Figure) -> list[str]:
    """The texts of the legend entries a figure shows (none when its legend is hidden)."""
    if layout_json(fig).get("showlegend") is not True:
        return []
    names: list[str] = []
    for trace in traces_json(fig):
        if trace["type"] == "pie":
            names.extend(str(label) for label in _listed(trace, "labels"))
        elif trace.get("showlegend") is not False and trace.get("name"):
            names.append(str(trace["name"]))
    return names


def legend_height(fig: go.Figure, width: float) -> float:
    """Height (px) of a horizontal legend above the plot, ``width`` px wide; 0 for a vertical legend.

    The legend starts at the plot's left edge (after the y axis's labels) and wraps its entries in rows.
    """
    names = legend_entries(fig)
    if not names or _part(layout_json(fig), "legend").get("orientation") == "v":
        return 0.0
    rows: list[list[str]] = [[]]
    used = 0.0
    for name in names:
        entry = text_px(name, theme.LEGEND_SIZE) + _LEGEND_ITEM_PX
        if rows[-1] and used + entry > width:
            rows.append([])
            used = 0.0
        rows[-1].append(name)
        used += entry
    height = sum(3 + line_px(theme.LEGEND_SIZE) * max(len(lines_of(n)) for n in row) for row in rows)
    return height + _LEGEND_PAD_PX


def _cartesian(fig: go.Figure) -> list[Mapping[str, Any]]:
    return [t for t in traces_json(fig) if t["type"] in ("bar", "scatter")]


def _horizontal(fig: go.Figure) -> bool:
    return any(t["type"] == "bar" and t.get("orientation") == "h" for t in traces_json(fig))


def _values(traces: Iterable[Mapping[str, Any]], axis: str) -> list[object]:
    return [v for t in traces for v in _listed(t, axis)]


def axis_labels_height(fig: go.Figure) -> float:
    """Height (px) of the x axis's tick labels under the plot, gaps included (a small gap without x axis)."""
    cartesian = _cartesian(fig)
    if not cartesian or _part(layout_json(fig), "xaxis").get("visible") is False:
        return _NO_AXIS_GAP_PX
    lines = 1
    if not _horizontal(fig):  # categories on x: their labels may be wrapped
        lines = max([1, *(str(v).count("<br>") + 1 for v in _values(cartesian, "x"))])
    return _TICK_GAP_PX + lines * line_px(theme.AXIS_SIZE)


def _number_px(values: Iterable[object], suffix: str) -> float:
    numbers = [abs(float(v)) for v in values if isinstance(v, int | float) and math.isfinite(v)]
    if not numbers:
        return 0.0
    # A tick may go one digit further than the data (the axis reserves room for labels above the bars).
    widest = formatting.format_number(round(max(numbers) * 1.3)) + suffix
    negative = "−" if any(isinstance(v, int | float) and v < 0 for v in values) else ""
    return text_px(negative + widest, theme.AXIS_SIZE)


def left_margin(fig: go.Figure) -> float:
    """The left margin (px) that holds the y axis's tick labels, at least the theme's side margin."""
    cartesian = _cartesian(fig)
    yaxis = _part(layout_json(fig), "yaxis")
    if not cartesian or yaxis.get("visible") is False:
        return float(theme.MARGIN_SIDE)
    if _horizontal(fig) or yaxis.get("type") == "category":
        labels = [str(v) for v in _values(cartesian, "y")]
        width = max((text_px(label, theme.AXIS_SIZE) for label in labels), default=0.0)
    else:
        width = _number_px(_values(cartesian, "y"), str(yaxis.get("ticksuffix") or ""))
    return theme.MARGIN_SIDE + width + _TICK_GAP_PX


def right_margin(fig: go.Figure) -> float:
    """The right margin (px): room for the labels written after horizontal bars, or for the last tick."""
    if not _cartesian(fig):
        return float(theme.MARGIN_SIDE)
    if not _horizontal(fig):
        return float(RIGHT_PAD)
    labels = [
        str(text)
        for t in traces_json(fig)
        if t["type"] == "bar" and t.get("textposition") == "outside"
        for text in _listed(t, "text")
        if text
    ]
    last_tick = text_px("100 %", theme.AXIS_SIZE) / 2  # centred on the plot's right edge
    return max([last_tick, *(text_px(label, theme.LABEL_SIZE) for label in labels)]) + RIGHT_PAD


def plot_size(fig: go.Figure) -> tuple[float, float]:
    """Width and height (px) of a finished figure's plot area in the narrowest card."""
    margin = layout_json(fig)["margin"]
    return (
        CARD_WIDTH - float(margin["l"]) - float(margin["r"]),
        CARD_HEIGHT - float(margin["t"]) - float(margin["b"]),
    )


def room_for_labels(labelled: Iterable[tuple[float, str]], axis_px: float) -> float:
    """The end of a value axis that leaves room beyond each value for the label written above it.

    Reckoned on an ``axis_px``-long axis (the plot's height in the narrowest card): each label needs its
    lines of text above its bar or point. The axis goes at least 10 % beyond the highest value, and at most
    twice as far (a label may then overflow a very short plot rather than squash the bars).

    Args:
        labelled: The (value, label) of each bar or point; a label may hold lines ("plus de<br>1 000").
        axis_px: The axis's length (px).

    Returns:
        The upper end of the axis.
    """
    pairs = [(value, label) for value, label in labelled if math.isfinite(value)]
    top = max((value for value, _ in pairs), default=0.0)
    end = top * 1.1
    for value, label in pairs:
        free = max(axis_px - value_label_px(label), axis_px / 2, 1.0)
        end = max(end, value * axis_px / free)
    return min(end, top * 2)


def value_label_px(label: str) -> float:
    """Height (px) of a value label written above a bar or a point, with its gap; 0 without a label."""
    return (str(label).count("<br>") + 1) * line_px(theme.LABEL_SIZE) + 6 if label else 0.0


def category_width(count: int) -> int:
    """Characters per line of the labels of ``count`` categories side by side on an x axis (narrowest card).

    The plot is the card less the side margins and about 80 px of y tick labels ("4 000 000 €").
    """
    slot = (CARD_WIDTH - theme.MARGIN_SIDE - RIGHT_PAD - 80) / max(count, 1)
    return min(24, max(8, chars_in(slot - _TICK_GAP_PX, theme.AXIS_SIZE)))


def unwrap(label: str) -> str:
    """The plain text of a wrapped label: a line broken after a hyphen joins its next without a space."""
    return plain(re.sub(r"-<br>", "-", label).replace("<br>", " "))


def fit_label(text: str, lines: int) -> str:
    """A label wrapped onto at most ``lines`` lines, as narrow as that allows (at most MAX_LABEL_WIDTH)."""
    for width in range(LABEL_WIDTH, MAX_LABEL_WIDTH):
        if len(wrap(text, width, max_lines=None)) <= lines:
            return wrap_label(text, width, lines)
    return wrap_label(text, MAX_LABEL_WIDTH, lines)


def refit_row_labels(fig: go.Figure, plot_height: float) -> bool:
    """Re-wrap the labels of horizontal bars onto no more lines than their rows can hold.

    With many caisses (or indicators) in a short card, a label of three lines would overlap its
    neighbours: it is written on fewer, longer lines instead, and the left margin grows.

    Args:
        fig: A figure whose y axis holds categories (caisses or indicators) in ``categoryarray``.
        plot_height: The plot's height in the narrowest card (px).

    Returns:
        True when labels changed, so that the margins must be reckoned again.
    """
    categories = [str(c) for c in _listed(_part(layout_json(fig), "yaxis"), "categoryarray")]
    if not categories or not _horizontal(fig):
        return False
    room = max(1, math.floor(plot_height / len(categories) / line_px(theme.AXIS_SIZE)))
    if max(len(lines_of(c)) for c in categories) <= room:
        return False
    new = {c: fit_label(unwrap(c), room) for c in categories}
    for trace in fig.data:  # written through plotly's objects, as every change to a figure
        if trace.type in ("bar", "scatter") and trace.y is not None:
            trace.y = [new.get(str(v), v) for v in trace.y]
    fig.layout.yaxis.categoryarray = [new[c] for c in categories]  # not update_yaxes: see frame.set_layout
    return True
