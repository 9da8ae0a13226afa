"""Finishing shared by every figure: title, subtitle and source inside, "non publié", text alternative."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.data.catalog import Indicator
from dashboard.figures import FigureText, build_unpublished, describe, finish
from dashboard.figures.frame import source_text, wrap

NB = "\u00a0"
CDO = ("cpam-21", "CPAM de la Côte-d'Or")
SEL = ("cpam-71", "CPAM de Saône-et-Loire")


def test_title_subtitle_and_source_are_inside_the_figure(
    text: FigureText, named_annotations: Callable[[go.Figure], dict[str, str]]
) -> None:
    fig = finish(go.Figure(go.Bar(x=["a"], y=[1])), text)
    assert fig.layout.title.text == "Demandes des assurés"
    assert fig.layout.title.subtitle.text == "Nombre de demandes, 2024"
    assert named_annotations(fig)["source"] == "Source : rapport d'activité 2024 de la CPAM"
    assert fig.layout.template.layout.separators == f",{NB}"  # the theme is applied explicitly


def test_several_sources_read_sources() -> None:
    assert source_text("rapport 2023 ; rapport 2024") == "Sources : rapport 2023 ; rapport 2024"
    assert source_text("Source : Insee") == "Source : Insee"


def test_long_source_is_wrapped_and_shortened(
    named_annotations: Callable[[go.Figure], dict[str, str]],
) -> None:
    long_source = " ; ".join(
        f"rapport d'activité {year} de la CPAM de la Côte-d'Or" for year in range(2015, 2025)
    )
    fig = finish(go.Figure(), FigureText("Titre", "", long_source))
    lines = named_annotations(fig)["source"].split("<br>")
    assert len(lines) == 2
    assert lines[0].startswith("Sources : rapport d'activité 2015")
    assert lines[1].endswith("…")


def test_notes_are_shown_above_the_source(
    text: FigureText, named_annotations: Callable[[go.Figure], dict[str, str]]
) -> None:
    fig = finish(go.Figure(go.Bar(x=["a"], y=[1])), text, notes=["Les parts publiées totalisent 97 %"])
    shown = named_annotations(fig)
    assert shown["notes"] == "Les parts publiées totalisent 97 %"
    notes = next(a for a in fig.layout.annotations if a.name == "notes")
    source = next(a for a in fig.layout.annotations if a.name == "source")
    assert source.yshift < notes.yshift  # lower on the page


def test_the_top_margin_grows_with_a_longer_title_block() -> None:
    short = finish(go.Figure(), FigureText("Titre", "", "x"))
    long = finish(go.Figure(), FigureText("Titre " * 20, "Sous-titre " * 15, "x"))
    assert long.layout.margin.t > short.layout.margin.t


def test_rich_text_characters_in_titles_are_escaped() -> None:
    fig = finish(go.Figure(), FigureText("Taux < 5 % & plus", "", "x"))
    assert fig.layout.title.text == "Taux &lt; 5 % &amp; plus"


def test_no_break_spaces_in_numbers_never_break_a_line() -> None:
    lines = wrap(f"Total 3{NB}872{NB}394 demandes", 9, max_lines=None)
    assert f"3{NB}872{NB}394" in lines


def test_unpublished_placeholder_reads_non_publie_with_hidden_axes(
    text: FigureText, named_annotations: Callable[[go.Figure], dict[str, str]]
) -> None:
    fig = build_unpublished(text)
    shown = named_annotations(fig)
    assert shown["unpublished"] == "non publié"
    assert shown["source"].startswith("Source : ")
    assert fig.layout.title.text == "Demandes des assurés"
    assert len(fig.data) == 0  # never a zero bar
    assert fig.layout.xaxis.visible is False
    assert fig.layout.yaxis.visible is False
    big = next(a for a in fig.layout.annotations if a.name == "unpublished")
    assert (big.x, big.y) == (0.5, 0.5)
    assert big.font.size == theme.UNPUBLISHED_SIZE
    assert big.font.color == theme.UNPUBLISHED


def test_unpublished_placeholder_takes_another_message(text: FigureText) -> None:
    fig = build_unpublished(text, message="aucune caisse sélectionnée")
    assert any(a.text == "aucune caisse sélectionnée" for a in fig.layout.annotations)


def test_describe_one_caisse_one_year(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    frame = observations((CDO, "demandes", 3872394))
    summary = describe(frame, indicators=[indicator("demandes", "Demandes des assurés")])
    assert summary == f"Demandes des assurés, CPAM de la Côte-d'Or, 2024 : 3{NB}872{NB}394."


def test_describe_several_caisses_with_units_qualifiers_and_gaps(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    frame = observations(
        (CDO, "taux", 96.65),
        (SEL, "taux", 90, {"qualificatif": "environ"}),
        (("cpam-58", "CPAM de la Nièvre"), "taux", math.nan),
        unite="%",
    )
    summary = describe(frame, indicators=[indicator("taux", "Part des e-mails traités en 48 h", "%", "taux")])
    assert summary == (
        f"Part des e-mails traités en 48 h, 2024 : CPAM de la Côte-d'Or, 96,65{NB}% ; "
        f"CPAM de la Nièvre, non publié ; CPAM de Saône-et-Loire, environ 90{NB}%."
    )


def test_describe_across_years(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    frame = pd.concat(
        [
            observations((CDO, "demandes", 3500000), annee=2022),
            observations((CDO, "demandes", 3872394), annee=2024),
        ]
    )
    summary = describe(frame, indicators=[indicator("demandes", "Demandes des assurés")])
    assert summary == (
        f"Demandes des assurés, CPAM de la Côte-d'Or : 2022, 3{NB}500{NB}000 ; 2024, 3{NB}872{NB}394."
    )


def test_describe_a_published_change(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    frame = observations((CDO, "demandes", -13.77, {"nature": "evolution_pct"}))
    summary = describe(frame, indicators=[indicator("demandes", "Demandes des assurés")])
    assert summary.endswith(f": \u221213,77{NB}%.")


def test_describe_nothing(
    indicator: Callable[..., Indicator], observations: Callable[..., pd.DataFrame]
) -> None:
    frame = observations((CDO, "autre", 1))
    assert describe(frame, indicators=[indicator("demandes", "Demandes")]) == "Aucune donnée publiée."
