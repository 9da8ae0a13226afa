"""The text alternative of a chart: one French sentence per indicator, its accessible name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard import formatting
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.figures.frame import caisses_of, detail_label, records_by

NO_DATA = "Aucune donnée publiée."


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
    sentences: list[str] = []
    for indicator in indicators:
        df = frame[frame[col.INDICATEUR] == indicator.code]
        if df.empty:
            continue
        years = sorted({int(y) for y in df[col.ANNEE]})
        caisses = caisses_of(df)
        rows = records_by(df, col.CAISSE, col.ANNEE)
        if len(years) == 1:
            year = formatting.format_year(years[0])
            if len(caisses) == 1:
                code, name = caisses[0]
                sentences.append(
                    f"{indicator.libelle}, {name}, {year} : {_row_text(rows[(code, year)], indicator)}."
                )
            else:
                parts = [f"{name}, {_row_text(rows[(code, year)], indicator)}" for code, name in caisses]
                sentences.append(f"{indicator.libelle}, {year} : {' ; '.join(parts)}.")
            continue
        for code, name in caisses:
            parts = [
                f"{formatting.format_year(y)}, "
                + (_row_text(r, indicator) if (r := rows.get((code, str(y)))) else formatting.NON_PUBLIE)
                for y in years
            ]
            sentences.append(f"{indicator.libelle}, {name} : {' ; '.join(parts)}.")
    return " ".join(sentences) if sentences else NO_DATA
