"""A chart of the dossier as plain data for a native PowerPoint chart: categories, series, number format.

Pure: a ``ChartSpec`` and the tidy frame its page reads in, plain records out. The values are the whole-year
levels (``analysis.whole_year_levels``, the rule the pages follow), so the slide's chart, its key figures and
its speaker's notes all state the same numbers; a caisse that did not publish keeps an empty point (None),
never zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

import pandas as pd

from dashboard import analysis
from dashboard.charts import ChartSpec
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.formatting import NON_PUBLIE

NativeKind = Literal["bar", "line", "donut", "stacked"]

# OOXML number formats are written in the invariant syntax (« , » groups thousands, « . » marks decimals)
# and shown with the separators of the reader's Office: a French Office reads « 3 872 394 » and « 77,4 % ».
# Rates are stored 0–100 (as the store holds them), so the « % » is a literal suffix, not Excel's ×100.
_UNIT_FORMATS: Final[dict[str, str]] = {
    "nombre": "#,##0",
    "%": '0.0" %"',
    "€": '#,##0" €"',
    "minutes": '#,##0.0" min"',
    "heures": '#,##0.0" h"',
    "jours": '#,##0" j"',
}


@dataclass(frozen=True, slots=True)
class Series:
    """One series of a native chart: its name and one value per category (None where not published)."""

    name: str
    points: tuple[float | None, ...]
    indicator: str
    year: int


@dataclass(frozen=True, slots=True)
class NativeChart:
    """What a native chart draws.

    Attributes:
        kind: bar (clustered), line, donut or stacked (100 % stacked bars).
        categories: The category labels (caisse names, or indicator labels for one caisse).
        series: The series in drawing order.
        number_format: The OOXML number format of the values and their labels.
        unit: The catalog unit of the values.
        caisses: The caisse ids behind the categories when the categories are caisses, else empty.
        keys: What each category is: a caisse id, or an indicator code for a single caisse's chart.
    """

    kind: NativeKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str
    unit: str
    caisses: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when no point has a value: there is nothing to draw."""
        return all(v is None for s in self.series for v in s.points)

    def value(self, indicator: str, year: int, key: str) -> float | None:
        """The value of an indicator, year and category key (None when absent or not published)."""
        if key not in self.keys:
            return None
        place = self.keys.index(key)
        for series in self.series:
            if series.indicator == indicator and series.year == year:
                return series.points[place]
        return None


def number_format(unit: str, values: Sequence[float | None] = ()) -> str:
    """The OOXML number format of a unit; counts with decimals keep up to two of them."""
    base = _UNIT_FORMATS.get(unit, "#,##0")
    decimals = any(v is not None and not float(v).is_integer() for v in values)
    if unit in ("nombre", "€") and decimals:
        return base.replace("#,##0", "#,##0.##", 1) if unit == "nombre" else '#,##0.00" €"'
    return base


def _levels(
    frame: pd.DataFrame, codes: Sequence[str], years: Sequence[int]
) -> dict[tuple[str, str, int], float]:
    """Whole-year levels by (caisse, indicator, year), by the rule of ``analysis.whole_year_levels``.

    « annee » wins over « fin_annee »; plain records, because a chart holds a handful of rows.
    """
    wanted_codes, wanted_years = set(codes), set(years)
    found: dict[tuple[str, str, int], tuple[int, float]] = {}
    if frame.empty:
        return {}
    columns = [col.CAISSE, col.INDICATEUR, col.ANNEE, col.NATURE, col.PERIODE, col.VALEUR]
    for caisse, code, year, nature, periode, value in frame[columns].itertuples(index=False, name=None):
        if nature != "niveau" or periode not in analysis.YEAR_PERIODS or code not in wanted_codes:
            continue
        if int(year) not in wanted_years or pd.isna(value):
            continue
        key, rank = (str(caisse), str(code), int(year)), analysis.YEAR_PERIODS.index(periode)
        if key not in found or rank < found[key][0]:
            found[key] = (rank, float(value))
    return {key: value for key, (_, value) in found.items()}


def build_chart_data(
    spec: ChartSpec,
    frame: pd.DataFrame,
    *,
    caisses: Sequence[str],
    names: Mapping[str, str],
    year: int,
    comparison: int | None,
) -> NativeChart:
    """The native chart of a dossier slide.

    - Shares: a donut for one caisse, 100 % stacked bars across several (year only).
    - Volumes and rates: clustered bars; the comparison year, when chosen, is a series of its own.
      One caisse: one bar group per indicator, one series per year. Several: one group per caisse.

    Args:
        spec: The chart as its page draws it.
        frame: The observations its page reads (any periods and natures; only whole-year levels are kept).
        caisses: The selected caisses, in order.
        names: Caisse id → name.
        year: The selected year.
        comparison: The comparison year, if any.
    """
    years = [year] if comparison is None else [comparison, year]
    found = _levels(frame, spec.codes, years)
    labels = [names.get(c, c) for c in caisses]
    indicators: tuple[Indicator, ...] = spec.indicators
    unit = indicators[0].unite if indicators else "nombre"
    if spec.kind == "part":
        series = tuple(
            Series(ind.libelle, tuple(found.get((c, ind.code, year)) for c in caisses), ind.code, year)
            for ind in indicators
        )
        if len(caisses) == 1:
            values = tuple(s.points[0] for s in series)
            donut = Series(labels[0], values, spec.parent.code if spec.parent else "", year)
            return _finish(
                NativeChart(
                    "donut",
                    tuple(ind.libelle for ind in indicators),
                    (donut,),
                    number_format(unit, values),
                    unit,
                    keys=tuple(ind.code for ind in indicators),
                )
            )
        flat = [v for s in series for v in s.points]
        return _finish(
            NativeChart(
                "stacked",
                tuple(labels),
                series,
                number_format(unit, flat),
                unit,
                tuple(caisses),
                tuple(caisses),
            )
        )
    if len(caisses) == 1:
        caisse = caisses[0]
        series = tuple(
            Series(str(y), tuple(found.get((caisse, ind.code, y)) for ind in indicators), "", y)
            for y in years
        )
        flat = [v for s in series for v in s.points]
        return _finish(
            NativeChart(
                "bar",
                tuple(ind.libelle for ind in indicators),
                series,
                number_format(unit, flat),
                unit,
                keys=tuple(ind.code for ind in indicators),
            )
        )
    many = len(indicators) > 1
    series = tuple(
        Series(
            f"{ind.libelle} — {y}" if many else str(y),
            tuple(found.get((c, ind.code, y)) for c in caisses),
            ind.code,
            y,
        )
        for ind in indicators
        for y in years
    )
    flat = [v for s in series for v in s.points]
    return _finish(
        NativeChart(
            "bar", tuple(labels), series, number_format(unit, flat), unit, tuple(caisses), tuple(caisses)
        )
    )


def _finish(chart: NativeChart) -> NativeChart:
    """Say « non publié » where a category has no value, and drop a series with no value at all.

    A native chart draws nothing for a missing point; the category's label then says why, so that an empty
    place is never read as zero. A comparison year nobody published would only add an empty legend entry.
    """
    if chart.empty:
        return chart
    series = tuple(s for s in chart.series if any(v is not None for v in s.points))
    categories = tuple(
        label if any(s.points[i] is not None for s in series) else f"{label} ({NON_PUBLIE})"
        for i, label in enumerate(chart.categories)
    )
    return replace(chart, categories=categories, series=series)


def caisse_value(chart: NativeChart, indicator: Indicator, caisse: str, year: int) -> float | None:
    """The value a chart shows for one caisse, indicator and year (None when it shows none)."""
    if chart.caisses:
        return chart.value(indicator.code, year, caisse)
    if indicator.code not in chart.keys:
        return None
    place = chart.keys.index(indicator.code)
    # One caisse: the categories are indicators; the series are years (or the donut's one series).
    return next((s.points[place] for s in chart.series if s.year == year), None)
