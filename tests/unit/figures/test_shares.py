"""Parts of a whole: a donut for one caisse, 100 % stacks for several."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.data.catalog import Indicator
from dashboard.figures import BUILDERS, FigureText, build_share_donut, build_share_stack

NB = "\u00a0"
CDO = ("cpam-21", "CPAM de la Côte-d'Or")
SEL = ("cpam-71", "CPAM de Saône-et-Loire")
NIE = ("cpam-58", "CPAM de la Nièvre")


@pytest.fixture
def parent(indicator: Callable[..., Indicator]) -> Indicator:
    return indicator("demandes", "Demandes des assurés")


@pytest.fixture
def parts(indicator: Callable[..., Indicator]) -> list[Indicator]:
    return [
        indicator("ameli", "Compte ameli", "%", "part", parent="demandes"),
        indicator("telephone", "Téléphone", "%", "part", parent="demandes"),
        indicator("email", "E-mail", "%", "part", parent="demandes"),
    ]


def cdo_rows(ameli: float = 62.4, telephone: float = 30.1, email: float = 7.5) -> list[tuple[object, ...]]:
    return [
        (CDO, "demandes", 3872394, {"unite": "nombre"}),
        (CDO, "ameli", ameli, {"unite": "%"}),
        (CDO, "telephone", telephone, {"unite": "%"}),
        (CDO, "email", email, {"unite": "%"}),
    ]


def notes(fig: go.Figure) -> str:
    return next((a.text for a in fig.layout.annotations if a.name == "notes"), "")


def test_donut_of_one_caisse_labels_each_part_in_percent(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    fig = build_share_donut(observations(*cdo_rows()), parent=parent, parts=parts, text=text)
    (pie,) = fig.data
    assert pie.type == "pie"
    assert pie.hole > 0
    assert list(pie.labels) == ["Compte ameli", "Téléphone", "E-mail"]
    assert list(pie.values) == [62.4, 30.1, 7.5]
    assert list(pie.text) == [f"62{NB}%", f"30{NB}%", f"8{NB}%"]
    assert pie.sort is False  # catalog order, not size order
    assert fig.layout.showlegend is True


def test_donut_shows_the_whole_in_its_centre(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    fig = build_share_donut(observations(*cdo_rows()), parent=parent, parts=parts, text=text)
    centre = next(a for a in fig.layout.annotations if a.name == "centre")
    assert "Demandes des<br>assurés" in centre.text
    assert f"<b>3{NB}872{NB}394</b>" in centre.text


def test_parts_that_do_not_add_up_to_100_get_a_visible_note(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    fig = build_share_donut(observations(*cdo_rows(email=3.0)), parent=parent, parts=parts, text=text)
    assert notes(fig) == f"Les parts publiées totalisent 95,5{NB}%"


def test_parts_within_one_point_of_100_get_no_note(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    fig = build_share_donut(observations(*cdo_rows(email=8.3)), parent=parent, parts=parts, text=text)
    assert notes(fig) == ""


def test_an_unpublished_part_is_left_out_and_named(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    fig = build_share_donut(observations(*cdo_rows(email=math.nan)), parent=parent, parts=parts, text=text)
    assert list(fig.data[0].labels) == ["Compte ameli", "Téléphone"]
    assert notes(fig) == f"Les parts publiées totalisent 92,5{NB}%<br>Non publié : E-mail"


def test_counts_are_divided_by_the_whole(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    whole = indicator("rdv", "Rendez-vous")
    parts = [
        indicator("rdv_tel", "Téléphoniques", parent="rdv"),
        indicator("rdv_phys", "Physiques", parent="rdv"),
    ]
    frame = observations((CDO, "rdv", 2000), (CDO, "rdv_tel", 1500), (CDO, "rdv_phys", 500))
    (pie,) = build_share_donut(frame, parent=whole, parts=parts, text=text).data
    assert list(pie.values) == [75.0, 25.0]
    assert list(pie.text) == [f"75{NB}%", f"25{NB}%"]
    assert pie.customdata[0][2] == f"1{NB}500 (75{NB}%)"


def test_several_caisses_get_a_100_percent_stack_each(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    frame = observations(
        *cdo_rows(), (SEL, "ameli", 58.0), (SEL, "telephone", 30.0), (SEL, "email", 12.0), unite="%"
    )
    for fig in (
        build_share_stack(frame, parts=parts, text=text),
        build_share_donut(frame, parent=parent, parts=parts, text=text),  # falls back to the stack
    ):
        bars = [t for t in fig.data if t.type == "bar"]
        assert [b.name for b in bars] == ["Compte ameli", "Téléphone", "E-mail"]
        assert all(b.orientation == "h" for b in bars)
        assert list(bars[0].y) == ["CPAM de la Côte-d'Or", "CPAM de Saône-et-Loire"]
        assert list(bars[0].x) == [62.4, 58.0]
        assert list(bars[2].text) == [f"8{NB}%", f"12{NB}%"]
        assert fig.layout.barmode == "stack"
        assert tuple(fig.layout.xaxis.range) == (0, 100)


def test_stack_notes_name_the_caisse_whose_parts_do_not_add_up(
    observations: Callable[..., pd.DataFrame], parts: list[Indicator], text: FigureText
) -> None:
    frame = observations(
        *cdo_rows(), (SEL, "ameli", 50.0), (SEL, "telephone", 30.0), (SEL, "email", math.nan), unite="%"
    )
    fig = build_share_stack(frame, parts=parts, text=text)
    assert notes(fig) == (
        f"Les parts publiées totalisent 80{NB}% (CPAM de Saône-et-Loire)<br>"
        "Non publié : E-mail (CPAM de Saône-et-Loire)"
    )


def test_a_caisse_with_no_part_published_reads_non_publie(
    observations: Callable[..., pd.DataFrame], parts: list[Indicator], text: FigureText
) -> None:
    frame = observations(*cdo_rows(), (NIE, "ameli", math.nan), unite="%")
    fig = build_share_stack(frame, parts=parts, text=text)
    (mark,) = [t for t in fig.data if t.type == "scatter"]
    assert list(mark.text) == ["non publié"]
    assert list(mark.y) == ["CPAM de la Nièvre"]


def test_nothing_published_gives_the_placeholder(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    frame = observations((CDO, "ameli", math.nan), unite="%")
    for fig in (
        build_share_donut(frame, parent=parent, parts=parts, text=text),
        build_share_stack(frame, parts=parts, text=text),
        build_share_stack(frame.iloc[0:0], parts=parts, text=text),
    ):
        assert len(fig.data) == 0
        assert any(a.text == "non publié" for a in fig.layout.annotations)


def test_share_kind_builds_from_the_parts(
    observations: Callable[..., pd.DataFrame], parts: list[Indicator], text: FigureText
) -> None:
    fig = BUILDERS["part"](observations(*cdo_rows()), indicators=parts, text=text)
    assert fig.data[0].type == "pie"
    assert fig.layout.title.text == "Demandes des assurés"
    assert any(a.text.startswith("Source : ") for a in fig.layout.annotations)
