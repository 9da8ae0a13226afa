import pytest

from dashboard.data.parsing import (
    ParseError,
    decode_text,
    normalize_header,
    parse_departement_code,
    parse_french_number,
    parse_nature,
    parse_period,
    sniff_separator,
)


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("3 872 394", 3872394.0, "exact"),
        ("3\u00a0872\u00a0394", 3872394.0, "exact"),
        ("191\u202f580", 191580.0, "exact"),
        ("77,36", 77.36, "exact"),
        ("96.65", 96.65, "exact"),
        ("-13,77 %", -13.77, "exact"),
        ("\u221213,77", -13.77, "exact"),
        ("414 463 €", 414463.0, "exact"),
        ("1 000,5", 1000.5, "exact"),
        ("1.000.000", 1000000.0, "exact"),
        ("plus de 1 000", 1000.0, "plus de"),
        ("+ de 2 000", 2000.0, "plus de"),
        ("Près de 63 600", 63600.0, "environ"),
        ("environ 90 %", 90.0, "environ"),
        ("moins de 15", 15.0, "moins de"),
    ],
)
def test_french_numbers_are_read_as_typed(text, value, qualifier):
    parsed = parse_french_number(text)
    assert parsed.value == pytest.approx(value)
    assert parsed.qualifier == qualifier


@pytest.mark.parametrize("text", ["", "abc", "12a", "1,2,3", "plus de", "--5"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ParseError):
        parse_french_number(text)


def test_utf8_with_bom_is_not_mojibake():
    text, encoding = decode_text("\ufeffDépartement".encode())
    assert (text, encoding) == ("Département", "utf-8")


def test_cp1252_is_recognised():
    text, encoding = decode_text("Côte-d'Or".encode("cp1252"))
    assert (text, encoding) == ("Côte-d'Or", "cp1252")


@pytest.mark.parametrize(("header", "sep"), [("a;b;c", ";"), ("a,b,c", ","), ("a\tb", "\t")])
def test_separator_is_sniffed_from_the_header(header, sep):
    assert sniff_separator(header + "\n1,5;2;3") == sep


def test_headers_as_users_type_them():
    assert normalize_header("\ufeff Département ") == "departement"
    assert normalize_header("Année") == "annee"
    assert normalize_header("Année référence") == "annee_reference"


@pytest.mark.parametrize(
    ("text", "code"), [("1", "01"), ("01", "01"), ("2a", "2A"), ("974", "974"), ("21.0", "21")]
)
def test_departement_codes_stay_text(text, code):
    assert parse_departement_code(text) == code


def test_periods_and_natures_accept_french_words():
    assert parse_period("Avril") == "mois-04"
    assert parse_period("1er semestre") == "semestre-1"
    assert parse_period("") == "annee"
    assert parse_nature("Évolution en %") == "evolution_pct"
    assert parse_nature("") == "niveau"
