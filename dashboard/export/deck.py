"""The dossier as a PowerPoint deck (python-pptx): a title slide, then one 16:9 slide per chart.

Each chart slide holds its title, the selection, the chart as a picture (alt text: the chart's one-sentence
summary), two to four key figures as editable text boxes, the source as a footnote with a link that reopens
the same view, and a factual sentence in the speaker's notes.
"""

from __future__ import annotations

import io
from typing import Any, Final

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard import theme
from dashboard.export.dossier import INSET_HEIGHT, INSET_WIDTH, Dossier, DossierFigure, Progress, inset_figure
from dashboard.export.images import ImageRenderer
from dashboard.formatting import format_date

PPTX_MIMETYPE: Final = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SLIDE_WIDTH: Final = Inches(13.333)
SLIDE_HEIGHT: Final = Inches(7.5)
MARGIN: Final = Inches(0.5)
PICTURE_TOP: Final = Inches(1.45)
PICTURE_WIDTH: Final = Inches(8.6)
PICTURE_HEIGHT: Final = Emu(round(PICTURE_WIDTH * INSET_HEIGHT / INSET_WIDTH))
NUMBERS_LEFT: Final = MARGIN + PICTURE_WIDTH + Inches(0.3)
NUMBERS_WIDTH: Final = SLIDE_WIDTH - NUMBERS_LEFT - MARGIN
DEFAULT_PICTURE_SCALE: Final = 2.0  # 1 600 px across 8.6 in: about 190 dpi, sharp on a projector

_TITLE_LAYOUT: Final = 0
_TITLE_ONLY_LAYOUT: Final = 5


def _fit(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


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
        paragraphs.append(paragraph)
    if link is not None:
        label, url = link
        paragraph = text_frame.add_paragraph() if paragraphs else text_frame.paragraphs[0]
        run = paragraph.add_run()
        run.text = label
        run.font.size = Pt(10)
        run.font.color.rgb = _rgb(theme.PRIMARY)
        run.font.underline = True
        run.hyperlink.address = url


def _textbox(slide: Any, left: int, top: int, width: int, height: int) -> Any:
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.margin_left = box.text_frame.margin_right = 0
    return box.text_frame


def _place(shape: Any, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _title_slide(prs: Any, dossier: Dossier) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_LAYOUT])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    _place(title, Inches(0.8), Inches(1.6), SLIDE_WIDTH - Inches(1.6), Inches(1.4))
    _write(title.text_frame, [(dossier.title, 40, True, theme.TEXT)])
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _place(subtitle, Inches(0.8), Inches(3.2), SLIDE_WIDTH - Inches(1.6), Inches(3.2))
    prov = dossier.provenance
    _write(
        subtitle.text_frame,
        [
            (dossier.caisses, 24, True, theme.TEXT),
            (dossier.period, 20, False, theme.TEXT),
            (f"Exporté le {format_date(prov.exported)}", 16, False, theme.MUTED),
            (f"Filtres : {prov.query} · version des données {prov.data_version}", 12, False, theme.MUTED),
        ],
        link=("Ouvrir la même vue dans le tableau de bord", prov.url),
    )
    for paragraph in subtitle.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    slide.notes_slide.notes_text_frame.text = (
        f"{dossier.title} : {len(dossier.figures)} graphique(s). {prov.description()}"
    )


def _figure_slide(prs: Any, dossier: Dossier, item: DossierFigure, picture: bytes) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY_LAYOUT])
    title = slide.shapes.title
    _place(title, MARGIN, Inches(0.3), SLIDE_WIDTH - 2 * MARGIN, Inches(0.75))
    _write(title.text_frame, [(item.title, 26, True, theme.TEXT)])
    title.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT

    subtitle = _textbox(slide, MARGIN, Inches(0.98), SLIDE_WIDTH - 2 * MARGIN, Inches(0.4))
    _write(subtitle, [(f"{item.section} · {item.subtitle}", 14, False, theme.MUTED)])

    shape = slide.shapes.add_picture(io.BytesIO(picture), MARGIN, PICTURE_TOP, PICTURE_WIDTH, PICTURE_HEIGHT)
    shape.name = f"Graphique : {item.title}"
    shape._element.nvPicPr.cNvPr.set("descr", item.summary)  # alt text; python-pptx has no public setter

    block = Inches(1.2)
    for i, number in enumerate(item.key_numbers):
        box = _textbox(slide, NUMBERS_LEFT, PICTURE_TOP + i * block, NUMBERS_WIDTH, block - Inches(0.1))
        _write(box, [(number.value, 28, True, theme.PRIMARY), (number.label, 12, False, theme.TEXT)])

    footnote = _textbox(slide, MARGIN, Inches(6.55), SLIDE_WIDTH - 2 * MARGIN, Inches(0.8))
    _write(
        footnote,
        [(item.source, 10, False, theme.MUTED), (dossier.provenance.footer(), 9, False, theme.MUTED)],
        link=("Ouvrir cette vue dans le tableau de bord", item.url),
    )
    slide.notes_slide.notes_text_frame.text = f"{item.note}\n\nCe que montre le graphique : {item.summary}"


def build_deck(
    dossier: Dossier,
    renderer: ImageRenderer,
    *,
    picture_scale: float = DEFAULT_PICTURE_SCALE,
    progress: Progress | None = None,
) -> bytes:
    """The dossier as a .pptx file.

    Args:
        dossier: What to show.
        renderer: Draws each chart as a PNG.
        picture_scale: Pixel ratio of the chart pictures (tests use 1 to stay fast).
        progress: Called with (done, total, French message) after each slide.

    Returns:
        The file's bytes.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    props, prov = prs.core_properties, dossier.provenance
    # Document properties hold at most 255 characters each; the slides hold the full texts and links.
    props.title = _fit(f"{dossier.title} — {dossier.caisses} — {dossier.period}")
    props.subject = _fit(f"Filtres : {prov.selection} — version des données {prov.data_version}")
    props.keywords = _fit(f"version des données {prov.data_version}; {prov.query}")
    props.comments = _fit(prov.url)
    props.language = "fr-FR"
    props.author = "Tableau de bord de la qualité de service des CPAM"
    _title_slide(prs, dossier)
    total = len(dossier.figures)
    for done, item in enumerate(dossier.figures, start=1):
        picture = renderer.render(
            inset_figure(item.figure), "png", width=INSET_WIDTH, height=INSET_HEIGHT, scale=picture_scale
        )
        _figure_slide(prs, dossier, item, picture)
        if progress is not None:
            progress(done, total, f"Diapositive {done} sur {total} : {item.title}")
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
