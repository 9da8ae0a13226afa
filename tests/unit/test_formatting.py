"""French formatting: what a director reads on cards, tables, hovers and slides."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from dashboard.formatting import (
    NON_PUBLIE,
    format_change,
    format_date,
    format_datetime,
    format_nature,
    format_number,
    format_periode,
    format_points,
    format_qualificatif,
    format_unit,
    format_value,
    format_year,
)

NB = "\u00a0"  # no-break space
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3872394, "3\u00a0872\u00a0394"),
        (8.06, "8,06"),
        (96.65, "96,65"),
        (12.0, "12"),
        (29.8, "29,8"),
        (0, "0"),
        (999, "999"),
        (1000, "1\u00a0000"),
        (2_500_000_000, "2\u00a0500\u00a0000\u00a0000"),
        (1234.5678, "1\u00a0234,57"),
        (-4.5, "\u22124,5"),
        (-1234567, "\u22121\u00a0234\u00a0567"),
    ],
)
def test_number_is_grouped_with_no_break_spaces_and_a_decimal_comma(value: float, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.005, "0,01"),  # half away from zero on the decimal digits, not on the binary float
        (2.675, "2,68"),
        (1.005, "1,01"),
        (0.004, "0"),
        (-0.004, "0"),  # never "−0"
        (-0.005, "\u22120,01"),
        (99.999, "100"),
        (12.10, "12,1"),
    ],
)
def test_rounding_edge_cases_read_as_a_person_expects(value: float, expected: str) -> None:
    assert format_number(value) == expected


def test_fixed_decimals_keep_trailing_zeros() -> None:
    assert format_number(77.3, 2) == "77,30"
    assert format_number(3872394.4, 0) == "3\u00a0872\u00a0394"
    assert format_number(0.5, 0) == "1"


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), np.nan, pd.NA, pd.NaT, math.inf])
def test_missing_values_read_non_publie_never_zero(missing: object) -> None:
    assert format_number(missing) == "non publié"  # type: ignore[arg-type]
    assert format_value(missing, "%") == NON_PUBLIE  # type: ignore[arg-type]
    assert format_value(missing, "nombre", "plus de") == NON_PUBLIE  # type: ignore[arg-type]
    assert format_change(missing, "evolution_pct", "nombre") == NON_PUBLIE  # type: ignore[arg-type]
    assert format_points(missing) == NON_PUBLIE  # type: ignore[arg-type]


@pytest.mark.parametrize("wrong", ["3 872 394", "12", date(2024, 1, 1), True, [1.0], object()])
def test_a_value_of_the_wrong_type_is_a_bug_raised_never_read_as_non_publie(wrong: object) -> None:
    for format_call in (
        lambda: format_number(wrong),  # type: ignore[arg-type]
        lambda: format_value(wrong, "%"),  # type: ignore[arg-type]
        lambda: format_change(wrong, "evolution_pct", "nombre"),  # type: ignore[arg-type]
        lambda: format_points(wrong),  # type: ignore[arg-type]
        lambda: format_unit("jours", wrong),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError, match="nombre attendu"):
            format_call()


def test_numpy_numbers_are_formatted_like_python_numbers() -> None:
    assert format_number(np.float64(8.06)) == "8,06"
    assert format_number(np.int64(3872394)) == "3\u00a0872\u00a0394"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "unite", "expected"),
    [
        (3872394, "nombre", "3\u00a0872\u00a0394"),
        (77.36, "%", "77,36\u00a0%"),
        (414463, "€", "414\u00a0463\u00a0€"),
        (12.5, "€", "12,50\u00a0€"),
        (2_500_000_000, "€", "2\u00a0500\u00a0000\u00a0000\u00a0€"),
        (8.06, "minutes", "8,06\u00a0min"),
        (15, "jours", "15\u00a0jours"),
        (48, "heures", "48\u00a0h"),
    ],
)
def test_value_carries_its_unit_after_a_no_break_space(value: float, unite: str, expected: str) -> None:
    assert format_value(value, unite) == expected


# French puts the singular below two: « 1,5 jour », « 0 jour », but « 29,8 jours ».
@pytest.mark.parametrize(
    ("days", "expected"), [(1, "1 jour"), (1.5, "1,5 jour"), (0, "0 jour"), (29.8, "29,8 jours")]
)
def test_days_agree_in_number(days: float, expected: str) -> None:
    assert format_value(days, "jours") == expected.replace(" ", "\u00a0")


@pytest.mark.parametrize(
    ("value", "unite", "qualificatif", "expected"),
    [
        (1000, "nombre", "plus de", "plus de 1\u00a0000"),
        (90, "%", "environ", "environ 90\u00a0%"),
        (15, "jours", "moins de", "moins de 15\u00a0jours"),
        (1000, "nombre", "exact", "1\u00a0000"),
        (1000, "nombre", None, "1\u00a0000"),
        (1000, "nombre", "", "1\u00a0000"),
    ],
)
def test_qualifier_comes_before_the_value(
    value: float, unite: str, qualificatif: str | None, expected: str
) -> None:
    assert format_value(value, unite, qualificatif) == expected


def test_unknown_unit_or_qualifier_is_refused() -> None:
    with pytest.raises(ValueError, match="unité inconnue"):
        format_value(1, "kg")
    with pytest.raises(ValueError, match="qualificatif inconnu"):
        format_value(1, "nombre", "à peu près")


@pytest.mark.parametrize(
    ("value", "nature", "unite", "expected"),
    [
        (3.2, "evolution_pct", "nombre", "+3,2\u00a0%"),
        (-13.77, "evolution_pct", "nombre", "\u221213,77\u00a0%"),
        (0, "evolution_pct", "nombre", "0\u00a0%"),
        (0.001, "evolution_pct", "nombre", "0\u00a0%"),
        (12650, "evolution_val", "nombre", "+12\u00a0650"),
        (-12650, "evolution_val", "nombre", "\u221212\u00a0650"),
        (414463, "evolution_val", "€", "+414\u00a0463\u00a0€"),
        (-2.5, "evolution_val", "jours", "\u22122,5\u00a0jours"),
        (1, "evolution_val", "jours", "+1\u00a0jour"),
        (0.5, "evolution_val", "minutes", "+0,5\u00a0min"),
        (2.1, "evolution_val", "%", "+2,1\u00a0pts"),  # a change of a rate is in points
        (3872394, "niveau", "nombre", "3\u00a0872\u00a0394"),
    ],
)
def test_change_is_signed_with_a_true_minus(value: float, nature: str, unite: str, expected: str) -> None:
    assert format_change(value, nature, unite) == expected


def test_change_with_fixed_decimals() -> None:
    assert format_change(3.21, "evolution_pct", "nombre", decimals=1) == f"+3,2{NB}%"


def test_unknown_nature_is_refused() -> None:
    with pytest.raises(ValueError, match="nature inconnue"):
        format_change(1, "tendance", "nombre")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.1, "+2,1\u00a0pts"),
        (-0.5, "\u22120,5\u00a0pt"),
        (1, "+1\u00a0pt"),
        (2, "+2\u00a0pts"),
        (0, "0\u00a0pt"),
    ],
)
def test_points_for_differences_of_rates(value: float, expected: str) -> None:
    assert format_points(value) == expected


def test_year_is_never_grouped() -> None:
    assert format_year(2024) == "2024"


def test_dates_in_words() -> None:
    assert format_date(date(2026, 11, 23)) == "23 novembre 2026"
    assert format_date(date(2025, 3, 1)) == "1er mars 2025"
    assert format_date(datetime(2024, 8, 15, 9, 30)) == "15 août 2024"
    assert format_date(date(2024, 2, 5)) == "5 février 2024"
    assert format_datetime(datetime(2026, 11, 23, 17, 5)) == f"23 novembre 2026 à 17{NB}h{NB}05"
    assert format_datetime(datetime(2026, 1, 1, 0, 0)) == f"1er janvier 2026 à 0{NB}h{NB}00"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("annee", "année"),
        ("fin_annee", "fin d'année"),
        ("cumul", "cumul"),
        ("semestre-1", "1er semestre"),
        ("semestre-2", "2e semestre"),
        ("pic", "pic"),
        ("mois-01", "janvier"),
        ("mois-04", "avril"),
        ("mois-08", "août"),
        ("mois-12", "décembre"),
    ],
)
def test_period_codes_in_french(code: str, expected: str) -> None:
    assert format_periode(code) == expected


def test_every_period_code_of_the_import_format_has_words() -> None:
    from dashboard.data.columns import NATURES, PERIODS, QUALIFIERS

    assert all(format_periode(code) for code in PERIODS)
    assert all(format_nature(code) for code in NATURES)
    assert [format_qualificatif(code) for code in QUALIFIERS] == ["", "plus de", "environ", "moins de"]


def test_nature_codes_in_french() -> None:
    assert format_nature("niveau") == "niveau"
    assert format_nature("evolution_pct") == "évolution en %"
    assert format_nature("evolution_val") == "évolution en valeur"


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="période inconnue"):
        format_periode("mois-13")
    with pytest.raises(ValueError, match="nature inconnue"):
        format_nature("niv")
    with pytest.raises(ValueError, match="qualificatif inconnu"):
        format_qualificatif("presque")


def test_unit_words() -> None:
    assert format_unit("nombre") == ""
    assert format_unit("%") == "%"
    assert format_unit("jours", 1) == "jour"
    assert format_unit("jours", 3) == "jours"
    assert format_unit("jours") == "jours"
    assert format_unit("heures") == "h"
    assert format_unit("minutes") == "min"
