"""Bars of counts, amounts and durations, as a director reads them."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import pytest

from dashboard import theme
from dashboard.data.catalog import Indicator
from dashboard.figures import BUILDERS, ChartData, FigureText, build_volume_bars
from dashboard.figures.layout import unwrap
from tests.helpers import CDO, SEL, assert_unpublished_slot, bars, caisse_bars, unpublished_marks

NB = "\u00a0"


@pytest.fixture
def channels(indicator: Callable[..., Indicator]) -> list[Indicator]:
    return [
        indicator("demandes", "Demandes des assurés"),
        indicator("appels", "Appels reçus au 3646"),
        indicator("emails", "E-mails reçus"),
    ]


@pytest.fixture
def two_caisses(observations: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    return observations(
        (SEL, "demandes", 2100000),
        (SEL, "appels", 812650),
        (SEL, "emails", 95000, {"qualificatif": "environ"}),
        (CDO, "demandes", 3872394),
        (CDO, "appels", math.nan),
        (CDO, "emails", 1000, {"qualificatif": "plus de"}),
    )


def test_each_caisse_is_a_coloured_series_across_the_indicators(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText
) -> None:
    fig = build_volume_bars(ChartData(two_caisses, indicators=channels, text=text))
    cdo, sel = caisse_bars(fig)
    assert list(cdo.x) == ["Demandes des assurés", "Appels reçus au 3646", "E-mails reçus"]
    assert cdo.y[0] == 3872394
    assert list(sel.y) == [2100000, 812650, 95000]
    assert cdo.marker.color == theme.PALETTE[0]
    assert sel.marker.color == theme.PALETTE[1]
    assert fig.layout.showlegend is True
    assert fig.layout.barmode == "group"


def test_labels_are_french_numbers_with_qualifiers(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText
) -> None:
    cdo, sel = bars(build_volume_bars(ChartData(two_caisses, indicators=channels, text=text)))
    assert cdo.text[0] == f"3{NB}872{NB}394"
    assert cdo.text[2] == f"plus de<br>1{NB}000"  # the qualifier on its own line above a narrow bar
    assert sel.text[2] == f"environ<br>95{NB}000"
    assert [row[2] for row in cdo.customdata] == [f"3{NB}872{NB}394", "non publié", f"plus de 1{NB}000"]
    assert cdo.hovertemplate.startswith("<b>%{customdata[0]}</b>")


def test_an_unpublished_value_reads_non_publie_in_its_slot_never_a_zero_bar(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText
) -> None:
    fig = build_volume_bars(ChartData(two_caisses, indicators=channels, text=text))
    assert bars(fig)[0].offsetgroup == "cpam-21"
    assert_unpublished_slot(fig, 0, "Appels reçus au 3646")  # in the Côte-d'Or bar's place


def test_one_indicator_puts_the_caisses_on_the_axis(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText
) -> None:
    fig = build_volume_bars(ChartData(two_caisses, indicators=channels[:1], text=text))
    (bar,) = bars(fig)
    assert list(bar.x) == ["CPAM de la Côte-d'Or", "CPAM de Saône-et-Loire"]
    assert list(bar.text) == [f"3{NB}872{NB}394", f"2{NB}100{NB}000"]
    assert list(bar.marker.color) == [theme.PALETTE[0], theme.PALETTE[1]]
    assert fig.layout.showlegend is False


def test_amounts_in_euros(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    frame = observations((CDO, "montant", 414463), (SEL, "montant", 2_500_000_000), unite="€")
    fig = build_volume_bars(
        ChartData(frame, indicators=[indicator("montant", "Montant des aides", "€")], text=text)
    )
    assert list(bars(fig)[0].text) == [f"414{NB}463{NB}€", f"2{NB}500{NB}000{NB}000{NB}€"]
    assert fig.layout.yaxis.ticksuffix == f"{NB}€"


def test_durations_use_the_volume_bars_with_their_unit(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    frame = observations((CDO, "delai", 15), (SEL, "delai", 1), unite="jours")
    delai = indicator("delai", "Délai moyen de traitement", "jours", "duree", sens="baisse")
    fig = BUILDERS["duree"](ChartData(frame, indicators=[delai], text=text))
    assert list(bars(fig)[0].text) == [f"15{NB}jours", f"1{NB}jour"]
    assert fig.layout.yaxis.ticksuffix == f"{NB}j"  # "0 j" on the axis, never "0 jours"


def test_title_subtitle_and_source_are_in_the_figure(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText
) -> None:
    fig = build_volume_bars(ChartData(two_caisses, indicators=channels, text=text))
    assert fig.layout.title.text == "Demandes des assurés"
    assert fig.layout.title.subtitle.text == "Nombre de demandes, 2024"
    assert any(a.text == "Source : rapport d'activité 2024 de la CPAM" for a in fig.layout.annotations)


def test_the_value_axis_starts_at_zero_with_room_for_the_labels(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText
) -> None:
    fig = build_volume_bars(ChartData(two_caisses, indicators=channels, text=text))
    low, high = fig.layout.yaxis.range
    assert low == 0
    assert high > 3872394


def test_labels_under_the_bars_narrow_as_the_caisses_grow_in_number(
    observations: Callable[..., pd.DataFrame], channels: list[Indicator], text: FigureText
) -> None:
    names = [
        ("cpam-04", "CPAM des Alpes-de-Haute-Provence"),
        ("cpam-21", "CPAM de la Côte-d'Or"),
        ("cpam-593", "CPAM de Roubaix-Tourcoing"),
        ("cpam-64", "CPAM des Pyrénées-Atlantiques"),
        ("cpam-90", "CPAM du Territoire de Belfort"),
    ]
    frame = observations(*[(pair, "demandes", 1000 * (i + 1)) for i, pair in enumerate(names)])
    (bar,) = bars(build_volume_bars(ChartData(frame, indicators=channels[:1], text=text)))
    labels = [label.split("<br>") for label in bar.x]
    assert max(len(line) for lines in labels for line in lines) <= 14  # five slots in a 620-pixel card
    assert labels[0] == ["CPAM des", "Alpes-de-", "Haute-", "Provence"]  # broken after its hyphens, whole
    assert labels[3] == ["CPAM des", "Pyrénées-", "Atlantiques"]


def test_the_value_axis_leaves_room_above_the_tallest_label(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText
) -> None:
    fig = build_volume_bars(ChartData(two_caisses, indicators=channels, text=text))
    high = fig.layout.yaxis.range[1]
    assert 3872394 * 1.1 <= high <= 3872394 * 2


def test_only_the_latest_year_of_levels_is_drawn(
    observations: Callable[..., pd.DataFrame], channels: list[Indicator], text: FigureText
) -> None:
    frame = pd.concat(
        [
            observations((CDO, "demandes", 1), annee=2023),
            observations((CDO, "demandes", 3872394), annee=2024),
            observations((CDO, "demandes", 3.2, {"nature": "evolution_pct"}), annee=2024),
        ]
    )
    fig = build_volume_bars(ChartData(frame, indicators=channels[:1], text=text))
    assert list(bars(fig)[0].y) == [3872394]


def test_nothing_published_gives_the_placeholder(
    observations: Callable[..., pd.DataFrame], channels: list[Indicator], text: FigureText
) -> None:
    frame = observations((CDO, "demandes", math.nan), (SEL, "demandes", math.nan))
    for data in (frame, frame.iloc[0:0]):
        fig = build_volume_bars(ChartData(data, indicators=channels, text=text))
        assert not bars(fig)
        assert any(a.text == "non publié" for a in fig.layout.annotations)
        assert fig.layout.title.text == "Demandes des assurés"


def test_indicators_in_different_units_are_refused(
    two_caisses: pd.DataFrame, indicator: Callable[..., Indicator], text: FigureText
) -> None:
    mixed = [indicator("demandes", "Demandes"), indicator("montant", "Montant", "€")]
    with pytest.raises(ValueError, match="une unité"):
        build_volume_bars(ChartData(two_caisses, indicators=mixed, text=text))


def test_the_comparison_year_is_a_hatched_bar_beside_the_year_named_in_the_legend(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    saisines = indicator("saisines", "Saisines du médiateur")
    now = observations((CDO, "saisines", 659), annee=2020)
    then = observations((CDO, "saisines", 933), annee=2019)
    fig = build_volume_bars(ChartData(now, indicators=[saisines], text=text, compared=then))
    before, current = bars(fig)
    assert (before.name, current.name) == ("2019", "2020")
    assert (list(before.y), list(current.y)) == ([933], [659])
    assert (list(before.text), list(current.text)) == (["933"], ["659"])
    assert before.marker.pattern.shape == "/"
    assert not current.marker.pattern.shape
    assert before.offsetgroup != current.offsetgroup  # side by side, never stacked
    assert fig.layout.showlegend is True
    assert fig.layout.barmode == "group"
    assert before.customdata[0][1] == "Saisines du médiateur, 2019"


def test_without_a_published_comparison_nothing_more_is_drawn(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText, observations
) -> None:
    empty = observations((CDO, "autre", 1), annee=2023)
    assert [
        b.name
        for b in bars(
            build_volume_bars(ChartData(two_caisses, indicators=channels, text=text, compared=empty))
        )
    ] == [
        "CPAM de la Côte-d'Or",
        "CPAM de Saône-et-Loire",
    ]


def test_a_value_for_part_of_the_year_is_labelled_with_its_period(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    asi = indicator("asi", "Bénéficiaires de l'ASI couverts par présomption de droit")
    fig = build_volume_bars(
        ChartData(observations((CDO, "asi", 28, {"periode": "semestre-2"})), indicators=[asi], text=text)
    )
    (bar,) = bars(fig)
    assert list(bar.y) == [28]
    assert bar.text[0] == "28<br>2e semestre 2024"
    assert bar.customdata[0][2] == "28 (2e semestre 2024)"
    assert not unpublished_marks(fig)


def test_a_calculated_value_says_so_on_its_bar_in_its_hover_and_in_a_note(
    observations: Callable[..., pd.DataFrame],
    indicator: Callable[..., Indicator],
    text: FigureText,
    named_annotations,
) -> None:
    adherents = indicator("adherents", "Adhérents au compte ameli")
    now = observations((CDO, "adherents", 312009))
    then = observations(
        (
            CDO,
            "adherents",
            299359,
            {"derive": True, "derivation": "312 009 adhérents en 2024 moins la hausse publiée"},
        ),
        annee=2023,
    )
    fig = build_volume_bars(ChartData(now, indicators=[adherents], text=text, compared=then))
    before, current = bars(fig)
    assert before.text[0] == f"299{NB}359<br>calculée"
    assert before.customdata[0][2] == f"299{NB}359 (valeur calculée)"
    assert current.text[0] == f"312{NB}009"
    assert unwrap(named_annotations(fig)["notes"]) == (
        "Valeur calculée (CPAM de la Côte-d'Or, 2023) : 312 009 adhérents en 2024 moins la hausse publiée"
    )


def test_euros_are_whole_on_the_bars_and_exact_in_the_hover(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    ville = indicator("ville", "Dépenses de soins de ville (ONDAM)", "€")
    (bar,) = bars(
        build_volume_bars(
            ChartData(observations((CDO, "ville", 729117024.69)), indicators=[ville], text=text)
        )
    )
    assert bar.text[0] == f"729{NB}117{NB}025{NB}€"
    assert bar.customdata[0][2] == f"729{NB}117{NB}024,69{NB}€"


def test_labels_cut_alike_stay_distinct_and_each_bar_keeps_its_own_value(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator], text: FigureText
) -> None:
    names = [
        ("soins", "Accompagnements santé portant sur l'accès aux soins", 450),
        ("cours", "Accompagnements santé encore en cours", 194),
        ("droits", "Accompagnements santé clôturés avec succès (droits)", 599),
        ("succes", "Accompagnements santé clôturés avec succès (soins)", 600),
        ("a", "Accompagnements santé orientés vers un partenaire", 12),
        ("b", "Accompagnements santé abandonnés par l'assuré", 30),
        ("c", "Accompagnements santé refusés par l'assuré", 8),
    ]
    indicators = [indicator(code, label) for code, label, _ in names]
    frame = observations(*[(CDO, code, value) for code, _, value in names])
    (bar,) = bars(build_volume_bars(ChartData(frame, indicators=indicators, text=text)))
    assert len(set(bar.x)) == len(names)  # one slot each: nothing stacked into another bar
    assert list(bar.y) == [value for _, _, value in names]
    assert list(bar.text) == [str(value) for _, _, value in names]


def test_a_category_nobody_published_reads_non_publie_once_in_its_middle(
    two_caisses: pd.DataFrame, channels: list[Indicator], text: FigureText, observations, named_annotations
) -> None:
    frame = two_caisses.assign(valeur=[2100000, math.nan, 95000, 3872394, math.nan, 1000])
    fig = build_volume_bars(ChartData(frame, indicators=channels, text=text))
    assert not unpublished_marks(fig)  # no mark piled up per caisse in the empty group
    (mark,) = [a for a in fig.layout.annotations if a.name == "unpublished-category"]
    assert (mark.text, mark.x, mark.y) == ("non publié", "Appels reçus au 3646", 0)
