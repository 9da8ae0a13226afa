"""One edit of the theme reaches every place: a chart's title size, and the colour of « non publié ».

Each test edits one value of ``dashboard.theme`` as a person would in ``theme.py`` (the template made from
the theme is made again, as a restart does), then reads what people see: a page's figure, the image drawn for
a download, the slides and the report pages, and the stylesheet's rules.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pypdf import PdfWriter

from dashboard import theme
from dashboard.components.figure_card import build_data_table
from dashboard.data.catalog import Catalog, Indicator, Theme
from dashboard.export.deck import build_deck
from dashboard.export.dossier import Dossier
from dashboard.export.projector import MIN_TEXT_PX, for_projector, smallest_text_px
from dashboard.export.report import build_report
from dashboard.export.story import KeyNumber
from dashboard.figures import ChartData, FigureText, build_share_donut, build_unpublished, build_volume_bars
from tests.helpers import unpublished_marks

ASSETS = Path(__file__).resolve().parents[3] / "assets"
NEW_TITLE_SIZE = 30
NEW_UNPUBLISHED = "#4A3B2C"
TEXT = FigureText("Appels reçus au 3646", "CPAM de la Côte-d'Or — 2024", "Rapport 2024")


def _edit_theme(monkeypatch: pytest.MonkeyPatch, name: str, value: object) -> None:
    """Change one theme value, and the plotly template that is made from the theme's values."""
    monkeypatch.setattr(theme, name, value)
    monkeypatch.setattr(theme, "TEMPLATE", theme.build_template())


class _Recorder:
    """Stands in for Chromium: keeps the figures it is asked to draw, answers blank PDF pages."""

    def __init__(self) -> None:
        self.figures: list[dict[str, Any]] = []

    def render(self, figure: Any, fmt: str, *, width: int, height: int, scale: float = 1) -> bytes:
        self.figures.append(figure.to_plotly_json() if isinstance(figure, go.Figure) else figure)
        writer = PdfWriter()
        writer.add_blank_page(width=width * 0.75, height=height * 0.75)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def _indicator(code: str, libelle: str, **extra: Any) -> Indicator:
    values: dict[str, Any] = {
        "definition": f"Définition de {libelle}.",
        "theme": "canaux_contact",
        "unite": "nombre",
        "sommable": True,
        "sens": "neutre",
        "parent": None,
        "graphique": "volume",
        "essentiel": True,
        **extra,
    }
    return Indicator(code=code, libelle=libelle, **values)


def _frame(*rows: tuple[str, str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "caisse": caisse,
                "caisse_nom": name,
                "annee": 2024,
                "indicateur": code,
                "valeur": value,
                "unite": "nombre",
                "qualificatif": "exact",
                "nature": "niveau",
                "periode": "annee",
                "source": "Rapport 2024",
            }
            for caisse, name, code, value in rows
        ]
    )


def _title_size(figure: dict[str, Any]) -> float:
    """The size a figure's title is drawn at: its own, else its template's."""
    layout = figure["layout"]
    own = layout.get("title", {}).get("font", {}).get("size")
    return float(own if own is not None else layout["template"]["layout"]["title"]["font"]["size"])


def _deck_runs(data: bytes) -> list[Any]:
    deck = Presentation(io.BytesIO(data))
    return [
        run
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]


def _report_texts(recorder: _Recorder) -> list[dict[str, Any]]:
    """The words of every report page (the chart insets, which carry no annotation of title, left aside)."""
    return [a for figure in recorder.figures for a in figure["layout"].get("annotations", ())]


def _css_rule(selector: str) -> str:
    css = re.sub(r"/\*.*?\*/", "", (ASSETS / "app.css").read_text(encoding="utf-8"), flags=re.DOTALL)
    found = re.search(rf"(?m)^{re.escape(selector)}\s*\{{(?P<body>[^}}]*)\}}", css)
    assert found is not None, selector
    return found.group("body")


def test_a_new_chart_title_size_reaches_pages_images_slides_and_reports(
    monkeypatch: pytest.MonkeyPatch, dossier: Dossier
) -> None:
    _edit_theme(monkeypatch, "TITLE_SIZE", NEW_TITLE_SIZE)

    page_figure = build_unpublished(TEXT).to_plotly_json()
    assert _title_size(page_figure) == NEW_TITLE_SIZE
    image = for_projector(page_figure)  # what the image download draws
    factor = max(theme.PROJECTOR_FACTOR, MIN_TEXT_PX / smallest_text_px(page_figure))
    assert _title_size(image) == pytest.approx(NEW_TITLE_SIZE * factor, abs=0.1)

    runs = _deck_runs(build_deck(dossier))
    slide_title = next(run for run in runs if run.text == dossier.figures[0].title)
    assert slide_title.font.size.pt == round(NEW_TITLE_SIZE * theme.PROJECTOR_FACTOR)

    recorder = _Recorder()
    build_report(dossier, recorder)  # type: ignore[arg-type]
    titles = [a for a in _report_texts(recorder) if dossier.figures[0].title in a["text"]]
    # The contents entry names the chart too, in the contents' own size; the chart's page heads with it.
    assert NEW_TITLE_SIZE in {a["font"]["size"] for a in titles}


def test_a_new_unpublished_colour_reaches_every_place_non_publie_is_drawn(
    monkeypatch: pytest.MonkeyPatch, dossier: Dossier
) -> None:
    _edit_theme(monkeypatch, "UNPUBLISHED", NEW_UNPUBLISHED)
    cdo, sel = ("cpam-21", "CPAM de la Côte-d'Or"), ("cpam-71", "CPAM de Saône-et-Loire")

    placeholder = build_unpublished(TEXT)
    (centre,) = [a for a in placeholder.layout.annotations if a.name == "unpublished"]
    assert centre.font.color == NEW_UNPUBLISHED

    channels = [_indicator("demandes", "Demandes des assurés"), _indicator("appels", "Appels reçus")]
    bars = build_volume_bars(
        ChartData(
            _frame((*cdo, "demandes", 3872394), (*cdo, "appels", math.nan), (*sel, "demandes", 2100000)),
            indicators=channels,
            text=TEXT,
        )
    )
    marks = unpublished_marks(bars)
    centred = [a for a in bars.layout.annotations if a.name == "unpublished-category"]
    assert marks or centred
    assert {t.textfont.color for t in marks} | {a.font.color for a in centred} == {NEW_UNPUBLISHED}

    parent = _indicator("demandes", "Demandes des assurés")
    parts = [
        _indicator(code, libelle, parent="demandes", graphique="part", unite="%", sommable=False)
        for code, libelle in (("guichet", "Au guichet"), ("telephone", "Au téléphone"))
    ]
    shares = _frame((*cdo, "guichet", 60.0), (*cdo, "telephone", 40.0)).assign(unite="%")
    donut = build_share_donut(shares, parent=parent, parts=parts, text=TEXT)  # the whole is not published
    hole = " ".join(str(trace.title.text) for trace in donut.data if trace.type == "pie")
    assert f'<span style="color:{NEW_UNPUBLISHED}">non publié</span>' in hole

    unpublished = (KeyNumber("non publié", "Appels reçus"),)
    # A chart drawn neither natively nor as a picture: its slide says so in words.
    undrawn = replace(dossier.figures[1], key_numbers=unpublished, figure=None, chart=None)
    runs = _deck_runs(build_deck(replace(dossier, figures=(undrawn,))))
    words = [run for run in runs if run.text in ("non publié", undrawn.summary)]
    assert {run.text for run in words} == {"non publié", undrawn.summary}
    assert {str(run.font.color.rgb) for run in words} == {NEW_UNPUBLISHED.lstrip("#").upper()}

    recorder = _Recorder()
    build_report(replace(dossier, figures=(replace(dossier.figures[0], key_numbers=unpublished),)), recorder)  # type: ignore[arg-type]
    report_words = [a for a in _report_texts(recorder) if "non publié" in a["text"]]
    assert report_words
    assert {a["font"]["color"] for a in report_words} == {NEW_UNPUBLISHED}

    table = build_data_table(
        _frame((*cdo, "appels", math.nan)).assign(caisse_nom=cdo[1]),
        Catalog((Theme("canaux_contact", "Canaux de contact", "contact_channels", 1),), tuple(channels)),
    )
    cells = [cell for row in table.children[1].children for cell in row.children]
    (cell,) = [cell for cell in cells if cell.children == "non publié"]
    assert "unpublished" in cell.className.split()
    assert theme.css_variables()["--cpam-unpublished"] == NEW_UNPUBLISHED
    assert "color: var(--cpam-unpublished)" in _css_rule(".unpublished")
