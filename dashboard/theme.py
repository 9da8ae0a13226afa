"""Every colour, font and size of the dashboard, the plotly template, and the graph configuration.

``assets/app.css`` repeats these values as CSS custom properties (``css_variables``); a unit test checks
that the two agree. Builders pass ``template=TEMPLATE`` explicitly: the process-wide plotly default is never
set, so no other code can change how our figures look.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Final, Literal

import plotly.graph_objects as go

# Okabe–Ito, the colour-blind-safe qualitative palette (Okabe & Ito, 2008), ordered so that the first
# colours are the most distinct from each other and from white; yellow, the weakest on white, comes last.
BLUE: Final = "#0072B2"
ORANGE: Final = "#E69F00"
BLUISH_GREEN: Final = "#009E73"
VERMILLION: Final = "#D55E00"
REDDISH_PURPLE: Final = "#CC79A7"
SKY_BLUE: Final = "#56B4E9"
YELLOW: Final = "#F0E442"
BLACK: Final = "#000000"
PALETTE: Final[tuple[str, ...]] = (
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    VERMILLION,
    REDDISH_PURPLE,
    SKY_BLUE,
    YELLOW,
    BLACK,
)

# Named colours. Every text colour has a WCAG contrast of at least 4.5 on white (tested).
PRIMARY: Final = BLUE  # 5.2:1 on white, and white on it
PRIMARY_HOVER: Final = "#005A8E"  # a button under the pointer: the primary, darker
PRIMARY_ACTIVE: Final = "#004B76"  # a button being pressed
ON_PRIMARY: Final = "#FFFFFF"
TEXT: Final = "#1F2328"  # 15.8:1
MUTED: Final = "#565C63"  # 6.8:1: subtitles, source lines, notes
UNPUBLISHED: Final = "#6B6B6B"  # 5.3:1: the words "non publié", wherever they are drawn
BACKGROUND: Final = "#FFFFFF"
SURFACE: Final = "#F4F6F8"  # page background behind the cards
BORDER: Final = "#CED4DA"
GRID: Final = "#E4E7EB"
AXIS: Final = "#8A9199"  # axis lines (non-text, 3:1)
DIMMED: Final = "#A9B4BF"  # bars of the caisses not highlighted in a ranking
FOCUS: Final = "#B34700"  # keyboard focus ring on light backgrounds (5.5:1)
TEXT_COLORS: Final[tuple[str, ...]] = (TEXT, MUTED, PRIMARY, UNPUBLISHED, FOCUS)

# System fonts only (nothing downloaded): Marianne where the State font is installed, Segoe UI on
# Windows, Roboto on Android/ChromeOS, Helvetica Neue on macOS, DejaVu Sans on Debian (kaleido exports).
FONT_FAMILY: Final = "Marianne, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"

# Figure font sizes (px).
FONT_SIZE: Final = 14
TITLE_SIZE: Final = 22  # a chart's title; slides and reports derive theirs from it
SUBTITLE_SIZE: Final = 15
SOURCE_SIZE: Final = 12
AXIS_SIZE: Final = 13  # tick labels
LEGEND_SIZE: Final = 13
LABEL_SIZE: Final = 13  # the values written by the bars and points, and the « non publié » marks
HOVER_SIZE: Final = 14
UNPUBLISHED_SIZE: Final = 40  # the « non publié » of a chart with nothing to show
# Plotly.js's distance between two lines of text, in em: the room reserved for wrapped text.
LINE_HEIGHT: Final = 1.3

# Projected charts: every text of a figure this much larger (13 px → 18,9 px; a 22 px title → 31,9 px).
PROJECTOR_FACTOR: Final = 1.45
# Slides (pt, on a 13.3 in slide shown 1280 px wide: 14 pt is about 19 px). A chart's slide title is its
# figure's title as projected (``slide_title_pt``).
SLIDE_COVER_TITLE_PT: Final = 40
SLIDE_KEY_VALUE_PT: Final = 28  # a key figure's value; the cover's caisses
SLIDE_LEAD_PT: Final = 24  # the cover's period
SLIDE_SUMMARY_PT: Final = 20  # a chart told in words, when it cannot be drawn
SLIDE_DATE_PT: Final = 18  # the cover's date and data version
SLIDE_SUBTITLE_PT: Final = 16
SLIDE_TEXT_PT: Final = 14  # chart texts, key figures' labels, table cells
SLIDE_LINK_PT: Final = 12
SLIDE_SOURCE_PT: Final = 11
SLIDE_FOOTER_PT: Final = 10
# Report pages (px of an A4 page 794 px wide): a chart's page title is the figure's title size.
REPORT_COVER_TITLE_SIZE: Final = 38
REPORT_KEY_VALUE_SIZE: Final = 22  # a key figure's value; the title page's caisses
REPORT_HEADING_SIZE: Final = 18  # « Sommaire »; the title page's period
REPORT_SUBHEADING_SIZE: Final = 15  # « Chiffres clés », « À retenir »; the title page's date
REPORT_SUBTITLE_SIZE: Final = 14
REPORT_NOTE_SIZE: Final = 13.5
REPORT_CONTENTS_SIZE: Final = 12.5
REPORT_LABEL_SIZE: Final = 12  # the section above a chart's title, key figures' labels
REPORT_SOURCE_SIZE: Final = 11
REPORT_FOOTER_SIZE: Final = 10.5

# Page sizes for app.css.
PAGE_FONT_SIZE: Final = "16px"
SPACING: Final = "0.5rem"
RADIUS: Final = "0.5rem"

# Figure margins (px): the top grows with the title block, the bottom with the source line (frame.finish).
MARGIN_SIDE: Final = 24
MARGIN_RIGHT: Final = 48

# Presentation export size: 16:9 at twice the pixels for a sharp projector image.
EXPORT_WIDTH: Final = 1600
EXPORT_HEIGHT: Final = 900
EXPORT_SCALE: Final = 2

_NBSP: Final = "\u00a0"


def _axis() -> dict[str, Any]:
    return {
        "automargin": True,
        "gridcolor": GRID,
        "linecolor": AXIS,
        "zerolinecolor": AXIS,
        "tickcolor": AXIS,
        "ticks": "",
        "title": {"standoff": 12},
        # Full French numbers on axes ("3 872 394"), never "3.8M"; years are categories, so never "2 024".
        "exponentformat": "none",
        "separatethousands": True,
        "tickfont": {"size": AXIS_SIZE, "color": TEXT},
    }


def build_template() -> go.layout.Template:
    """The plotly template of every figure, from the colours and sizes above (``TEMPLATE``)."""
    return go.layout.Template(
        layout={
            "colorway": list(PALETTE),
            "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT},
            "paper_bgcolor": BACKGROUND,
            "plot_bgcolor": BACKGROUND,
            # Decimal comma, then the thousands separator: a no-break space (U+202F is missing from some
            # fonts).
            "separators": f",{_NBSP}",
            "title": {
                "x": 0,
                "xref": "container",
                "xanchor": "left",
                "y": 1,
                "yref": "container",
                "yanchor": "top",
                "pad": {"t": 20, "l": MARGIN_SIDE},
                "font": {"size": TITLE_SIZE, "color": TEXT},
                "subtitle": {"font": {"size": SUBTITLE_SIZE, "color": MUTED}},
            },
            # Horizontal, left-aligned, just above the plot area: placed in pixels from the plot whatever
            # the figure's height (a legend under the plot is placed in fractions of the plot height and
            # collides with wrapped tick labels and the source line at some sizes).
            "legend": {
                "orientation": "h",
                "x": 0,
                "xref": "paper",
                "xanchor": "left",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "font": {"size": LEGEND_SIZE},
                "title": {"text": ""},
            },
            "margin": {"t": 110, "b": 70, "l": MARGIN_SIDE, "r": MARGIN_RIGHT, "pad": 4},
            "xaxis": _axis(),
            "yaxis": _axis(),
            "hoverlabel": {
                "font": {"family": FONT_FAMILY, "size": HOVER_SIZE},
                "bgcolor": BACKGROUND,
                "bordercolor": BORDER,
            },
            "hovermode": "closest",
            # No zoom or pan by dragging: nothing to explore on a handful of bars or a donut, and a stray
            # drag left a chart zoomed with no button to reset it.
            "dragmode": False,
            "bargap": 0.25,
            "bargroupgap": 0.08,
        }
    )


TEMPLATE: Final = build_template()

ImageFormat = Literal["png", "svg"]


def graph_config(filename: str, fmt: ImageFormat = "png") -> dict[str, Any]:
    """The plotly config of a dcc.Graph: French toolbar, presentation-sized image download.

    Plotly's toolbar has a single download button, whose format is set here; a panel that offers both
    formats renders the graph with ``fmt="png"`` and links to the SVG (or uses the server-side export).
    The French texts come from ``assets/fr.js`` (plotly.js's own "fr" locale, see the comment there).

    The config stays the same whatever the filters (see ``with_export_name`` for the file name that follows
    them): ``filename`` is only the fallback of a chart not drawn yet.

    Args:
        filename: The download's fallback file name without extension.
        fmt: "png" (1600×900 at scale 2) or "svg" (1600×900, vector).

    Returns:
        The dict to pass as ``dcc.Graph(config=...)``.
    """
    return {
        "locale": "fr",
        "displaylogo": False,
        "responsive": True,
        # Dash 4 otherwise shows a "Share chart..." button that posts the figure's data to Plotly's cloud.
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "plotlyServerURL": "",
        # Only the image download: zoom, pan and autoscale serve nothing on bars and donuts, and each
        # button was one more tab stop before the card's own buttons.
        "modeBarButtons": [["toImage"]],
        "scrollZoom": False,
        "doubleClick": False,
        "toImageButtonOptions": {
            "format": fmt,
            "filename": filename,
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
            "scale": EXPORT_SCALE if fmt == "png" else 1,
        },
    }


EXPORT_NAME_KEY: Final = "export_filename"


def with_export_name(figure: dict[str, Any], filename: str) -> dict[str, Any]:
    """The figure (plotly JSON) carrying its download file name in ``layout.meta``.

    The name follows the filters. Kept out of the graph's ``config``, it leaves that config constant: a
    changed config makes plotly.js redraw a chart from scratch instead of updating it. ``assets/export.js``
    hands the name to the toolbar's camera and to the export buttons when a download starts.

    Args:
        figure: A figure as ``go.Figure.to_plotly_json()`` returns it.
        filename: The download's file name without extension (see ``export_filename``).

    Returns:
        A new figure dict; the one given is left as it was.
    """
    layout = dict(figure.get("layout") or {})
    layout["meta"] = {EXPORT_NAME_KEY: filename}
    return {**figure, "layout": layout}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def export_filename(panel: str, caisses: Sequence[str], year: int) -> str:
    """A safe ASCII file name for a downloaded chart: "canaux-de-contact_cpam-21_2024".

    Args:
        panel: The panel's title or key ("Canaux de contact").
        caisses: The selected caisse codes or names; more than three read "4-caisses".
        year: The year shown.

    Returns:
        Lower-case letters, digits, "-" and "_" only, without extension, at most 120 characters.
    """
    slugs = [s for s in (_slug(c) for c in caisses) if s]
    if not slugs:
        who = "toutes-caisses"
    elif len(slugs) > 3:
        who = f"{len(slugs)}-caisses"
    else:
        who = "-".join(slugs)
    name = "_".join(part for part in (_slug(panel) or "graphique", who, str(int(year))) if part)
    return name[:120].rstrip("-_")


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance of a "#RRGGBB" colour."""
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio between two "#RRGGBB" colours (1 to 21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_color_on(fill: str) -> str:
    """The text colour (TEXT or white) that reads best on a filled shape, such as a stacked bar segment."""
    return TEXT if contrast_ratio(TEXT, fill) >= contrast_ratio(ON_PRIMARY, fill) else ON_PRIMARY


def series_colors(keys: Iterable[str]) -> dict[str, str]:
    """A palette colour for each key, in sorted order, so a caisse keeps its colour across a page's charts."""
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(sorted(set(keys)))}


# How much title fits on one line of a slide's title box, in characters × points (52 characters at 32 pt).
_SLIDE_TITLE_LINE: Final = 52 * 32


def slide_title_pt(text: str) -> int:
    """A chart's title on its slide (pt): the figure's title as projected, smaller for a long title.

    The size goes down by 4 pt at a time, three times at most, until the title holds on two lines.
    """
    largest = round(TITLE_SIZE * PROJECTOR_FACTOR)
    for size in range(largest, largest - 13, -4):
        if len(text) <= 2 * _SLIDE_TITLE_LINE / size:
            return size
    return largest - 12


def rgb_triplet(color: str) -> str:
    """A "#RRGGBB" colour as "R, G, B", what Bootstrap's ``--bs-*-rgb`` properties hold."""
    return ", ".join(str(int(color.lstrip("#")[i : i + 2], 16)) for i in (0, 2, 4))


def css_variables() -> dict[str, str]:
    """The CSS custom properties that ``assets/app.css`` must declare in ``:root``, with these values."""
    variables = {
        "--cpam-primary": PRIMARY,
        "--cpam-primary-rgb": rgb_triplet(PRIMARY),
        "--cpam-primary-hover": PRIMARY_HOVER,
        "--cpam-primary-active": PRIMARY_ACTIVE,
        "--cpam-on-primary": ON_PRIMARY,
        "--cpam-text": TEXT,
        "--cpam-text-rgb": rgb_triplet(TEXT),
        "--cpam-muted": MUTED,
        "--cpam-unpublished": UNPUBLISHED,
        "--cpam-background": BACKGROUND,
        "--cpam-surface": SURFACE,
        "--cpam-border": BORDER,
        "--cpam-grid": GRID,
        "--cpam-focus": FOCUS,
        "--cpam-font-family": FONT_FAMILY,
        "--cpam-font-size": PAGE_FONT_SIZE,
        "--cpam-spacing": SPACING,
        "--cpam-radius": RADIUS,
    }
    variables.update({f"--cpam-palette-{i}": color for i, color in enumerate(PALETTE, start=1)})
    return variables


# Tables (dash_table) take inline styles: the same font and colours as the rest of the page.
TABLE_CELL_STYLE: Final[dict[str, str]] = {
    "fontFamily": FONT_FAMILY,
    "fontSize": "0.9375rem",
    "color": TEXT,
    "textAlign": "left",
    "whiteSpace": "normal",
    "height": "auto",
    "padding": "6px 8px",
}
TABLE_HEADER_STYLE: Final[dict[str, str]] = {"fontWeight": "bold", "backgroundColor": SURFACE, "color": TEXT}
