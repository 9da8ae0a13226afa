"""The text alternative of a chart: one French sentence per indicator, its accessible name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from dashboard import formatting
from dashboard.analysis import records
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.figures.frame import detail_label

NO_DATA = "Aucune donnée publiée."
# The columns a sentence reads: the indicator, who and when, the value and how it was published.
_READ = (
    col.INDICATEUR,
    col.CAISSE,
    col.CAISSE_NOM,
    col.ANNEE,
    col.NATURE,
    col.VALEUR,
    col.QUALIFICATIF,
    col.PERIODE,
    col.DERIVE,
)


def _row_text(record: dict[str, Any], indicator: Indicator) -> str:
    nature = record.get(col.NATURE)
    if isinstance(nature, str) and nature != "niveau":
        return formatting.format_change(record.get(col.VALEUR), nature, indicator.unite)
    return detail_label(record, indicator.unite)


def describe(frame: pd.DataFrame, *, indicators: Sequence[Indicator]) -> str:
    """A French text alternative of a chart (its accessible name), one sentence per indicator.

    Example: "Demandes des assurés, CPAM de la Côte-d'Or, 2024 : 3 872 394."

    Args:
        frame: The tidy frame the chart was built from.
        indicators: The catalog records of the indicators shown, in display order.

    Returns:
        The sentences, or "Aucune donnée publiée." when there is nothing to describe.
    """
    # The frame read once, its needed columns alone, then split by indicator in plain Python: a chart's
    # frame is a few dozen rows, and a pandas filter per indicator cost more than the sentences.
    named = col.CAISSE_NOM if col.CAISSE_NOM in frame.columns else col.CAISSE
    read = records(frame, [c for c in _READ if c in frame.columns])
    return describe_rows(read, indicators=indicators, named=named)


def describe_rows(rows: Iterable[dict[str, Any]], *, indicators: Sequence[Indicator], named: str) -> str:
    """``describe`` of rows already read as dicts; ``named`` is the key of a caisse's name in them."""
    sentences: list[str] = []
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for record in rows:
        by_indicator.setdefault(str(record[col.INDICATEUR]), []).append(record)
    for indicator in indicators:
        found = by_indicator.get(indicator.code)
        if not found:
            continue
        years = sorted({int(row[col.ANNEE]) for row in found})
        # (code, name) sorted by code, the order of colours and legends (as ``frame.caisses_of``).
        caisses = sorted({str(row[col.CAISSE]): str(row[named]) for row in found}.items())
        first: dict[tuple[str, str], dict[str, Any]] = {}
        for row in found:
            first.setdefault((str(row[col.CAISSE]), str(row[col.ANNEE])), row)
        if len(years) == 1:
            year = formatting.format_year(years[0])
            if len(caisses) == 1:
                code, name = caisses[0]
                sentences.append(
                    f"{indicator.libelle}, {name}, {year} : {_row_text(first[(code, year)], indicator)}."
                )
            else:
                parts = [f"{name}, {_row_text(first[(code, year)], indicator)}" for code, name in caisses]
                sentences.append(f"{indicator.libelle}, {year} : {' ; '.join(parts)}.")
            continue
        for code, name in caisses:
            parts = [
                f"{formatting.format_year(y)}, "
                + (_row_text(r, indicator) if (r := first.get((code, str(y)))) else formatting.NON_PUBLIE)
                for y in years
            ]
            sentences.append(f"{indicator.libelle}, {name} : {' ; '.join(parts)}.")
    return " ".join(sentences) if sentences else NO_DATA
