"""Rates on a fixed 0–100 % axis, as a director reads them."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import pytest

from dashboard.data.catalog import Indicator
from dashboard.figures import BUILDERS, ChartData, FigureText, build_rate_bars
from tests.helpers import CDO, SEL, assert_unpublished_slot, bars, caisse_bars

NB = "\u00a0"


@pytest.fixture
def rates(indicator: Callable[..., Indicator]) -> list[Indicator]:
    return [
        indicator("email_48h", "Part des e-mails traités en moins de 48 h", "%", "taux", sens="hausse"),
        indicator("ameli", "Part des assurés ayant un compte ameli", "%", "taux", sens="hausse"),
    ]


@pytest.fixture
def frame(observations: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    return observations(
        (CDO, "email_48h", 96.65),
        (CDO, "ameli", 77.36, {"qualificatif": "environ"}),
        (SEL, "email_48h", 88.2),
        (SEL, "ameli", math.nan),
        unite="%",
    )


def test_rates_are_horizontal_bars_on_a_fixed_0_100_axis(
    frame: pd.DataFrame, rates: list[Indicator], text: FigureText
) -> None:
    fig = build_rate_bars(ChartData(frame, indicators=rates, text=text))
    cdo, sel = caisse_bars(fig)
    assert cdo.orientation == sel.orientation == "h"
    assert list(cdo.x) == [96.65, 77.36]
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert fig.layout.xaxis.ticksuffix == f"{NB}%"
    assert fig.layout.yaxis.autorange == "reversed"  # the first indicator at the top


def test_one_group_per_indicator_and_one_colour_per_caisse(
    frame: pd.DataFrame, rates: list[Indicator], text: FigureText
) -> None:
    fig = build_rate_bars(ChartData(frame, indicators=rates, text=text))
    cdo, sel = caisse_bars(fig)
    assert list(cdo.y) == [
        "Part des e-mails traités en<br>moins de 48 h",
        "Part des assurés ayant un<br>compte ameli",
    ]
    assert cdo.marker.color != sel.marker.color
    assert fig.layout.showlegend is True


def test_labels_read_french_percentages(
    frame: pd.DataFrame, rates: list[Indicator], text: FigureText
) -> None:
    cdo, sel = bars(build_rate_bars(ChartData(frame, indicators=rates, text=text)))
    assert list(cdo.text) == [f"96,65{NB}%", f"environ 77,36{NB}%"]
    assert sel.text[0] == f"88,2{NB}%"


def test_unpublished_rate_reads_non_publie(
    frame: pd.DataFrame, rates: list[Indicator], text: FigureText
) -> None:
    fig = build_rate_bars(ChartData(frame, indicators=rates, text=text))
    assert bars(fig)[1].offsetgroup == "cpam-71"
    assert_unpublished_slot(fig, 1, "Part des assurés ayant un<br>compte ameli")  # Saône-et-Loire's place


def test_a_rate_above_100_widens_the_axis(
    observations: Callable[..., pd.DataFrame], rates: list[Indicator], text: FigureText
) -> None:
    frame = observations((CDO, "email_48h", 104.5), unite="%")
    fig = build_rate_bars(ChartData(frame, indicators=rates[:1], text=text))
    assert tuple(fig.layout.xaxis.range) == (0, 104.5)


def test_rate_kind_uses_the_rate_bars(frame: pd.DataFrame, rates: list[Indicator], text: FigureText) -> None:
    fig = BUILDERS["taux"](ChartData(frame, indicators=rates, text=text))
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert fig.layout.title.text == "Demandes des assurés"
    assert any(a.text.startswith("Source : ") for a in fig.layout.annotations)


def test_no_published_rate_gives_the_placeholder(
    observations: Callable[..., pd.DataFrame], rates: list[Indicator], text: FigureText
) -> None:
    frame = observations((CDO, "email_48h", math.nan), unite="%")
    fig = build_rate_bars(ChartData(frame, indicators=rates, text=text))
    assert not bars(fig)
    assert any(a.text == "non publié" for a in fig.layout.annotations)


def test_the_comparison_year_is_a_marker_on_the_bar_named_by_its_year(
    observations: Callable[..., pd.DataFrame], rates: list[Indicator], text: FigureText
) -> None:
    now = observations((CDO, "email_48h", 77.36), unite="%")
    then = observations((CDO, "email_48h", 70.1), unite="%", annee=2023)
    fig = build_rate_bars(ChartData(now, indicators=rates[:1], text=text, compared=then))
    (bar,) = bars(fig)
    (marker,) = [t for t in fig.data if t.type == "scatter"]
    assert bar.name == "2024"
    assert list(bar.x) == [77.36]
    assert marker.name == "2023"
    assert marker.mode == "markers"
    assert list(marker.x) == [70.1]
    assert list(marker.y) == list(bar.y)  # on the caisse's own row
    assert marker.customdata[0][2] == f"70,1{NB}%"
    assert fig.layout.showlegend is True


def test_a_rate_for_one_month_names_the_month_after_its_bar(
    observations: Callable[..., pd.DataFrame], rates: list[Indicator], text: FigureText
) -> None:
    frame = observations((CDO, "email_48h", 75, {"periode": "mois-04"}), unite="%", annee=2020)
    (bar,) = bars(build_rate_bars(ChartData(frame, indicators=rates[:1], text=text)))
    assert bar.text[0] == f"75{NB}% (avril 2020)"
