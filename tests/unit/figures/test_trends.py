"""Lines across years: every requested year on the axis, gaps stay gaps."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import pytest

from dashboard.data.catalog import Indicator
from dashboard.figures import FigureText, build_trend_lines
from dashboard.figures.trends import text_positions
from tests.helpers import CDO, SEL

NB = "\u00a0"
YEARS = [2020, 2021, 2022, 2023, 2024]


@pytest.fixture
def demandes(indicator: Callable[..., Indicator]) -> Indicator:
    return indicator("demandes", "Demandes des assurés")


@pytest.fixture
def frame(observations: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    cdo = {2020: 3500000, 2021: 3650000, 2023: 3800000, 2024: 3872394}  # 2022 not published
    sel = {2020: 2000000, 2021: math.nan, 2022: 2050000, 2023: 2080000, 2024: 2100000}
    return pd.concat(
        [observations((CDO, "demandes", v), annee=y) for y, v in cdo.items()]
        + [observations((SEL, "demandes", v), annee=y) for y, v in sel.items()]
    )


def test_one_line_with_markers_per_caisse(frame: pd.DataFrame, demandes: Indicator, text: FigureText) -> None:
    fig = build_trend_lines(frame, indicator=demandes, years=YEARS, text=text)
    assert [t.name for t in fig.data] == ["CPAM de la Côte-d'Or", "CPAM de Saône-et-Loire"]
    assert all("lines" in t.mode and "markers" in t.mode for t in fig.data)
    assert fig.data[0].line.color != fig.data[1].line.color
    assert fig.layout.showlegend is True


def test_years_are_categories_never_grouped_numbers(
    frame: pd.DataFrame, demandes: Indicator, text: FigureText
) -> None:
    fig = build_trend_lines(frame, indicator=demandes, years=YEARS, text=text)
    assert fig.layout.xaxis.type == "category"
    assert list(fig.layout.xaxis.categoryarray) == ["2020", "2021", "2022", "2023", "2024"]
    assert list(fig.data[0].x) == ["2020", "2021", "2022", "2023", "2024"]


def test_a_missing_year_is_a_gap_not_interpolated_nor_zero(
    frame: pd.DataFrame, demandes: Indicator, text: FigureText
) -> None:
    fig = build_trend_lines(frame, indicator=demandes, years=YEARS, text=text)
    cdo, sel = fig.data
    assert cdo.connectgaps is False
    assert math.isnan(cdo.y[2])  # 2022: no row at all
    assert math.isnan(sel.y[1])  # 2021: a row saying not published
    assert cdo.y[3] == 3800000
    assert cdo.text[2] == ""


def test_missing_years_are_listed_in_a_note(
    frame: pd.DataFrame, demandes: Indicator, text: FigureText
) -> None:
    fig = build_trend_lines(frame, indicator=demandes, years=YEARS, text=text)
    note = next(a.text for a in fig.layout.annotations if a.name == "notes")
    assert note == "Non publié : 2022 (CPAM de la Côte-d'Or)<br>Non publié : 2021 (CPAM de Saône-et-Loire)"


def test_points_are_labelled_in_french(frame: pd.DataFrame, demandes: Indicator, text: FigureText) -> None:
    cdo = build_trend_lines(frame, indicator=demandes, years=YEARS, text=text).data[0]
    assert cdo.text[4] == f"3{NB}872{NB}394"
    assert list(cdo.customdata[4]) == ["CPAM de la Côte-d'Or", "2024", f"3{NB}872{NB}394"]


def test_labels_go_above_the_higher_line_and_below_the_lower_one(
    frame: pd.DataFrame, demandes: Indicator, text: FigureText
) -> None:
    cdo, sel = build_trend_lines(frame, indicator=demandes, years=YEARS, text=text).data
    assert list(cdo.textposition) == ["top center"] * 5  # the Côte-d'Or is always the higher line
    # Below the Saône-et-Loire's points, except where the Côte-d'Or has no point (2022) to collide with.
    assert list(sel.textposition) == [
        "bottom center",
        "top center",
        "top center",
        "bottom center",
        "bottom center",
    ]


def test_text_positions_keep_labels_near_the_axis_above_their_point() -> None:
    assert text_positions([[100.0, 100.0], [5.0, 50.0]]) == [
        ["top center", "top center"],
        ["top center", "bottom center"],  # 5 is too close to the axis for a label below it
    ]
    assert text_positions([[1.0, math.nan]]) == [["top center", "top center"]]


def test_requested_years_outside_the_data_are_still_on_the_axis(
    frame: pd.DataFrame, demandes: Indicator, text: FigureText
) -> None:
    fig = build_trend_lines(frame, indicator=demandes, years=[2019, *YEARS], text=text)
    assert list(fig.layout.xaxis.categoryarray) == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert math.isnan(fig.data[0].y[0])


def test_rates_keep_the_0_100_axis(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    frame = pd.concat(
        [observations((CDO, "t", v), annee=y, unite="%") for y, v in [(2023, 95.3), (2024, 96.1)]]
    )
    fig = build_trend_lines(
        frame, indicator=indicator("t", "Taux", "%", "taux"), years=[2023, 2024], text=text
    )
    low, high = fig.layout.yaxis.range
    assert low == 0
    assert 100 <= high < 120  # room above 96,1 % for its label; the ticks still stop at 100 %
    assert fig.layout.yaxis.dtick == 20
    assert list(fig.data[0].text) == [f"95,3{NB}%", f"96,1{NB}%"]


def test_nothing_published_in_those_years_gives_the_placeholder(
    frame: pd.DataFrame, demandes: Indicator, text: FigureText
) -> None:
    for years in ([2010, 2011], []):
        fig = build_trend_lines(frame, indicator=demandes, years=years, text=text)
        assert len(fig.data) == 0
        assert any(a.text == "non publié" for a in fig.layout.annotations)
        assert fig.layout.title.text == "Demandes des assurés"


def test_a_calculated_year_says_so_on_its_point_and_in_a_note(observations, indicator, text) -> None:
    adherents = indicator("adherents", "Adhérents au compte ameli")
    frame = pd.concat(
        [
            observations((CDO, "adherents", 280000), annee=2022),
            observations((CDO, "adherents", 299359, {"derive": True, "derivation": "la règle"}), annee=2023),
            observations((CDO, "adherents", 312009), annee=2024),
        ],
        ignore_index=True,
    )
    fig = build_trend_lines(frame, indicator=adherents, years=[2022, 2023, 2024], text=text)
    (line,) = fig.data
    assert line.text[1] == f"299{NB}359 (calculée)"
    assert line.customdata[1][2] == f"299{NB}359 (valeur calculée)"
    assert line.text[2] == f"312{NB}009"
    notes = next(a.text for a in fig.layout.annotations if a.name == "notes")
    assert "Valeur calculée (CPAM de la Côte-d'Or, 2023) : la règle" in notes
