"""Periods are written and read back from one list of French words: what is shown is what is accepted."""

from datetime import date

import pytest

from dashboard import periods
from dashboard.data.parsing import ParseError, parse_period
from dashboard.formatting import format_date, format_periode


@pytest.mark.parametrize("code", periods.CODES)
def test_the_words_shown_for_a_period_read_back_as_the_same_period(code):
    assert parse_period(format_periode(code)) == code
    assert parse_period(format_periode(code).upper()) == code  # typed in capitals, accents kept or not


def test_every_choice_of_the_template_list_is_a_period_the_import_accepts():
    assert sorted(parse_period(word) for word in periods.TEMPLATE_CHOICES) == sorted(
        code for code in periods.CODES if code != periods.WHOLE_YEAR
    )
    assert parse_period("") == periods.WHOLE_YEAR  # a blank cell is the whole year


def test_months_are_french_in_dates_and_in_periods():
    assert format_date(date(2026, 2, 1)) == "1er février 2026"
    assert format_periode("mois-08") == "août"
    assert parse_period("aout") == parse_period("Août") == "mois-08"
    with pytest.raises(ParseError, match="période inconnue"):
        parse_period("treizième mois")
