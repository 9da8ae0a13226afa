"""Key figures and the speaker's sentence: stated from the data, a change only when comparable."""

import pytest

from dashboard.analysis import key_figure
from dashboard.export.story import key_numbers, main_figure, note_sentence

NBSP = "\u00a0"
NAMES = {"cpam-21": "CPAM de la Côte-d'Or", "cpam-85": "CPAM de la Vendée"}


@pytest.fixture
def figures(make_frame, tiny_catalog):
    def build(records, caisses=("cpam-21",), comparison=2023, codes=("demandes_total",)):
        frame = make_frame(*records)
        return [key_figure(frame, tiny_catalog.get(c), list(caisses), 2024, comparison) for c in codes]

    return build


def test_comparable_years_give_the_change_in_the_sentence_and_a_key_number(figures):
    found = figures(
        [("cpam-21", 2023, "demandes_total", 100000), ("cpam-21", 2024, "demandes_total", 110000)]
    )

    sentence = note_sentence(main_figure(found), 2024, 2023, NAMES, "CPAM de la Côte-d'Or — 2024")
    assert sentence == (
        f"En 2024, demandes des assurés : 110{NBSP}000 pour CPAM de la Côte-d'Or, "
        f"soit +10{NBSP}000 (+10,0{NBSP}%) par rapport à 2023."
    )
    assert [n.value for n in key_numbers(found, 2023, NAMES)] == [
        f"110{NBSP}000",
        f"+10{NBSP}000 (+10,0{NBSP}%)",
    ]


def test_an_approximate_year_is_not_compared(figures):
    found = figures(
        [
            ("cpam-21", 2023, "demandes_total", 100000, {"qualificatif": "environ"}),
            ("cpam-21", 2024, "demandes_total", 110000),
        ]
    )

    sentence = note_sentence(main_figure(found), 2024, 2023, NAMES, "CPAM de la Côte-d'Or — 2024")
    assert "n'est pas calculée" in sentence
    assert "soit" not in sentence
    assert len(key_numbers(found, 2023, NAMES)) == 1


def test_missing_comparison_year_is_said_not_invented(figures):
    found = figures([("cpam-21", 2024, "demandes_total", 110000)])

    sentence = note_sentence(main_figure(found), 2024, 2023, NAMES, "CPAM de la Côte-d'Or — 2024")
    assert sentence.endswith("; le chiffre de 2023 n'a pas été publié.")


def test_unpublished_reads_non_publie_never_zero(figures):
    found = figures([("cpam-21", 2023, "demandes_total", 5)])

    assert note_sentence(main_figure(found), 2024, None, NAMES, "CPAM de la Côte-d'Or — 2024") == (
        "Demandes des assurés : non publié pour CPAM de la Côte-d'Or — 2024."
    )
    assert [(n.value, n.label) for n in key_numbers(found, None, NAMES)] == [
        ("non publié", "Demandes des assurés")
    ]


def test_a_rate_across_caisses_is_given_per_caisse_not_summed(figures):
    records = [("cpam-21", 2024, "temps_attente_moyen", 8.06), ("cpam-85", 2024, "temps_attente_moyen", 5.5)]
    found = figures(records, caisses=("cpam-21", "cpam-85"), comparison=None, codes=("temps_attente_moyen",))

    numbers = key_numbers(found, None, NAMES)
    assert [n.label for n in numbers] == [
        "Temps d'attente moyen au 3646 — CPAM de la Côte-d'Or",
        "Temps d'attente moyen au 3646 — CPAM de la Vendée",
    ]
    sentence = note_sentence(main_figure(found), 2024, None, NAMES, "2 caisses — 2024")
    assert "non additionnable" in sentence
    assert f"8,06{NBSP}min" in sentence


def test_at_most_four_key_numbers_key_indicators_first(figures):
    records = [
        (caisse, year, code, value)
        for caisse in ("cpam-21",)
        for year in (2023, 2024)
        for code, value in (("demandes_total", 1000 + year), ("appels_3646_recus", 500 + year))
    ]
    found = figures(records, codes=("appels_3646_recus", "demandes_total"))

    numbers = key_numbers(found, 2023, NAMES)
    assert len(numbers) == 4
    assert numbers[0].label == "Appels reçus au 3646"


def test_several_caisses_are_described_one_by_one_with_non_publie_only_where_missing(
    make_frame, tiny_catalog
):
    from dashboard.export.story import caisses_sentence

    frame = make_frame(
        ("cpam-21", 2023, "demandes_total", 100000),
        ("cpam-21", 2024, "demandes_total", 110000),
        ("cpam-85", 2023, "demandes_total", 50000),
    )
    indicator = tiny_catalog.get("demandes_total")
    per_caisse = [(c, key_figure(frame, indicator, [c], 2024, 2023)) for c in ("cpam-21", "cpam-85")]
    total = key_figure(frame, indicator, ["cpam-21", "cpam-85"], 2024, 2023)

    assert caisses_sentence(per_caisse, total, 2024, 2023, NAMES) == (
        f"En 2024, demandes des assurés : CPAM de la Côte-d'Or, 110{NBSP}000, soit +10{NBSP}000 "
        f"(+10,0{NBSP}%) par rapport à 2023 ; CPAM de la Vendée, non publié."
    )
