"""One indicator across caisses, sorted best first; the unpublished listed last."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.data.catalog import Indicator
from dashboard.figures import FigureText, build_ranking_bars
from tests.helpers import unpublished_mark

NB = "\u00a0"


@pytest.fixture
def frame(observations: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    return observations(
        (("cpam-01", "CPAM de l'Ain"), "x", 15),
        (("cpam-02", "CPAM de l'Aisne"), "x", 29.8),
        (("cpam-03", "CPAM de l'Allier"), "x", math.nan),
        (("cpam-04", "CPAM des Alpes"), "x", 1),
        (("cpam-05", "CPAM de l'Ardèche"), "x", math.nan),
        (("cpam-06", "CPAM de l'Aube"), "x", 22),
        unite="jours",
    )


def bar_of(fig: go.Figure) -> go.Bar:
    return next(t for t in fig.data if t.type == "bar")


def test_highest_first_when_more_is_better(
    frame: pd.DataFrame, indicator: Callable[..., Indicator], text: FigureText
) -> None:
    fig = build_ranking_bars(frame, indicator=indicator("x", "Visites", "jours", sens="hausse"), text=text)
    bar = bar_of(fig)
    assert list(bar.y) == [
        "CPAM de l'Aisne",
        "CPAM de l'Aube",
        "CPAM de l'Ain",
        "CPAM des Alpes",
        "CPAM de l'Allier",
        "CPAM de l'Ardèche",
    ]
    assert list(bar.x[:4]) == [29.8, 22, 15, 1]
    assert fig.layout.yaxis.autorange == "reversed"  # the first listed is drawn at the top


def test_shortest_first_when_less_is_better(
    frame: pd.DataFrame, indicator: Callable[..., Indicator], text: FigureText
) -> None:
    delai = indicator("x", "Délai moyen", "jours", "duree", sens="baisse")
    bar = bar_of(build_ranking_bars(frame, indicator=delai, text=text))
    assert list(bar.y[:4]) == ["CPAM des Alpes", "CPAM de l'Ain", "CPAM de l'Aube", "CPAM de l'Aisne"]
    assert list(bar.text[:4]) == [f"1{NB}jour", f"15{NB}jours", f"22{NB}jours", f"29,8{NB}jours"]


def test_caisses_that_did_not_publish_come_last_reading_non_publie(
    frame: pd.DataFrame, indicator: Callable[..., Indicator], text: FigureText
) -> None:
    fig = build_ranking_bars(frame, indicator=indicator("x", "Délai", "jours", sens="baisse"), text=text)
    bar = bar_of(fig)
    assert all(math.isnan(v) for v in bar.x[4:])
    assert list(unpublished_mark(fig).y) == ["CPAM de l'Allier", "CPAM de l'Ardèche"]


def test_highlighted_caisses_stand_out(
    frame: pd.DataFrame, indicator: Callable[..., Indicator], text: FigureText
) -> None:
    ind = indicator("x", "Délai", "jours", sens="baisse")
    bar = bar_of(build_ranking_bars(frame, indicator=ind, text=text, highlight={"cpam-01"}))
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    assert colours["CPAM de l'Ain"] == theme.PRIMARY
    assert colours["CPAM de l'Aube"] == theme.DIMMED
    plain = bar_of(build_ranking_bars(frame, indicator=ind, text=text))
    assert set(plain.marker.color) == {theme.PRIMARY}


def test_rates_rank_on_the_0_100_axis(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    frame = observations(
        (("cpam-01", "CPAM de l'Ain"), "t", 77.36), (("cpam-02", "CPAM de l'Aisne"), "t", 96.65), unite="%"
    )
    fig = build_ranking_bars(frame, indicator=indicator("t", "Taux", "%", "taux", sens="hausse"), text=text)
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert list(bar_of(fig).text) == [f"96,65{NB}%", f"77,36{NB}%"]
    assert fig.layout.title.text == "Demandes des assurés"
    assert any(a.text.startswith("Source : ") for a in fig.layout.annotations)


def test_nobody_published_gives_the_placeholder(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    frame = observations((("cpam-01", "CPAM de l'Ain"), "x", math.nan))
    fig = build_ranking_bars(frame, indicator=indicator("x", "Délai"), text=text)
    assert len(fig.data) == 0
    assert any(a.text == "non publié" for a in fig.layout.annotations)


def test_values_stay_written_after_the_bars_of_a_short_ranking(
    frame: pd.DataFrame, indicator: Callable[..., Indicator], text: FigureText
) -> None:
    fig = build_ranking_bars(frame, indicator=indicator("x", "Délai", "jours"), text=text)
    assert bar_of(fig).constraintext == "none"
    assert fig.layout.uniformtext.mode is None


def test_a_long_ranking_hides_values_where_rows_are_thinner_than_text(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    frame = observations(*[((f"cpam-{i:02d}", f"CPAM {i}"), "x", i + 1) for i in range(30)], unite="jours")
    fig = build_ranking_bars(frame, indicator=indicator("x", "Délai", "jours"), text=text)
    bar = bar_of(fig)
    assert bar.text[0] == f"30{NB}jours"  # still there for the hover, the slide and a large screen
    assert bar.constraintext == "outside"
    assert fig.layout.uniformtext.mode == "hide"
