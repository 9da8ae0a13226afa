"""The dossier as a PowerPoint deck (python-pptx) on a real 16:9 master: a cover, then one slide per chart.

Each chart slide holds its title (shrunk to fit, never overflowing), the selection, the chart as a native
PowerPoint chart (data embedded, editable in PowerPoint and LibreOffice, French number formats, the master's
theme colours, alt text), two to four key figures as editable text, the source as a footnote with a link
that reopens the same view, and the per-caisse sentence in the speaker's notes. A chart python-pptx cannot
draw falls back to a picture drawn by Chromium, with the same alt text. Every run of text is tagged fr-FR.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Final

from PIL import Image, ImageDraw, ImageFont
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard import theme
from dashboard.export.chart_data import NativeChart
from dashboard.export.deck_layouts import find_layout, open_master
from dashboard.export.dossier import INSET_HEIGHT, INSET_WIDTH, Dossier, DossierFigure, Progress, inset_figure
from dashboard.export.images import ImageRenderer
from dashboard.export.projector import for_projector
from dashboard.export.since import SINCE_TITLE
from dashboard.formatting import format_date

PPTX_MIMETYPE: Final = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SLIDE_WIDTH: Final = Inches(13.333)
MARGIN: Final = Inches(0.5)
CHART_TOP: Final = Inches(1.5)
CHART_WIDTH: Final = Inches(8.6)
CHART_HEIGHT: Final = Inches(4.95)
PICTURE_HEIGHT: Final = Emu(round(CHART_WIDTH * INSET_HEIGHT / INSET_WIDTH))
NUMBERS_LEFT: Final = MARGIN + CHART_WIDTH + Inches(0.3)
NUMBERS_WIDTH: Final = SLIDE_WIDTH - NUMBERS_LEFT - MARGIN
DEFAULT_PICTURE_SCALE: Final = 2.0  # 1 600 px across 8.6 in: about 190 dpi, sharp on a projector
_ACCENTS: Final = (
    MSO_THEME_COLOR.ACCENT_1,
    MSO_THEME_COLOR.ACCENT_2,
    MSO_THEME_COLOR.ACCENT_3,
    MSO_THEME_COLOR.ACCENT_4,
    MSO_THEME_COLOR.ACCENT_5,
    MSO_THEME_COLOR.ACCENT_6,
)
_CHART_TYPES: Final = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "donut": XL_CHART_TYPE.DOUGHNUT,
    "stacked": XL_CHART_TYPE.BAR_STACKED_100,
}


def _fit(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _french(font: Any) -> None:
    font.language_id = MSO_LANGUAGE_ID.FRENCH


def _write(
    text_frame: Any, lines: list[tuple[str, int, bool, str]], *, link: tuple[str, str] | None = None
) -> None:
    """Fill a text frame with (text, size in pt, bold, colour) paragraphs; an optional last linked line."""
    text_frame.clear()
    text_frame.word_wrap = True
    paragraphs = []
    for i, (text, size, bold, color) in enumerate(lines):
        paragraph = text_frame.paragraphs[0] if i == 0 else text_frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(color)
        _french(run.font)
        paragraphs.append(paragraph)
    if link is not None:
        label, url = link
        paragraph = text_frame.add_paragraph() if paragraphs else text_frame.paragraphs[0]
        run = paragraph.add_run()
        run.text = label
        run.font.size = Pt(theme.SLIDE_LINK_PT)
        run.font.color.rgb = _rgb(theme.PRIMARY)
        run.font.underline = True
        _french(run.font)
        run.hyperlink.address = url


def _title(slide: Any, text: str, top: int, height: int) -> None:
    """The slide's title placeholder: sized to its text, and told to shrink rather than overflow."""
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, height
    _write(title.text_frame, [(text, theme.slide_title_pt(text), True, theme.TEXT)])
    frame = title.text_frame
    frame.margin_left = frame.margin_right = 0  # aligned with the subtitle and the chart below
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.paragraphs[0].alignment = PP_ALIGN.LEFT


def _textbox(slide: Any, left: int, top: int, width: int, height: int) -> Any:
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.margin_left = box.text_frame.margin_right = 0
    return box.text_frame


def _set_alt_text(shape: Any, name: str, text: str) -> None:
    shape.name = name
    # python-pptx has no public setter for the alt text (cNvPr@descr).
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _cover(prs: Any, dossier: Dossier) -> None:
    """The cover: what, who, which year against which, data version and date; no query string."""
    slide = prs.slides.add_slide(find_layout(prs, "title"))
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.8), Inches(1.4), Inches(11.7), Inches(1.5)
    _write(title.text_frame, [(dossier.title, theme.SLIDE_COVER_TITLE_PT, True, theme.TEXT)])
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    prov = dossier.provenance
    lines = [
        (dossier.caisses, theme.SLIDE_KEY_VALUE_PT, True, theme.TEXT),
        (dossier.period, theme.SLIDE_LEAD_PT, False, theme.TEXT),
        (
            f"Préparé le {format_date(prov.exported)} · données version {prov.data_version}",
            theme.SLIDE_DATE_PT,
            False,
            theme.MUTED,
        ),
    ]
    body = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
    frame = body.text_frame if body is not None else _textbox(slide, 0, 0, 0, 0)
    shape = body if body is not None else None
    if shape is not None:
        shape.left, shape.top, shape.width, shape.height = Inches(0.8), Inches(3.2), Inches(11.7), Inches(3)
    _write(frame, lines, link=("Ouvrir la même vue dans le tableau de bord", prov.url))
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    slide.notes_slide.notes_text_frame.text = (
        f"{dossier.title} : {len(dossier.figures)} graphique(s). {prov.description()}"
    )


SINCE_ROWS: Final = 12  # table rows that stay readable on a projected slide


def _since_slide(prs: Any, dossier: Dossier) -> None:
    """« Depuis le dernier comité »: the figures new, changed (before → after, which import) and withdrawn."""
    since = dossier.since
    assert since is not None
    slide = prs.slides.add_slide(find_layout(prs, "table"))
    _title(slide, SINCE_TITLE, Inches(0.25), Inches(0.85))
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx != 0:
            ph._element.getparent().remove(ph._element)
    heading = _textbox(slide, MARGIN, Inches(1.08), SLIDE_WIDTH - 2 * MARGIN, Inches(0.45))
    _write(heading, [(f"{since.heading} : {since.summary}", theme.SLIDE_SUBTITLE_PT, False, theme.MUTED)])
    shown = since.lines[:SINCE_ROWS]
    if shown:
        rows, widths = len(shown) + 1, (Inches(1.3), Inches(5.6), Inches(1.6), Inches(1.6), Inches(2.23))
        table = slide.shapes.add_table(rows, 5, MARGIN, Inches(1.6), sum(widths), Inches(0.4) * rows).table
        for i, width in enumerate(widths):
            table.columns[i].width = width
        header = ("", "Chiffre", "Au dernier comité", "Maintenant", "Origine")
        cells = [header, *((ln.kind, ln.figure, ln.before, ln.after, ln.origin) for ln in shown)]
        for r, values in enumerate(cells):
            for c, value in enumerate(values):
                frame = table.cell(r, c).text_frame
                size = theme.SLIDE_TEXT_PT if c != 4 else theme.SLIDE_LINK_PT
                _write(frame, [(value, size, r == 0, theme.TEXT)])
    rest = len(since.lines) - len(shown)
    if rest > 0 or not shown:
        words = (
            f"… et {rest} autre(s) changement(s) : la page « Comité de pilotage » les montre tous."
            if shown
            else "Aucun chiffre de cette sélection n'a changé depuis ce comité."
        )
        box = _textbox(slide, MARGIN, Inches(6.6), SLIDE_WIDTH - 2 * MARGIN, Inches(0.5))
        _write(box, [(words, theme.SLIDE_TEXT_PT, False, theme.MUTED)])
    slide.notes_slide.notes_text_frame.text = f"{since.heading}. {since.summary}"


def _section(prs: Any, name: str) -> None:
    slide = prs.slides.add_slide(find_layout(prs, "section"))
    _title(slide, name, Inches(2.6), Inches(1.5))
    for ph in slide.placeholders:
        if ph.placeholder_format.idx != 0:
            ph._element.getparent().remove(ph._element)  # an empty « cliquez pour ajouter » box


def _chart_shape(slide: Any, chart: NativeChart, left: int, top: int, width: int, height: int) -> Any:
    data = CategoryChartData(number_format=chart.number_format)
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.points), number_format=chart.number_format)
    kind = _CHART_TYPES[chart.kind]
    if chart.kind == "bar" and (len(chart.categories) > 4 or max(map(len, chart.categories)) > 30):
        kind = XL_CHART_TYPE.BAR_CLUSTERED  # long names read better on horizontal bars
    frame = slide.shapes.add_chart(kind, left, top, width, height, data)
    drawn = frame.chart
    drawn.font.size = Pt(theme.SLIDE_TEXT_PT)
    _french(drawn.font)
    drawn.has_title = False
    many = len(chart.series) > 1 or chart.kind == "donut"
    drawn.has_legend = many
    if many:
        drawn.legend.position = XL_LEGEND_POSITION.BOTTOM
        drawn.legend.include_in_layout = False
        drawn.legend.font.size = Pt(theme.SLIDE_TEXT_PT)
    plot = drawn.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = chart.number_format
    labels.number_format_is_linked = False
    labels.font.size = Pt(theme.SLIDE_TEXT_PT)
    if chart.kind == "donut":
        plot.vary_by_categories = True
        for i, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.theme_color = _ACCENTS[i % len(_ACCENTS)]
    else:
        if chart.kind == "bar":
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        for i, series in enumerate(plot.series):
            fill = series.format.fill if chart.kind != "line" else series.format.line.fill
            fill.solid()
            fill.fore_color.theme_color = _ACCENTS[i % len(_ACCENTS)]
        value_axis = drawn.value_axis
        value_axis.tick_labels.number_format = chart.number_format
        value_axis.tick_labels.number_format_is_linked = False
        value_axis.tick_labels.font.size = Pt(theme.SLIDE_TEXT_PT)
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = _rgb(theme.GRID)
        drawn.category_axis.tick_labels.font.size = Pt(theme.SLIDE_TEXT_PT)
    return frame


def _chart_or_picture(
    slide: Any, item: DossierFigure, renderer: ImageRenderer | None, picture_scale: float
) -> None:
    if item.chart is not None and not item.chart.empty:
        shape = _chart_shape(slide, item.chart, MARGIN, CHART_TOP, CHART_WIDTH, CHART_HEIGHT)
    elif item.chart is None and item.figure is not None and renderer is not None:
        inset = for_projector(inset_figure(item.drawn).to_plotly_json())
        picture = renderer.render(inset, "png", width=INSET_WIDTH, height=INSET_HEIGHT, scale=picture_scale)
        shape = slide.shapes.add_picture(io.BytesIO(picture), MARGIN, CHART_TOP, CHART_WIDTH, PICTURE_HEIGHT)
    else:
        box = _textbox(slide, MARGIN, CHART_TOP, CHART_WIDTH, CHART_HEIGHT)
        _write(box, [(item.summary, theme.SLIDE_SUMMARY_PT, False, theme.UNPUBLISHED)])
        return
    _set_alt_text(shape, f"Graphique : {item.title}", item.summary)


def _figure_slide(
    prs: Any, dossier: Dossier, item: DossierFigure, renderer: ImageRenderer | None, picture_scale: float
) -> None:
    slide = prs.slides.add_slide(find_layout(prs, "chart"))
    _title(slide, item.title, Inches(0.25), Inches(0.85))
    subtitle = _textbox(slide, MARGIN, Inches(1.08), SLIDE_WIDTH - 2 * MARGIN, Inches(0.4))
    _write(subtitle, [(f"{item.section} · {item.subtitle}", theme.SLIDE_SUBTITLE_PT, False, theme.MUTED)])
    _chart_or_picture(slide, item, renderer, picture_scale)
    block = Inches(1.2)
    for i, number in enumerate(item.key_numbers):
        box = _textbox(slide, NUMBERS_LEFT, CHART_TOP + i * block, NUMBERS_WIDTH, block - Inches(0.1))
        color = theme.PRIMARY if number.published else theme.UNPUBLISHED
        value = (number.value, theme.SLIDE_KEY_VALUE_PT, True, color)
        _write(box, [value, (number.label, theme.SLIDE_TEXT_PT, False, theme.TEXT)])
    footnote = _textbox(slide, MARGIN, Inches(6.55), SLIDE_WIDTH - 2 * MARGIN, Inches(0.8))
    _write(
        footnote,
        [
            (item.source, theme.SLIDE_SOURCE_PT, False, theme.MUTED),
            (dossier.provenance.footer(), theme.SLIDE_FOOTER_PT, False, theme.MUTED),
        ],
        link=("Ouvrir cette vue dans le tableau de bord", item.url),
    )
    slide.notes_slide.notes_text_frame.text = f"{item.note}\n\nCe que montre le graphique : {item.summary}"


THUMBNAIL_SIZE: Final = (256, 144)
_THUMBNAIL_FONTS: Final = ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "Carlito-Bold.ttf")


def _font(size: int) -> Any:
    for name in _THUMBNAIL_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def cover_thumbnail(dossier: Dossier) -> bytes:
    """The file's thumbnail (what a file browser shows): the cover's words on the master's white, as JPEG."""
    image = Image.new("RGB", THUMBNAIL_SIZE, theme.BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, THUMBNAIL_SIZE[0], 6), fill=theme.PRIMARY)
    lines = (
        (dossier.title, 17, theme.TEXT),
        (dossier.caisses, 13, theme.TEXT),
        (dossier.period, 12, theme.MUTED),
    )
    y = 40
    for text, size, colour in lines:
        draw.text((14, y), _fit(text, 34), font=_font(size), fill=colour)
        y += size + 12
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _set_thumbnail(prs: Any, data: bytes) -> None:
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/thumbnail.jpeg":
            part._blob = data  # python-pptx keeps the template's picture; it has no public setter
            return


def slide_count(dossier: Dossier) -> int:
    """The slides the deck will hold: the cover, the section dividers (several sections only), the charts."""
    sections = len(dict.fromkeys(item.section for item in dossier.figures))
    since = 1 if dossier.since is not None else 0
    return 1 + since + (sections if sections > 1 else 0) + len(dossier.figures)


def build_deck(
    dossier: Dossier,
    renderer: ImageRenderer | None = None,
    *,
    template: Path | None = None,
    picture_scale: float = DEFAULT_PICTURE_SCALE,
    progress: Progress | None = None,
) -> bytes:
    """The dossier as a .pptx file.

    Args:
        dossier: What to show.
        renderer: Draws the charts that have no native form (None: a text stands in for them).
        template: A caisse's own master (``TDB_DECK_TEMPLATE``); by default the shipped 16:9 one.
        picture_scale: Pixel ratio of the fallback pictures.
        progress: Called with (done, total, French message) after each slide, the total counting every slide.

    Returns:
        The file's bytes.
    """
    prs = open_master(template)
    props, prov = prs.core_properties, dossier.provenance
    # Document properties hold at most 255 characters each; the slides hold the full texts and links.
    props.title = _fit(f"{dossier.title} — {dossier.caisses} — {dossier.period}")
    props.subject = _fit(f"Filtres : {prov.selection} — version des données {prov.data_version}")
    props.keywords = _fit(f"version des données {prov.data_version}; {prov.query}")
    props.comments = _fit(prov.url)
    props.language = "fr-FR"
    props.author = "Tableau de bord de la qualité de service des CPAM"
    total = slide_count(dossier)
    _cover(prs, dossier)
    done = 1
    if dossier.since is not None:
        _since_slide(prs, dossier)
        done += 1
    several = len(dict.fromkeys(item.section for item in dossier.figures)) > 1
    section = None
    for item in dossier.figures:
        if several and item.section != section:
            section = item.section
            _section(prs, section)
            done += 1
        _figure_slide(prs, dossier, item, renderer, picture_scale)
        done += 1
        if progress is not None:
            progress(done, total, f"Diapositive {done} sur {total} : {item.title}")
    _set_thumbnail(prs, cover_thumbnail(dossier))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
