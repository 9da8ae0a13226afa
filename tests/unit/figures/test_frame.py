"""Finishing shared by every figure: title, subtitle and source inside and clear of the plot, "non publié"."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.data.catalog import Indicator
from dashboard.figures import ChartData, FigureText, build_rate_bars, build_unpublished, finish
from dashboard.figures.frame import annotate, drawn_levels, new_figure, scatter, set_layout, source_text
from dashboard.figures.layout import CARD_HEIGHT, SOURCE_WIDTH, SUBTITLE_WIDTH, TITLE_WIDTH, plain, wrap

NB = "\u00a0"


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


def test_a_long_title_is_wrapped_to_fit_the_narrowest_card() -> None:
    title = "Répartition : dossiers examinés par la commission de recours amiable"
    fig = finish(go.Figure(), FigureText(title, "", "x"))
    lines = fig.layout.title.text.split("<br>")
    assert lines == ["Répartition : dossiers examinés par la", "commission de recours amiable"]
    assert all(len(line) <= TITLE_WIDTH for line in lines)


def test_a_long_subtitle_is_wrapped_too() -> None:
    subtitle = "CPAM de Roubaix-Tourcoing, CPAM des Alpes-de-Haute-Provence, CPAM de la Côte-d'Or — 2024"
    fig = finish(go.Figure(), FigureText("Titre", subtitle, "x"))
    lines = fig.layout.title.subtitle.text.split("<br>")
    assert len(lines) == 2
    assert " ".join(lines) == subtitle
    assert all(len(line) <= SUBTITLE_WIDTH for line in lines)


def test_a_title_of_two_lines_keeps_its_first_line_in_place_and_pushes_the_plot_down() -> None:
    one = finish(go.Figure(), FigureText("Titre court", "Sous-titre", "x"))
    two = finish(go.Figure(), FigureText("Titre " * 10, "Sous-titre", "x"))
    # Plotly raises a title of several lines: its pad compensates, and the top margin grows by a line.
    assert two.layout.title.pad.t > one.layout.title.pad.t
    assert two.layout.margin.t - one.layout.margin.t >= 22


def test_the_top_margin_makes_room_for_the_legend_rows(text: FigureText) -> None:
    def figure(names: list[str]) -> go.Figure:
        fig = go.Figure([go.Bar(x=["a"], y=[1], name=name) for name in names])
        fig.update_layout(showlegend=True)
        return finish(fig, text)

    one_row = figure(["CPAM de la Côte-d'Or"])
    three_rows = figure(
        ["CPAM des Alpes-de-Haute-Provence", "CPAM de Roubaix-Tourcoing", "CPAM de Paris"] * 2
    )
    assert three_rows.layout.margin.t - one_row.layout.margin.t >= 2 * 16


def test_notes_and_source_start_at_the_figure_left_edge_whatever_the_axis_labels(
    named_annotations: Callable[[go.Figure], dict[str, str]],
) -> None:
    fig = go.Figure(
        go.Bar(x=[1, 2], y=["CPAM des Alpes-de-Haute-Provence", "CPAM de Paris"], orientation="h")
    )
    fig.update_layout(yaxis={"categoryarray": ["CPAM des Alpes-de-Haute-Provence", "CPAM de Paris"]})
    finish(fig, FigureText("Titre", "", "x"), notes=["Une note"])
    assert fig.layout.margin.l > 150  # room for the caisses' names
    for annotation in fig.layout.annotations:
        assert annotation.xref == "paper"
        assert annotation.x == 0
        assert fig.layout.margin.l + annotation.xshift == theme.MARGIN_SIDE


def test_notes_and_source_lines_fit_the_narrowest_card(
    named_annotations: Callable[[go.Figure], dict[str, str]],
) -> None:
    long_source = " ; ".join(f"Rapport d'activité 2024 de la CPAM n° {n}" for n in range(5))
    fig = finish(go.Figure(), FigureText("Titre", "", long_source), notes=["Non publié : " + "E-mail, " * 20])
    for text in named_annotations(fig).values():
        assert all(len(plain(line)) <= SOURCE_WIDTH for line in text.split("<br>"))


def test_crowded_bar_labels_are_rewritten_on_fewer_lines(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    names = [
        "CPAM des Alpes-de-Haute-Provence",
        "CPAM du Territoire de Belfort",
        "CPAM de la Meurthe-et-Moselle",
        "CPAM des Pyrénées-Atlantiques",
        "CPAM de Roubaix-Tourcoing",
        "CPAM de la Côte-d'Or",
    ]
    frame = observations(*[((f"cpam-{i}", n), "t", 50 + i) for i, n in enumerate(names)], unite="%")
    text = FigureText("Part des e-mails traités en moins de 48 heures", "6 caisses — 2024", "x")
    fig = build_rate_bars(ChartData(frame, indicators=[indicator("t", "Taux", "%", "taux")], text=text))
    (bar,) = fig.data
    rows = len(bar.y)
    plot_height = CARD_HEIGHT - fig.layout.margin.t - fig.layout.margin.b
    lines = max(label.count("<br>") + 1 for label in bar.y)
    assert lines * 13 * 1.3 <= plot_height / rows  # every label fits its row in the narrowest card
    assert [plain(label.replace("<br>", " ")) for label in bar.y] == names
    assert list(fig.layout.yaxis.categoryarray) == list(bar.y)


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


def test_set_layout_and_annotate_give_the_figure_plotly_update_layout_and_add_annotation_give() -> None:
    def drawn() -> go.Figure:
        fig = new_figure([scatter(x=["2023", "2024"], y=[1.0, 2.0], name="CPAM")])
        fig.layout.title = {"text": "Titre", "font": {"size": 20}}
        fig.layout.yaxis = {"rangemode": "tozero", "ticksuffix": " %"}
        return fig

    changes = {
        "title": {"font": {"weight": 700}, "subtitle": {"text": "Sous-titre"}},  # merged into the title
        "yaxis": {"range": [0, 100.0]},  # merged into the axis
        "margin": {"l": 60, "t": 80},
        "showlegend": False,
    }
    ours, plotlys = set_layout(drawn(), **changes), drawn().update_layout(**changes)
    annotate(ours, text="Source", x=0, y=0, xref="paper", yref="paper", showarrow=False)
    plotlys.add_annotation(text="Source", x=0, y=0, xref="paper", yref="paper", showarrow=False)
    assert ours.to_plotly_json() == plotlys.to_plotly_json()
    assert ours.layout.title.font.size == 20
    assert ours.layout.title.font.weight == 700


def test_set_layout_keeps_the_caller_s_dicts_its_own() -> None:
    # Plotly keeps an unvalidated dict as given: without a copy, writing to the figure changed the caller's.
    yaxis = {"title": {"text": "Demandes"}, "ticksuffix": " %"}
    fig = set_layout(new_figure(), yaxis=yaxis)
    fig.layout.yaxis.title.text = "Autre titre"
    fig.layout.yaxis.ticksuffix = ""
    assert yaxis == {"title": {"text": "Demandes"}, "ticksuffix": " %"}
    assert fig.layout.yaxis.title.text == "Autre titre"


def test_drawn_levels_are_the_latest_year_s_levels_first_row_per_caisse_and_indicator() -> None:
    rows = pd.DataFrame(
        {
            "caisse": ["a", "a", "b", "a", "b", "a", "b", "c"],
            "indicateur": ["x", "x", "x", "x", "x", "y", "x", "z"],
            "annee": [2023, 2024, 2024, 2024, 2024, 2024, 2024, 2024],
            "nature": [
                "niveau",
                "niveau",
                float("nan"),
                "niveau",
                "niveau",
                "niveau",
                "evolution_pct",
                "niveau",
            ],
            "valeur": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        },
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    drawn = drawn_levels(rows, ["x", "y"])
    # 2023 is not the latest year; a's second x row and b's second level repeat a cell; a change is no
    # level; z was not asked for. A missing nature counts as a level. Order and index are the frame's.
    assert drawn.index.tolist() == [11, 12, 15]
    assert drawn["valeur"].tolist() == [2.0, 3.0, 6.0]
    assert drawn_levels(rows.drop(columns="nature"), ["x"]).index.tolist() == [11, 12]
    nothing = drawn_levels(rows, ["w"])
    assert nothing.empty
    assert list(nothing.columns) == list(rows.columns)
    # A year missing from a nullable column is no year, as pandas' own comparison has it.
    nullable = rows.astype({"annee": "Int64"})
    nullable.loc[11, "annee"] = pd.NA
    assert drawn_levels(nullable, ["x", "y"]).index.tolist() == [12, 13, 15]
    assert drawn_levels(rows.astype({"nature": "string"}), ["x", "y"]).index.tolist() == [11, 12, 15]
