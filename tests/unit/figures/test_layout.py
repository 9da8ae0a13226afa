"""Text geometry: wrapping for the narrowest card, and the room plotly gives text, in pixels."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.figures import layout


def test_widths_fit_the_narrowest_card_at_the_theme_sizes() -> None:
    room = layout.CARD_WIDTH - theme.MARGIN_SIDE - layout.RIGHT_PAD
    assert room >= layout.TITLE_WIDTH * theme.TITLE_SIZE * layout.BOLD_EM
    assert room >= layout.SUBTITLE_WIDTH * theme.SUBTITLE_SIZE * layout.REGULAR_EM
    assert room >= layout.SOURCE_WIDTH * theme.SOURCE_SIZE * layout.REGULAR_EM
    assert pytest.approx(16 / 9, abs=0.01) == layout.CARD_WIDTH / layout.CARD_HEIGHT


def test_a_word_longer_than_a_line_breaks_after_a_hyphen_only_then() -> None:
    assert layout.wrap("CPAM de Saône-et-Loire", 18) == ["CPAM de", "Saône-et-Loire"]
    assert layout.wrap("CPAM des Alpes-de-Haute-Provence", 15, max_lines=None) == [
        "CPAM des",
        "Alpes-de-Haute-",
        "Provence",
    ]


def test_a_wrapped_label_unwraps_to_its_text() -> None:
    for text in ("CPAM des Alpes-de-Haute-Provence", "Part des e-mails traités en moins de 48 h & plus"):
        assert layout.unwrap(layout.wrap_label(text, 10, max_lines=9)) == text


def test_fit_label_uses_no_more_lines_than_allowed() -> None:
    text = "Part des professionnels et établissements de santé parmi les requérants"
    assert layout.fit_label(text, 3).count("<br>") == 2
    two = layout.fit_label(text, 2).split("<br>")
    assert len(two) == 2
    assert not two[-1].endswith("…")
    assert layout.fit_label("CPAM du Territoire de Belfort", 1) == "CPAM du Territoire de Belfort"


def test_text_px_measures_the_longest_plain_line() -> None:
    assert layout.text_px("ab<br>abcd", 10) == layout.text_px("abcd", 10)
    assert layout.text_px("&amp;", 10) == layout.text_px("&", 10)
    assert layout.text_px("<b>abc</b>", 10, bold=True) > layout.text_px("abc", 10)


def test_the_title_block_grows_a_line_at_a_time() -> None:
    pad_one, one = layout.title_block(1, 0)
    pad_two, two = layout.title_block(2, 0)
    assert pad_two - pad_one == pytest.approx(
        layout.CAP_SHIFT * theme.TITLE_SIZE
    )  # plotly raises a title of two lines
    assert two - one == pytest.approx(layout.line_px(theme.TITLE_SIZE))
    _, with_subtitle = layout.title_block(1, 1)
    _, with_two_lines = layout.title_block(1, 2)
    assert with_subtitle - one > theme.SUBTITLE_SIZE
    assert with_two_lines > with_subtitle


def test_legend_rows_follow_the_plot_width() -> None:
    fig = go.Figure([go.Bar(x=["a"], y=[1], name=f"CPAM numéro {i}") for i in range(6)])
    fig.update_layout(showlegend=True)
    wide, narrow = layout.legend_height(fig, 1500), layout.legend_height(fig, 300)
    assert narrow > 2 * wide
    fig.update_layout(legend={"orientation": "v"})
    assert layout.legend_height(fig, 300) == 0
    fig.update_layout(showlegend=False)
    assert layout.legend_height(fig, 300) == 0


def test_room_for_labels_counts_each_label_lines() -> None:
    one_line = layout.room_for_labels([(100.0, "100")], 200)
    two_lines = layout.room_for_labels([(100.0, "plus de<br>100")], 200)
    assert 110 <= one_line < two_lines <= 200
    assert layout.room_for_labels([(100.0, ""), (10.0, "a<br>b<br>c")], 200) == pytest.approx(110)
    assert layout.room_for_labels([(100.0, "100")], 10) == pytest.approx(200)  # never more than twice the top


def test_labels_cut_alike_are_told_apart_by_what_differs() -> None:
    texts = [
        "Accompagnements santé clôturés avec succès (droits)",
        "Accompagnements santé clôturés avec succès (soins)",
        "Demandes de remise de dette",
    ]
    # Cut to two lines of 12 characters, both long labels would read "Accompagnements santé clôturés…".
    assert layout.wrap_label(texts[0], 12, 2) == layout.wrap_label(texts[1], 12, 2)
    labels = layout.distinct_labels(texts, 12, 2)
    assert len(set(labels)) == 3
    assert layout.unwrap(labels[0]).endswith("(droits)")
    assert layout.unwrap(labels[1]).endswith("(soins)")
    assert labels[2] == layout.wrap_label(texts[2], 12, 2)  # a label that clashes with none is untouched


def test_labels_alike_even_in_full_are_numbered() -> None:
    labels = layout.distinct_labels(["CPAM du Nord", "CPAM du Nord"])
    assert labels == ["CPAM du Nord", "CPAM du Nord (2)"]
