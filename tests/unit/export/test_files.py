"""The three dossier files, opened the way a person's software would open them."""

import zipfile
from io import BytesIO

from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from dashboard.export.archive import build_archive, member_names
from dashboard.export.deck import build_deck
from dashboard.export.images import ImageSize
from dashboard.export.report import build_report

SMALL = ImageSize("test", "petite", 320, 180, 1)


def test_deck_has_a_title_slide_then_one_slide_per_chart(renderer, dossier):
    steps = []
    deck = Presentation(
        BytesIO(build_deck(dossier, renderer, picture_scale=0.5, progress=lambda *a: steps.append(a)))
    )

    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    title, *charts = deck.slides
    assert title.shapes.title.text == "Dossier comité de pilotage"
    assert "CPAM de la Côte-d'Or" in title.placeholders[1].text_frame.text
    assert "Exporté le 1er mars 2026" in title.placeholders[1].text_frame.text
    assert [s.shapes.title.text for s in charts] == [f.title for f in dossier.figures]
    assert [s[0] for s in steps] == [1, 2]
    assert deck.core_properties.keywords.startswith("version des données 7")


def test_chart_slide_holds_picture_with_alt_text_key_figures_source_link_and_notes(renderer, dossier):
    deck = Presentation(BytesIO(build_deck(dossier, renderer, picture_scale=0.5)))
    slide, item = deck.slides[1], dossier.figures[0]

    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == item.summary
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert "191\u00a0580\nAppels reçus" in texts
    assert "+2,1\u00a0%\nÉvolution" in texts
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


def test_report_is_a4_with_a_title_page_then_one_page_per_chart(renderer, dossier):
    reader = PdfReader(BytesIO(build_report(dossier, renderer)))

    assert len(reader.pages) == 1 + len(dossier.figures)
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 596  # 210 mm
        assert round(float(page.mediabox.height)) == 842  # 297 mm
    cover = reader.pages[0].extract_text()
    assert "Dossier comité de pilotage" in cover
    assert "Sommaire" in cover
    for page, item in zip(reader.pages[1:], dossier.figures, strict=True):
        text = page.extract_text()
        assert item.title in text
        assert "Chiffres clés" in text
        assert "Source : Rapport 2024" in text
    assert "Version des données : 7" in reader.metadata.subject
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[1]["/Annots"]]
    assert dossier.figures[0].url in links
    assert [o.title for o in reader.outline] == [f"Canaux de contact — {f.title}" for f in dossier.figures]


def test_archive_holds_every_chart_in_png_and_svg(renderer, dossier, png_size):
    archive = zipfile.ZipFile(BytesIO(build_archive(dossier, renderer, size=SMALL)))

    names = archive.namelist()
    assert names == ["LISEZMOI.txt", *member_names(dossier)]
    for i, item in enumerate(dossier.figures, start=1):
        assert f"{i:02d}_{item.key}.png" in names
        assert f"{i:02d}_{item.key}.svg" in names
    assert png_size(archive.read(f"01_{dossier.figures[0].key}.png")) == (320, 180)
    assert dossier.figures[1].title.encode() in archive.read(f"02_{dossier.figures[1].key}.svg")
    readme = archive.read("LISEZMOI.txt").decode("utf-8-sig")
    assert "Version des données : 7" in readme
    assert dossier.figures[0].url in readme
