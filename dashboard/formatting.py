"""The only French formatter: every number, date and code a user reads goes through here.

Cards, tables, hovers, bar labels and exported images all call these functions, so the screen, the images and
the slides show the same text. Conventions (Imprimerie nationale):

- thousands grouped with a no-break space (U+00A0): ``3 872 394``;
- decimal comma: ``8,06``;
- a no-break space between a number and its unit or sign: ``77,36 %``, ``414 463 €``, ``8,06 min``;
- a true minus sign (U+2212) for negative numbers: ``−13,77 %``;
- the singular up to (but excluding) 2: ``1 jour``, ``1,5 jour``, ``2 jours``;
- a missing value (None or NaN) reads ``non publié``, never ``0``.

Rounding is half away from zero on the decimal digits the user sees (``0,005`` → ``0,01``), not on the
binary float (where ``round(2.675, 2)`` gives ``2.67``).
"""

from __future__ import annotations

import math
import numbers
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

import pandas as pd

from dashboard import periods

NBSP: Final = "\u00a0"
MINUS: Final = "\u2212"
NON_PUBLIE: Final = "non publié"
# For widgets that format numbers in the browser (dash_table's Format): the same separators as here.
DECIMAL_SEPARATOR: Final = ","
THOUSANDS_SEPARATOR: Final = NBSP

_MAX_DECIMALS: Final = 2
_FRENCH_SEPARATORS: Final = str.maketrans(",.", f"{THOUSANDS_SEPARATOR}{DECIMAL_SEPARATOR}")

# Unit suffixes after a no-break space; `None` means no suffix. Jours has a singular and a plural.
_UNIT_SUFFIX: Final[dict[str, tuple[str, str] | None]] = {
    "nombre": None,
    "%": ("%", "%"),
    "€": ("€", "€"),
    "minutes": ("min", "min"),
    "heures": ("h", "h"),
    "jours": ("jour", "jours"),
}

_QUALIFIER_TEXT: Final[dict[str, str]] = {
    "exact": "",
    "plus de": "plus de",
    "environ": "environ",
    "moins de": "moins de",
}

_NATURE_TEXT: Final[dict[str, str]] = {
    "niveau": "niveau",
    "evolution_pct": "évolution en %",
    "evolution_val": "évolution en valeur",
}


def _as_float(value: object) -> float | None:
    """The value as a finite float, or None when it is missing (None, NaN, pandas NA or NaT, infinite).

    Raises:
        TypeError: If the value is neither a number nor missing (a text, a date, a boolean): a bug to
            surface, never a figure to read as « non publié ».
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise TypeError(f"nombre attendu, reçu {type(value).__name__} : {value!r}")
    number = float(value)
    return number if math.isfinite(number) else None


def _rounded(number: float, decimals: int | None) -> Decimal:
    """The number rounded half away from zero on its decimal representation."""
    exact = Decimal(repr(number))
    places = _MAX_DECIMALS if decimals is None else decimals
    try:
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context allows: beyond any published figure
        rounded = Decimal(round(number, places))
    if decimals is None:
        # As many decimals as the value needs: drop trailing zeros, but never use an exponent.
        rounded = rounded.quantize(Decimal(1)) if rounded == rounded.to_integral() else rounded.normalize()
    return rounded


def _unsigned_text(magnitude: Decimal) -> str:
    """Digits of a non-negative decimal with French grouping and decimal comma."""
    text = f"{magnitude:,f}"
    return text.translate(_FRENCH_SEPARATORS)


def format_number(value: float | None, decimals: int | None = None) -> str:
    """Format a number the French way.

    Args:
        value: The number; None or NaN reads "non publié".
        decimals: Exactly this many decimals; by default as many as the value needs, at most 2.

    Returns:
        For example "3 872 394", "8,06", "12", "−4,5" (no-break spaces, true minus).
    """
    number = _as_float(value)
    if number is None:
        return NON_PUBLIE
    rounded = _rounded(number, decimals)
    if rounded.is_zero():
        rounded = abs(rounded)  # never print "−0"
    text = _unsigned_text(abs(rounded))
    return f"{MINUS}{text}" if rounded < 0 else text


def _check_unit(unite: str) -> None:
    if unite not in _UNIT_SUFFIX:
        raise ValueError(f"unité inconnue : {unite!r}")


def _is_plural(number: float, decimals: int | None) -> bool:
    """French agreement: singular below 2 (after rounding to what the user sees)."""
    return abs(_rounded(number, decimals)) >= 2


def format_unit(unite: str, value: float | None = None) -> str:
    """The short unit written after a number: "%", "€", "min", "h", "jours" ("jour" below 2), "" for counts.

    Args:
        unite: A catalog unit (nombre, %, €, jours, heures, minutes).
        value: The number the unit follows, for the singular/plural of "jour(s)"; plural when None.

    Returns:
        The unit text, without the leading no-break space.

    Raises:
        ValueError: If the unit is not one of the catalog's units.
    """
    _check_unit(unite)
    suffix = _UNIT_SUFFIX[unite]
    if suffix is None:
        return ""
    number = _as_float(value)
    return suffix[1] if number is None or _is_plural(number, None) else suffix[0]


def _with_unit(text: str, number: float, unite: str, decimals: int | None) -> str:
    suffix = _UNIT_SUFFIX[unite]
    if suffix is None:
        return text
    return f"{text}{NBSP}{suffix[1] if _is_plural(number, decimals) else suffix[0]}"


def _default_decimals(number: float, unite: str) -> int | None:
    """Euros show cents only when there are some: "12,50 €" but "414 463 €"."""
    if unite == "€" and _rounded(number, None) != _rounded(number, None).to_integral():
        return 2
    return None


def format_qualificatif(code: str | None) -> str:
    """The words shown before a qualified value: "plus de", "environ", "moins de"; "" for an exact value.

    Raises:
        ValueError: If the code is not one of the four qualifiers.
    """
    if code is None or code == "":
        return ""
    try:
        return _QUALIFIER_TEXT[code]
    except KeyError:
        raise ValueError(f"qualificatif inconnu : {code!r}") from None


def format_value(
    value: float | None, unite: str, qualificatif: str | None = "exact", decimals: int | None = None
) -> str:
    """Format a published value with its unit and qualifier.

    Args:
        value: The value; None or NaN reads "non publié".
        unite: A catalog unit: nombre, %, €, jours, heures, minutes.
        qualificatif: exact, plus de, environ or moins de (None or "" mean exact).
        decimals: Exactly this many decimals; by default as many as needed, at most 2 (cents for euros).

    Returns:
        For example "3 872 394", "77,36 %", "414 463 €", "8,06 min", "1 jour", "48 h", "plus de 1 000".

    Raises:
        ValueError: If the unit or the qualifier is unknown.
    """
    _check_unit(unite)
    prefix = format_qualificatif(qualificatif)
    number = _as_float(value)
    if number is None:
        return NON_PUBLIE
    places = _default_decimals(number, unite) if decimals is None else decimals
    text = _with_unit(format_number(number, places), number, unite, places)
    return f"{prefix} {text}" if prefix else text


def _signed(number: float, decimals: int | None) -> str:
    text = format_number(number, decimals)
    return text if _rounded(number, decimals).is_zero() or text.startswith(MINUS) else f"+{text}"


def format_change(value: float | None, nature: str, unite: str, decimals: int | None = None) -> str:
    """Format a change with its sign: "+3,2 %", "−13,77 %", "+12 650", "+414 463 €", "+2,1 pts".

    Args:
        value: The change; None or NaN reads "non publié".
        nature: evolution_pct (a change in percent) or evolution_val (a change in the indicator's unit;
            for a rate, a difference in percentage points). A niveau is formatted as a plain value.
        unite: The indicator's catalog unit.
        decimals: Exactly this many decimals; by default as many as needed, at most 2.

    Returns:
        The signed text; zero has no sign ("0 %").

    Raises:
        ValueError: If the nature or the unit is unknown.
    """
    _check_unit(unite)
    if nature == "niveau":
        return format_value(value, unite, decimals=decimals)
    number = _as_float(value)
    if nature == "evolution_pct":
        return NON_PUBLIE if number is None else f"{_signed(number, decimals)}{NBSP}%"
    if nature == "evolution_val":
        if unite == "%":
            return format_points(value, decimals)
        if number is None:
            return NON_PUBLIE
        return _with_unit(_signed(number, decimals), number, unite, decimals)
    raise ValueError(f"nature inconnue : {nature!r}")


def format_points(value: float | None, decimals: int | None = None) -> str:
    """Format a difference of two rates in percentage points: "+2,1 pts", "−0,5 pt", "0 pt".

    Args:
        value: The difference in points; None or NaN reads "non publié".
        decimals: Exactly this many decimals; by default as many as needed, at most 2.

    Returns:
        The signed text with "pt" below 2 and "pts" from 2.
    """
    number = _as_float(value)
    if number is None:
        return NON_PUBLIE
    unit = "pts" if _is_plural(number, decimals) else "pt"
    return f"{_signed(number, decimals)}{NBSP}{unit}"


def format_year(year: int) -> str:
    """A year as four plain digits, never grouped: 2024 → "2024"."""
    return str(int(year))


def format_date(d: date | datetime) -> str:
    """A date in words: "23 novembre 2026", "1er mars 2025"."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {periods.MONTHS[d.month - 1]} {d.year}"


def format_datetime(moment: datetime) -> str:
    """A date and time: "23 novembre 2026 à 17 h 05" (no-break spaces around "h")."""
    return f"{format_date(moment)} à {moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"


def format_periode(code: str) -> str:
    """The French words of a period code: annee → "année", semestre-1 → "1er semestre", mois-04 → "avril".

    Raises:
        ValueError: If the code is not a known period.
    """
    try:
        return periods.WORDS[code]
    except KeyError:
        raise ValueError(f"période inconnue : {code!r}") from None


def format_nature(code: str) -> str:
    """The French words of a nature code: niveau, évolution en %, évolution en valeur.

    Raises:
        ValueError: If the code is not a known nature.
    """
    try:
        return _NATURE_TEXT[code]
    except KeyError:
        raise ValueError(f"nature inconnue : {code!r}") from None


def format_published_count(count: int) -> str:
    """« 1 chiffre publié », « 12 chiffres publiés » (the number in French digits)."""
    plural = "s" if count > 1 else ""
    return f"{format_number(count)} chiffre{plural} publié{plural}"
