"""Parts of a whole: a donut for one caisse, 100 % stacks for several."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.data.catalog import Indicator
from dashboard.figures import BUILDERS, ChartData, FigureText, build_share_donut, build_share_stack
from dashboard.figures.layout import plain, unwrap
from tests.helpers import CDO, SEL, unpublished_mark

NB = "\u00a0"
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


@pytest.fixture
def donut(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> go.Figure:
    """The donut of one caisse's parts, as published (``cdo_rows``)."""
    return build_share_donut(observations(*cdo_rows()), parent=parent, parts=parts, text=text)


def notes(fig: go.Figure) -> str:
    return next((a.text for a in fig.layout.annotations if a.name == "notes"), "")


def test_donut_of_one_caisse_labels_each_part_in_percent(donut: go.Figure) -> None:
    (pie,) = donut.data
    assert pie.type == "pie"
    assert pie.hole > 0
    # The legend entries carry each share, so that a slice too thin for its label still reads.
    assert list(pie.labels) == [
        f"Compte ameli{NB}—{NB}62{NB}%",
        f"Téléphone{NB}—{NB}30{NB}%",
        f"E-mail{NB}—{NB}8{NB}%",
    ]
    assert list(pie.values) == [62.4, 30.1, 7.5]
    assert list(pie.text) == [f"62{NB}%", f"30{NB}%", f"8{NB}%"]
    assert pie.sort is False  # catalog order, not size order
    assert donut.layout.showlegend is True


def test_donut_hole_holds_only_the_total(donut: go.Figure) -> None:
    (pie,) = donut.data
    hole = pie.title.text
    assert hole.startswith(f"<b>3{NB}872{NB}394</b><br>")
    assert plain(hole) == f"3{NB}872{NB}394total"  # the number and the word "total", nothing else
    assert "Demandes" not in hole  # the parent is named by the figure's title
    assert pie.title.position == "middle center"  # plotly shrinks it to fit the hole in a small card
    assert not [a for a in donut.layout.annotations if a.name == "centre"]


def test_a_qualified_total_has_its_qualifier_on_a_line_of_its_own(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    rows = cdo_rows()
    rows[0] = (CDO, "demandes", 3872394, {"unite": "nombre", "qualificatif": "environ"})
    (pie,) = build_share_donut(observations(*rows), parent=parent, parts=parts, text=text).data
    assert plain(pie.title.text.split("<br>")[0]) == "environ"
    assert f"<b>3{NB}872{NB}394</b>" in pie.title.text


def test_an_unpublished_total_reads_non_publie_in_the_hole(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    rows = cdo_rows()
    rows[0] = (CDO, "demandes", math.nan, {"unite": "nombre"})
    (pie,) = build_share_donut(observations(*rows), parent=parent, parts=parts, text=text).data
    assert plain(pie.title.text) == "totalnon publié"
    assert list(pie.values) == [62.4, 30.1, 7.5]  # parts in % do not need the whole


def test_parts_in_percent_only_leave_the_hole_empty(
    observations: Callable[..., pd.DataFrame], parts: list[Indicator], text: FigureText
) -> None:
    (pie,) = build_share_donut(observations(*cdo_rows()[1:]), parent=None, parts=parts, text=text).data
    assert not pie.title.text


def test_thin_slices_carry_no_label_but_keep_their_share_in_legend_and_hover(
    observations: Callable[..., pd.DataFrame], parent: Indicator, parts: list[Indicator], text: FigureText
) -> None:
    frame = observations(*cdo_rows(ameli=95.0, telephone=4.0, email=1.0))
    (pie,) = build_share_donut(frame, parent=parent, parts=parts, text=text).data
    assert list(pie.text) == [f"95{NB}%", "", ""]
    assert pie.textposition == "inside"  # never outside, where thin slices' labels collided
    assert pie.labels[2] == f"E-mail{NB}—{NB}1{NB}%"
    assert pie.customdata[2][2] == f"1{NB}%"


def test_the_donut_legend_stands_beside_the_donut(donut: go.Figure) -> None:
    (pie,) = donut.data
    legend = donut.layout.legend
    assert legend.orientation == "v"
    assert legend.x > pie.domain.x[1]  # right of the donut
    assert legend.yanchor == "middle"
    assert tuple(pie.domain.y) == (0, 1)  # the donut takes the plot's whole height


def test_long_legend_entries_are_wrapped_and_keep_their_share(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    whole = indicator("cra", "Dossiers examinés par la commission de recours amiable")
    long_parts = [
        indicator("a", "Part des assurés parmi les requérants", "%", "part", parent="cra"),
        indicator(
            "p", "Part des professionnels et établissements de santé parmi les requérants", "%", "part"
        ),
    ]
    frame = observations((CDO, "cra", 1121), (CDO, "a", 97, {"unite": "%"}), (CDO, "p", 3, {"unite": "%"}))
    (pie,) = build_share_donut(frame, parent=whole, parts=long_parts, text=text).data
    long_entry = pie.labels[1].split("<br>")
    assert 2 <= len(long_entry) <= 3
    assert long_entry[-1].endswith(f"—{NB}3{NB}%")
    assert long_entry[0].startswith("Part des professionnels")
    assert plain(pie.title.text) == f"1{NB}121total"


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
    # What the published parts leave is drawn as « Non ventilé », never spread over the published parts.
    assert list(fig.data[0].labels) == [
        f"Compte ameli{NB}—{NB}62{NB}%",
        f"Téléphone{NB}—{NB}30{NB}%",
        f"Non ventilé{NB}—{NB}8{NB}%",
    ]
    assert list(fig.data[0].values) == [62.4, 30.1, pytest.approx(7.5)]
    assert notes(fig) == f"Les parts publiées totalisent 92,5{NB}%<br>Non publié : E-mail"


def test_a_single_share_is_never_a_full_ring(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    whole = indicator("ces", "Consultants de l'antenne du centre d'examens de santé")
    share = indicator(
        "precarite", "Part des consultants du CES en situation de précarité", "%", "part", parent="ces"
    )
    frame = observations((CDO, "ces", 1074), (CDO, "precarite", 82, {"unite": "%"}))
    (pie,) = build_share_donut(frame, parent=whole, parts=[share], text=text).data
    assert list(pie.values) == [82, pytest.approx(18)]
    assert [unwrap(label).split("—")[0].strip() for label in pie.labels] == [
        "Part des consultants du CES en situation de précarité",
        "Non ventilé",
    ]
    assert list(pie.text) == [f"82{NB}%", f"18{NB}%"]
    assert pie.marker.colors[1] != pie.marker.colors[0]


def test_a_stack_draws_what_its_parts_leave_as_non_ventile(
    observations: Callable[..., pd.DataFrame], parts: list[Indicator], text: FigureText
) -> None:
    frame = observations(*cdo_rows(), (SEL, "ameli", 50.0), (SEL, "telephone", 30.0), unite="%")
    bars = [t for t in build_share_stack(frame, parts=parts, text=text).data if t.type == "bar"]
    assert bars[-1].name == "Non ventilé"
    assert list(bars[-1].text) == ["", f"20{NB}%"]


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
    assert list(unpublished_mark(fig).y) == ["CPAM de la Nièvre"]


def test_stack_legend_entries_are_wrapped(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    long_parts = [
        indicator("a", "Part des assurés parmi les requérants", "%", "part"),
        indicator(
            "p", "Part des professionnels et établissements de santé parmi les requérants", "%", "part"
        ),
    ]
    frame = observations((CDO, "a", 97), (CDO, "p", 3), (SEL, "a", 90), (SEL, "p", 10), unite="%")
    names = [b.name for b in build_share_stack(frame, parts=long_parts, text=text).data if b.type == "bar"]
    assert names[0] == "Part des assurés parmi les requérants"
    assert names[1] == "Part des professionnels et établissements<br>de santé parmi les requérants"


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
    fig = BUILDERS["part"](ChartData(observations(*cdo_rows()), indicators=parts, text=text))
    assert fig.data[0].type == "pie"
    assert fig.layout.title.text == "Demandes des assurés"
    assert any(a.text.startswith("Source : ") for a in fig.layout.annotations)
