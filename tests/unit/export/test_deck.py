"""The deck as PowerPoint and LibreOffice read it: 16:9 master, native charts, French text, readable cover."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from dashboard import theme
from dashboard.export.deck import build_deck
from dashboard.export.deck_layouts import LAYOUT_NAMES, TEMPLATE_PATH, TemplateError, open_master

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _deck(dossier, renderer=None, **kwargs):
    return Presentation(BytesIO(build_deck(dossier, renderer, picture_scale=0.5, **kwargs)))


def test_the_shipped_master_is_16_9_with_named_layouts_inside_the_slide():
    master = Presentation(str(TEMPLATE_PATH))

    assert (master.slide_width, master.slide_height) == (Inches(13.333), Inches(7.5))
    assert [layout.name for layout in master.slide_layouts] == [
        LAYOUT_NAMES["title"],
        LAYOUT_NAMES["table"],
        LAYOUT_NAMES["section"],
        LAYOUT_NAMES["chart"],
    ]
    for layout in master.slide_layouts:
        for placeholder in layout.placeholders:
            assert placeholder.left + placeholder.width <= master.slide_width, (layout.name, placeholder.name)


def test_cover_names_caisse_year_comparison_and_date_without_a_query_string(renderer, dossier):
    steps = []
    deck = _deck(dossier, renderer, progress=lambda *a: steps.append(a))

    cover, *charts = deck.slides
    text = cover.placeholders[1].text_frame.text
    assert cover.shapes.title.text == "Dossier comité de pilotage"
    assert "CPAM de la Côte-d'Or" in text
    assert "Année 2024 · comparaison avec 2023" in text
    assert "Préparé le 1er mars 2026" in text
    assert "?annee=" not in text
    assert "&" not in text
    assert [s.shapes.title.text for s in charts] == [f.title for f in dossier.figures]
    assert [(done, total) for done, total, _ in steps] == [(2, 3), (3, 3)]  # the cover counts
    assert deck.slides[1].slide_layout.name == LAYOUT_NAMES["chart"]


def test_charts_are_native_with_their_data_french_formats_and_theme_colours(dossier):
    deck = _deck(dossier)  # no renderer: a native chart needs no browser
    slide, item = deck.slides[1], dossier.figures[0]

    charts = [s for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    assert list(chart.plots[0].categories) == list(item.chart.categories)
    assert [tuple(s.values) for s in chart.plots[0].series] == [s.points for s in item.chart.series]
    assert [s.name for s in chart.plots[0].series] == ["2023", "2024"]
    labels = chart.plots[0].data_labels
    assert labels.number_format == "#,##0"
    assert labels.number_format_is_linked is False
    assert chart.value_axis.tick_labels.number_format_is_linked is False
    fills = [s.format.fill.fore_color.theme_color for s in chart.plots[0].series]
    assert [str(f) for f in fills] == ["ACCENT_1 (5)", "ACCENT_2 (6)"]
    assert charts[0]._element.xpath("./*[1]/p:cNvPr")[0].get("descr") == item.summary


def test_a_chart_without_native_form_is_a_picture_with_its_alt_text(renderer, dossier):
    deck = _deck(dossier, renderer)
    slide, item = deck.slides[2], dossier.figures[1]

    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == item.summary


def test_every_run_is_tagged_french_and_titles_shrink_to_fit(dossier):
    deck = _deck(dossier)

    for slide in deck.slides:
        for run in slide._element.iter(f"{A}rPr"):
            assert run.get("lang") == "fr-FR", etree.tostring(run)
        body = slide.shapes.title.text_frame._txBody.find(f"{A}bodyPr")
        if slide.slide_layout.name == LAYOUT_NAMES["chart"]:
            assert body.find(f"{A}normAutofit") is not None
    assert theme.slide_title_pt("Demandes") == 32
    assert theme.slide_title_pt("Répartition : " + "demandes reçues par canal de contact " * 4) < 32


def test_key_figures_source_link_and_notes_are_on_the_chart_slide(dossier):
    deck = _deck(dossier)
    slide, item = deck.slides[1], dossier.figures[0]

    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert "191\u00a0580\nAppels reçus" in texts
    footnote = next(t for t in texts if t.startswith("Source : Rapport 2024"))
    assert "Données : version 7" in footnote
    links = [
        run.hyperlink.address
        for s in slide.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for run in p.runs
        if run.hyperlink.address
    ]
    assert links == [item.url]
    assert slide.notes_slide.notes_text_frame.text.startswith(item.note)


def test_a_caisse_master_is_used_with_its_own_layouts(tmp_path, dossier):
    own = Presentation()  # python-pptx's English-named layouts stand for a caisse's master
    own.slide_width, own.slide_height = Inches(13.333), Inches(7.5)
    own.slides.add_slide(own.slide_layouts[0])  # a slide of the master itself is not kept
    path = tmp_path / "masque-cpam.pptx"
    own.save(path)

    deck = _deck(dossier, template=path)

    assert len(deck.slides) == 1 + len(dossier.figures)
    assert deck.slides[0].slide_layout.name == "Title Slide"
    assert deck.slides[1].slide_layout.name == "Title Only"


def test_an_unreadable_master_is_refused_in_french(tmp_path):
    path = tmp_path / "pas-un-masque.pptx"
    path.write_text("bonjour")

    with pytest.raises(TemplateError, match="illisible"):
        open_master(path)


def test_the_file_thumbnail_shows_the_cover(dossier):
    data = build_deck(dossier)

    with zipfile.ZipFile(BytesIO(data)) as archive:
        thumbnail = archive.read("docProps/thumbnail.jpeg")
    with zipfile.ZipFile(TEMPLATE_PATH) as archive:
        assert thumbnail != archive.read("docProps/thumbnail.jpeg")
    with Image.open(BytesIO(thumbnail)) as image:
        assert image.size == (256, 144)
        colours = image.convert("L").getextrema()
    assert colours[0] < 100  # dark words on the white cover
