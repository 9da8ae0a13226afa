"""The dossier as an A4 PDF report: a title page with a contents list, then one page per chart.

Every page is drawn by the same Chromium as the images (kaleido) and assembled with pypdf: a page is one
plotly figure the size of an A4 page, its words (title, selection, key figures, sentence, source, footer)
as annotations around the chart, whose margins place it in its box. Text stays text (searchable,
selectable) and charts stay vector, with no second typesetting library; each page costs one drawing.
"""

from __future__ import annotations

import io
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any, Final

import plotly.graph_objects as go
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link

from dashboard import theme
from dashboard.export.dossier import INSET_HEIGHT, INSET_WIDTH, Dossier, DossierFigure, Progress, inset_figure
from dashboard.export.images import ImageRenderer
from dashboard.export.projector import for_projector
from dashboard.export.provenance import pdf_metadata
from dashboard.figures.layout import chars_in, escape, line_px, wrap
from dashboard.formatting import format_date, format_number

# A4 portrait at 96 px per inch (210 × 297 mm); kaleido makes PDF pages of 0.75 pt per layout pixel.
PAGE_WIDTH: Final = 794
PAGE_HEIGHT: Final = 1123
PT_PER_PX: Final = 0.75
MARGIN: Final = 56  # about 15 mm
CONTENT_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN
CHART_HEIGHT: Final = round(CONTENT_WIDTH * INSET_HEIGHT / INSET_WIDTH)
PDF_MIMETYPE: Final = "application/pdf"
# Contents entries on the title page, then on each following contents page (one line of 12.5 pt each,
# above the footer): a long dossier gets as many contents pages as it needs.
TOC_FIRST: Final = 24
TOC_NEXT: Final = 42
# The chart is drawn 800 px wide and placed 682 px wide on the page: 13 px text × 1.25 × 682 / 800 is
# 13.9 px of a 794 px page, 22 px at the scale of a 1280 px screen.
REPORT_TEXT_FACTOR: Final = 1.25
# Pages drawn at once: the renderer's Chromium has as many tabs (``images.TABS``), one per core here.
RENDER_AT_ONCE: Final = 2


@dataclass
class _Page:
    """Words placed on an A4 page, top to bottom, and the areas that link somewhere."""

    y: float = MARGIN
    annotations: list[dict[str, Any]] = field(default_factory=list)
    links: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)

    def text(
        self,
        text: str,
        size: float,
        *,
        color: str = theme.TEXT,
        bold: bool = False,
        x: float = MARGIN,
        width: float = CONTENT_WIDTH,
        max_lines: int | None = 3,
        gap: float = 8,
        y: float | None = None,
        anchor: str = "left",
        link: str | None = None,
    ) -> float:
        """Write wrapped text at the cursor (or at ``y``); return the height it took."""
        top = self.y if y is None else y
        lines = wrap(text, max(8, chars_in(width, size, bold=bold)), max_lines) or [""]
        body = "<br>".join(escape(line) for line in lines)
        self.annotations.append(
            {
                "text": f"<b>{body}</b>" if bold else body,
                "x": x,
                "y": top,
                "xref": "x",
                "yref": "y",
                "xanchor": anchor,
                "yanchor": "top",
                "align": anchor,
                "showarrow": False,
                "font": {"size": size, "color": color},
            }
        )
        height = len(lines) * line_px(size)
        if link is not None:
            self.links.append(((x, top, x + width, top + height), link))
        if y is None:
            self.y += height + gap
        return height

    def figure(self) -> go.Figure:
        """The page as a text-only figure of A4 size (y grows downwards, in pixels)."""
        hidden = {"visible": False, "fixedrange": True}
        return go.Figure(
            layout={
                "template": theme.TEMPLATE,
                "width": PAGE_WIDTH,
                "height": PAGE_HEIGHT,
                "margin": {"t": 0, "b": 0, "l": 0, "r": 0, "pad": 0},
                "xaxis": {**hidden, "range": [0, PAGE_WIDTH]},
                "yaxis": {**hidden, "range": [PAGE_HEIGHT, 0]},
                "showlegend": False,
                "annotations": self.annotations,
            }
        )


def _footer(page: _Page, dossier: Dossier, number: int, total: int, url: str) -> None:
    bottom = PAGE_HEIGHT - MARGIN
    shown = url if len(url) <= 110 else url[:109] + "…"
    lines = (
        (f"Vue d'origine : {shown}", theme.PRIMARY, url),
        (f"{dossier.title} · {dossier.provenance.footer()} · page {number} sur {total}", theme.MUTED, None),
    )
    for row, (text, color, link) in enumerate(lines):  # one line each, 18 px apart
        page.text(
            text, theme.REPORT_FOOTER_SIZE, color=color, y=bottom - 34 + 18 * row, max_lines=1, link=link
        )


def toc_page_count(figures: int) -> int:
    """How many pages the title page and the contents take for that many charts."""
    rest = max(0, figures - TOC_FIRST)
    return 1 + -(-rest // TOC_NEXT)


def _toc_entries(page: _Page, entries: list[tuple[str, int]]) -> None:
    for label, number in entries:
        page.text(label, theme.REPORT_CONTENTS_SIZE, max_lines=1, width=CONTENT_WIDTH - 70, gap=0, y=page.y)
        page.text(
            f"page {format_number(number)}",
            theme.REPORT_CONTENTS_SIZE,
            color=theme.MUTED,
            x=PAGE_WIDTH - MARGIN,
            anchor="right",
            gap=3,
        )


def contents_pages(dossier: Dossier, total: int) -> list[_Page]:
    """The title page (what, who, when, data version) with the start of the contents, then its other pages."""
    first_chart = toc_page_count(len(dossier.figures)) + 1
    entries = [(f"{item.section} — {item.title}", first_chart + i) for i, item in enumerate(dossier.figures)]
    page = _Page(y=170)
    prov = dossier.provenance
    page.text(dossier.title, theme.REPORT_COVER_TITLE_SIZE, bold=True, gap=24)
    page.text(dossier.caisses, theme.REPORT_KEY_VALUE_SIZE, bold=True, gap=6)
    page.text(dossier.period, theme.REPORT_HEADING_SIZE, gap=6)
    page.text(
        f"Préparé le {format_date(prov.exported)} · données version {prov.data_version}",
        theme.REPORT_SUBHEADING_SIZE,
        color=theme.MUTED,
        gap=6,
    )
    page.y += 30
    page.text("Sommaire", theme.REPORT_HEADING_SIZE, bold=True, gap=10)
    _toc_entries(page, entries[:TOC_FIRST])
    _footer(page, dossier, 1, total, prov.url)
    pages = [page]
    for start in range(TOC_FIRST, len(entries), TOC_NEXT):
        page = _Page()
        page.text("Sommaire (suite)", theme.REPORT_HEADING_SIZE, bold=True, gap=10)
        _toc_entries(page, entries[start : start + TOC_NEXT])
        _footer(page, dossier, len(pages) + 1, total, prov.url)
        pages.append(page)
    return pages


def _figure_page(dossier: Dossier, item: DossierFigure, number: int, total: int) -> tuple[_Page, float]:
    page = _Page()
    page.text(item.section, theme.REPORT_LABEL_SIZE, color=theme.MUTED, gap=4)
    page.text(item.title, theme.TITLE_SIZE, bold=True, gap=4)
    page.text(item.subtitle, theme.REPORT_SUBTITLE_SIZE, color=theme.MUTED, gap=12)
    chart_top = page.y
    page.y += CHART_HEIGHT + 20
    if item.key_numbers:
        page.text("Chiffres clés", theme.REPORT_SUBHEADING_SIZE, bold=True, gap=6)
        column = CONTENT_WIDTH / len(item.key_numbers)
        top, tallest = page.y, 0.0
        for i, key_number in enumerate(item.key_numbers):
            x = MARGIN + i * column
            color = theme.PRIMARY if key_number.published else theme.UNPUBLISHED
            size = theme.REPORT_KEY_VALUE_SIZE
            height = page.text(key_number.value, size, bold=True, color=color, x=x, width=column - 12, y=top)
            height += page.text(
                key_number.label, theme.REPORT_LABEL_SIZE, x=x, width=column - 12, y=top + height + 2
            )
            tallest = max(tallest, height)
        page.y = top + tallest + 16
    page.text("À retenir", theme.REPORT_SUBHEADING_SIZE, bold=True, gap=6)
    page.text(item.note, theme.REPORT_NOTE_SIZE, max_lines=6, gap=14)
    page.text(item.source, theme.REPORT_SOURCE_SIZE, color=theme.MUTED, max_lines=4)
    _footer(page, dossier, number, total, item.url)
    return page, chart_top


def _page_with_chart(page: _Page, chart: dict[str, Any], chart_top: float) -> dict[str, Any]:
    """The page's words and its chart as one figure, so Chromium draws each page once.

    The chart is laid out as if drawn ``INSET_WIDTH`` wide then scaled into the page's chart box: its text
    and margins are scaled by the same ratio, and the box's surroundings become the figure's margins. The
    page's words, placed in page pixels, are moved to the chart's paper coordinates (outside [0, 1] is
    allowed and drawn).
    """
    scale = CONTENT_WIDTH / INSET_WIDTH
    # Text and the top and bottom margins (which for_projector grows with the text) at the placed size.
    merged = for_projector(chart, REPORT_TEXT_FACTOR * scale)
    layout = merged["layout"]
    own, default = layout.get("margin", {}), theme.TEMPLATE.layout.margin
    inner = {
        "l": scale * float(own.get("l", default.l)),
        "r": scale * float(own.get("r", default.r)),
        "t": float(own.get("t", scale * REPORT_TEXT_FACTOR * default.t)),
        "b": float(own.get("b", scale * REPORT_TEXT_FACTOR * default.b)),
    }
    margin = {
        "l": MARGIN + inner["l"],
        "r": PAGE_WIDTH - MARGIN - CONTENT_WIDTH + inner["r"],
        "t": chart_top + inner["t"],
        "b": PAGE_HEIGHT - chart_top - CHART_HEIGHT + inner["b"],
    }
    width = PAGE_WIDTH - margin["l"] - margin["r"]
    height = PAGE_HEIGHT - margin["t"] - margin["b"]
    words = [
        {
            **note,
            "xref": "paper",
            "yref": "paper",
            "x": (note["x"] - margin["l"]) / width,
            "y": 1 - (note["y"] - margin["t"]) / height,
        }
        for note in page.annotations
    ]
    layout.update(
        width=PAGE_WIDTH,
        height=PAGE_HEIGHT,
        margin={**margin, "pad": scale * float(own.get("pad", default.pad or 0))},
        annotations=[*layout.get("annotations", []), *words],
    )
    layout.pop("title", None)
    return merged


def _first_page(data: bytes) -> Any:
    return PdfReader(io.BytesIO(data)).pages[0]


def _render_all(
    renderer: ImageRenderer, drawings: list[tuple[Any, int, int]]
) -> Generator[bytes, None, None]:
    """The PDF of each (figure, width, height), in order, drawn ``RENDER_AT_ONCE`` at a time."""
    with ThreadPoolExecutor(RENDER_AT_ONCE, thread_name_prefix="report-page") as pool:
        futures = [pool.submit(renderer.render, f, "pdf", width=w, height=h) for f, w, h in drawings]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:  # a failed page stops the report: the rest is not drawn
                future.cancel()


def _add_links(writer: PdfWriter, index: int, page: _Page) -> None:
    height_pt = PAGE_HEIGHT * PT_PER_PX
    for (x0, y0, x1, y1), url in page.links:
        rect = (x0 * PT_PER_PX, height_pt - y1 * PT_PER_PX, x1 * PT_PER_PX, height_pt - y0 * PT_PER_PX)
        writer.add_annotation(index, Link(rect=rect, url=url))


def build_report(dossier: Dossier, renderer: ImageRenderer, *, progress: Progress | None = None) -> bytes:
    """The dossier as an A4 PDF.

    Args:
        dossier: What to show.
        renderer: Draws the pages and the charts (vector PDF).
        progress: Called with (done, total, French message) after each chart page; ``total`` counts every
            page, so the bar and the words give the same « n sur total ».

    Returns:
        The file's bytes: a title page with the contents (continued on as many pages as needed), then one
        page per chart.
    """
    writer = PdfWriter()
    first_chart = toc_page_count(len(dossier.figures)) + 1
    total = first_chart - 1 + len(dossier.figures)
    contents = contents_pages(dossier, total)
    pages = [
        _figure_page(dossier, item, n, total) for n, item in enumerate(dossier.figures, start=first_chart)
    ]
    # Every drawing is known before the first is made, so Chromium draws them two at a time.
    drawings: list[tuple[Any, int, int]] = [(p.figure(), PAGE_WIDTH, PAGE_HEIGHT) for p in contents]
    for (page, chart_top), item in zip(pages, dossier.figures, strict=True):
        chart = _page_with_chart(page, inset_figure(item.drawn).to_plotly_json(), chart_top)
        drawings.append((chart, PAGE_WIDTH, PAGE_HEIGHT))
    with closing(_render_all(renderer, drawings)) as drawn:  # stops the drawing if a page fails
        for index, page in enumerate(contents):
            writer.add_page(_first_page(next(drawn)))
            _add_links(writer, index, page)
        for number, item, (page, _) in zip(
            range(first_chart, total + 1), dossier.figures, pages, strict=True
        ):
            writer.add_page(_first_page(next(drawn)))
            _add_links(writer, number - 1, page)
            writer.add_outline_item(title=f"{item.section} — {item.title}", page_number=number - 1)
            if progress is not None:
                progress(number, total, f"Page {number} sur {total} : {item.title}")
    writer.add_metadata(
        pdf_metadata(f"{dossier.title} — {dossier.caisses} — {dossier.period}", dossier.provenance)
    )
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
