"""The three dossier files, opened the way a person's software would open them."""

import zipfile
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.export.archive import build_archive, member_names
from dashboard.export.images import ImageSize
from dashboard.export.report import build_report
from tests.helpers import png_size

SMALL = ImageSize("test", "petite", 320, 180, 1)


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


def test_archive_holds_the_figures_as_csv_and_xlsx_and_every_chart_in_png_and_svg(renderer, dossier):
    archive = zipfile.ZipFile(BytesIO(build_archive(dossier, renderer, size=SMALL)))

    names = archive.namelist()
    assert names == ["LISEZMOI.txt", *member_names(dossier)]
    assert names[1:3] == [
        "chiffres_cpam-21_2024_donnees-v7.csv",
        "chiffres_cpam-21_2024_donnees-v7.xlsx",
    ]
    assert names[3:5] == [
        "01_appels-recus-au-3646_cpam-21_2024_donnees-v7.png",
        "01_appels-recus-au-3646_cpam-21_2024_donnees-v7.svg",
    ]
    assert png_size(archive.read(names[3])) == (320, 180)
    assert dossier.figures[1].title.encode() in archive.read(names[6])
    csv = archive.read(names[1])
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["Graphique", "Département", "Caisse"]
    assert "01. Appels reçus au 3646;21 — Côte-d'Or;CPAM de la Côte-d'Or;2024" in lines[1]
    assert ";77,36;" in lines[2]  # decimal comma
    assert "Rapport 2024" in lines[1]
    sheet = load_workbook(BytesIO(archive.read(names[2]))).active
    assert sheet.cell(2, 1).value == "Graphique"
    assert sheet.cell(3, 8).value == 191580
    readme = archive.read("LISEZMOI.txt").decode("utf-8-sig")
    assert "Version des données : 7" in readme
    assert names[1] in readme
    assert dossier.figures[0].url in readme


def test_contents_of_a_long_dossier_continue_on_further_pages_above_the_footer(dossier):
    from dataclasses import replace

    from dashboard.export.report import MARGIN, PAGE_HEIGHT, contents_pages, toc_page_count

    many = replace(
        dossier, figures=tuple(replace(dossier.figures[0], title=f"Graphique {i}") for i in range(88))
    )
    total = toc_page_count(88) + 88
    pages = contents_pages(many, total)

    assert len(pages) == toc_page_count(88) == 3
    texts = [a["text"] for page in pages for a in page.annotations]
    for i in range(88):
        assert f"Canaux de contact — Graphique {i}" in texts
    assert "page 4" in texts  # the first chart comes after the three contents pages
    assert f"page {total}" in texts
    footer_top = PAGE_HEIGHT - MARGIN - 34
    for page in pages:
        entries = [a for a in page.annotations if a["y"] < footer_top - 1]
        footers = [a for a in page.annotations if a["y"] >= footer_top - 1]
        assert len(footers) == 2
        assert max(a["y"] for a in entries) + 17 <= footer_top
