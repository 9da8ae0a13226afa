"""Projector typography: every text of a chart at least 18 px on a 1280 × 720 screen."""

from __future__ import annotations

import pytest

from dashboard import theme
from dashboard.charts import build_chart, chart_specs
from dashboard.export.dossier import INSET_WIDTH
from dashboard.export.projector import MIN_TEXT_PX, SCREEN_WIDTH, for_projector, smallest_text_px
from dashboard.export.report import CONTENT_WIDTH, PAGE_WIDTH, REPORT_TEXT_FACTOR


@pytest.fixture
def card_figure(make_frame, tiny_catalog):
    frame = make_frame(
        ("cpam-21", 2024, "demandes_total", 3872394), ("cpam-85", 2024, "demandes_total", 1200000)
    )
    spec = next(s for s in chart_specs(list(tiny_catalog), tiny_catalog) if s.key == "demandes_total")
    names = {"cpam-21": "CPAM de la Côte-d'Or", "cpam-85": "CPAM de la Vendée"}
    built = build_chart(
        spec, frame, caisses=["cpam-21", "cpam-85"], year=2024, subtitle="Deux caisses — 2024", names=names
    )
    return built.figure.to_plotly_json()


def test_card_sized_text_is_too_small_for_a_projector(card_figure):
    assert smallest_text_px(card_figure) < MIN_TEXT_PX


def test_every_text_reads_at_least_18_px_on_a_1280_screen(card_figure):
    enlarged = for_projector(card_figure)

    assert smallest_text_px(enlarged) >= MIN_TEXT_PX
    assert enlarged["layout"]["template"]["layout"]["title"]["font"]["size"] > theme.TITLE_SIZE
    assert enlarged["layout"]["margin"]["t"] > card_figure["layout"]["margin"]["t"]  # room for the title
    assert smallest_text_px(card_figure) < MIN_TEXT_PX  # the figure given is left as it was


def test_report_charts_read_at_least_18_px_at_the_scale_of_a_1280_screen(card_figure):
    inset = for_projector(card_figure, REPORT_TEXT_FACTOR)
    on_page = smallest_text_px(inset) * CONTENT_WIDTH / INSET_WIDTH  # px of a 794 px wide page

    assert on_page * SCREEN_WIDTH / PAGE_WIDTH >= MIN_TEXT_PX
