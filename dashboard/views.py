"""What a view shows for a selection, computed from what the chosen caisses published, then drawn.

Pure: tidy frames and catalog records in, plain view models out (no dash, no store). Theme pages, the
overview, presentation mode and the committee dossier all read these models, so a page, a screen and a
slide agree: a chart or a card exists because a figure was published; what the catalog lists and nobody
published is one line of text, never an empty frame.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import pandas as pd

from dashboard.analysis import KeyFigure, Record, key_figures_of, rows_by_indicator
from dashboard.charts import (
    BuiltChart,
    ChartPlan,
    ChartSpec,
    PageFrame,
    all_specs,
    draw_figure,
    page_frame,
    plan_chart,
    summarize,
)
from dashboard.data import columns as col
from dashboard.data.catalog import Catalog, Indicator, Theme

# A chart drawing a single number repeats a card: the number is shown as a card instead.
MIN_CHART_POINTS = 2


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen caisses, year and comparison year, with the words that name them."""

    caisses: tuple[str, ...]
    annee: int
    comparaison: int | None
    names: Mapping[str, str]
    subtitle: str

    @property
    def years(self) -> tuple[int, ...]:
        """The year and, if any, the comparison year."""
        return (self.annee,) if self.comparaison is None else (self.comparaison, self.annee)


@dataclass(frozen=True, eq=False)
class ShownChart:
    """A chart the selection has figures for: its plan and caption, its figure drawn when first asked for.

    A page sends most of its charts only as they near the window: drawing every figure with the view
    cost two thirds of a theme page's time at full scale, for charts most people never scroll to.
    """

    spec: ChartSpec
    plan: ChartPlan
    summary: str

    @cached_property
    def built(self) -> BuiltChart:
        """The chart drawn (figure, summary, rows), once."""
        return BuiltChart(draw_figure(self.plan), self.summary, self.plan.rows, self.plan.points)

    def __getstate__(self) -> dict[str, Any]:
        """A cached view keeps no figure, nor the rows its plan read as dicts: drawing reads neither.

        Both would weigh on the cache's byte budget for every chart (the dicts alone by half as much again).
        """
        state = dict(self.__dict__)
        state.pop("built", None)
        state["plan"] = replace(self.plan, published=())
        return state


# Why a chart of the catalog is not drawn for a selection (listed on the Comité page before a file is made).
NOTHING_PUBLISHED = "aucun chiffre publié pour cette sélection"
ONE_NUMBER = "un seul chiffre publié : il est présenté en chiffre clé"


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A chart of the theme the view does not draw, and why."""

    spec: ChartSpec
    reason: str


@dataclass(frozen=True, slots=True)
class ThemeView:
    """One theme for a selection: its cards, its charts, what nobody published, and every figure."""

    theme: Theme
    cards: tuple[KeyFigure, ...]
    charts: tuple[ShownChart, ...]
    unpublished: tuple[Indicator, ...]
    rows: pd.DataFrame
    left_out: tuple[LeftOut, ...] = ()

    @property
    def count(self) -> int:
        """How many figures the selection published on the theme (year and comparison year)."""
        return len(self.rows)

    @property
    def empty(self) -> bool:
        """Whether nothing at all was published on the theme for the selection."""
        return self.rows.empty


def selected_rows(frame: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The figures of the chosen caisses for the year and the comparison year (every nature and period)."""
    if frame.empty:
        return frame
    mask = frame[col.CAISSE].isin(list(selection.caisses)) & frame[col.ANNEE].isin(list(selection.years))
    return frame[mask]


def _cards_for(
    rows: Mapping[str, list[Record]], indicators: Sequence[Indicator], selection: Selection
) -> tuple[KeyFigure, ...]:
    """Cards of the year; an indicator published in the comparison year only gets that year's card.

    ``rows`` are the selection's rows by indicator (``analysis.rows_by_indicator``), read once per view:
    a card reads its own indicator's rows of the year and of the comparison year alone.
    """
    cards = key_figures_of(rows, indicators, selection.caisses, selection.annee, selection.comparaison)
    result = []
    for card in cards:
        if not card.published and selection.comparaison is not None:
            card = key_figures_of(rows, [card.indicator], selection.caisses, selection.comparaison, None)[0]
        if card.published:
            result.append(card)
    return tuple(result)


def _repeated_in(spec: ChartSpec, kept: Sequence[ShownChart], page: PageFrame) -> ShownChart | None:
    """The chart that already draws every number of this one (the donut beside its total), if any."""
    codes = set(spec.codes)
    if codes & page.other_years:
        return None
    return next((k for k in kept if codes < set(k.spec.codes)), None)


def theme_view(
    theme: Theme,
    indicators: Sequence[Indicator],
    catalog: Catalog,
    frame: pd.DataFrame,
    selection: Selection,
) -> ThemeView:
    """The view of a theme: charts with figures, cards for the rest, one line for what nobody published.

    Args:
        theme: The theme shown.
        indicators: Its indicators, in catalog order.
        catalog: The whole catalog (breakdowns and parents).
        frame: The chosen caisses' figures of these indicators, every year up to the selected one.
        selection: Caisses, year, comparison year and the words naming them.
    """
    rows = selected_rows(frame, selection)
    published = set(rows[col.INDICATEUR]) if not rows.empty else set()
    charts: list[ShownChart] = []
    left_out: list[LeftOut] = []
    every_spec = all_specs(indicators, catalog)
    page = page_frame(frame, selection.annee)
    # Larger charts first, so a total already drawn inside its donut does not get a chart of its own.
    for full in sorted(every_spec, key=lambda s: -len(s.codes)):
        spec = published_part(full, published)
        if spec is None:
            left_out.append(LeftOut(full, NOTHING_PUBLISHED))
            continue
        holder = _repeated_in(spec, charts, page)
        if holder is not None:
            left_out.append(LeftOut(full, f"ses chiffres sont déjà dans « {holder.spec.title} »"))
            continue
        plan = plan_chart(
            spec,
            page,
            caisses=selection.caisses,
            comparison=selection.comparaison,
            subtitle=selection.subtitle,
            names=dict(selection.names),
        )
        if plan.points >= MIN_CHART_POINTS:  # a figure is drawn only for a chart that is shown
            charts.append(ShownChart(spec, plan, summarize(plan)))
        else:
            left_out.append(LeftOut(full, ONE_NUMBER))
    order = {spec.key: i for i, spec in enumerate(every_spec)}
    charts.sort(key=lambda c: order[c.spec.key])
    left_out.sort(key=lambda c: order[c.spec.key])
    drawn = drawn_numbers(charts)
    # The selection's rows (the year and the comparison year) are all a card reads: read once as dicts,
    # not the page's other years (fifteen at full scale).
    selected = rows_by_indicator(rows)
    # A card for every essential figure, and for any published number no chart draws (a change, a part of
    # the year the chart leaves out): nothing published is left to the table alone.
    undrawn = {
        code
        for code, found in selected.items()
        for r in found
        if (str(r[col.CAISSE]), code, int(r[col.ANNEE])) not in drawn
    }
    wanted = [i for i in indicators if i.code in published and (i.essentiel or i.code in undrawn)]
    wanted.sort(key=lambda i: not i.essentiel)  # essential figures first, then catalog order
    unpublished = tuple(i for i in indicators if i.essentiel and i.code not in published)
    cards = _cards_for(selected, wanted, selection)
    return ThemeView(theme, cards, tuple(charts), unpublished, rows, tuple(left_out))


def published_part(spec: ChartSpec, published: set[str]) -> ChartSpec | None:
    """The chart of the indicators the selection published (None if none): no slot for what nobody did.

    A breakdown keeps its whole (``parent``), which says what the parts are parts of.
    """
    shown = tuple(i for i in spec.indicators if i.code in published)
    if not shown:
        return None
    return spec if len(shown) == len(spec.indicators) else replace(spec, indicators=shown)


def drawn_numbers(charts: Sequence[ShownChart]) -> set[tuple[str, str, int]]:
    """(caisse, indicator, year) of every number the charts draw."""
    found: set[tuple[str, str, int]] = set()
    for chart in charts:
        if chart.plan.trend:  # a time series' published rows are already read
            found.update(
                (str(r[col.CAISSE]), str(r[col.INDICATEUR]), int(r[col.ANNEE]))
                for r in chart.plan.published_rows()
            )
            continue
        rows = chart.plan.rows
        drawn = rows[rows[col.VALEUR].notna()]
        caisses, codes, years = (drawn[c].tolist() for c in (col.CAISSE, col.INDICATEUR, col.ANNEE))
        found.update(zip(map(str, caisses), map(str, codes), map(int, years), strict=True))
    return found


@dataclass(frozen=True, slots=True)
class OverviewView:
    """The overview: essential published figures, then the other published ones by theme, and the rest."""

    essentials: tuple[KeyFigure, ...]
    by_theme: tuple[tuple[Theme, tuple[KeyFigure, ...]], ...]
    unpublished: tuple[Indicator, ...]
    counts: Mapping[str, int]

    def by_theme_codes(self) -> tuple[tuple[str, tuple[KeyFigure, ...]], ...]:
        """The other published figures keyed by theme code."""
        return tuple((theme.code, cards) for theme, cards in self.by_theme)


def theme_counts(frame: pd.DataFrame, catalog: Catalog, selection: Selection) -> dict[str, int]:
    """How many figures the selection published on each theme (themes without any are absent)."""
    rows = selected_rows(frame, selection)
    if rows.empty:
        return {}
    by_indicator = {str(code): int(n) for code, n in rows[col.INDICATEUR].value_counts().items()}
    return counts_by_theme(by_indicator, catalog)


def counts_by_theme(by_indicator: Mapping[str, int], catalog: Catalog) -> dict[str, int]:
    """Figures per theme from figures per indicator (themes without any are absent).

    An indicator the catalog does not hold belongs to no theme.
    """
    themes = {i.code: i.theme for i in catalog}
    counts: dict[str, int] = {}
    for code, n in by_indicator.items():
        theme = themes.get(code)
        if theme is not None and n:
            counts[theme] = counts.get(theme, 0) + n
    return counts


def overview_view(catalog: Catalog, frame: pd.DataFrame, selection: Selection) -> OverviewView:
    """Key figures of every indicator a chosen caisse published: essential first, then by theme."""
    rows = selected_rows(frame, selection)
    published = set(rows[col.INDICATEUR]) if not rows.empty else set()
    essentials = [i for i in catalog if i.essentiel and i.code in published]
    grouped = rows_by_indicator(rows)
    by_theme = []
    for theme in sorted(catalog.themes, key=lambda t: t.ordre):
        others = [i for i in catalog.by_theme(theme.code) if not i.essentiel and i.code in published]
        cards = _cards_for(grouped, others, selection)
        if cards:
            by_theme.append((theme, cards))
    return OverviewView(
        essentials=_cards_for(grouped, essentials, selection),
        by_theme=tuple(by_theme),
        unpublished=tuple(i for i in catalog if i.essentiel and i.code not in published),
        counts=theme_counts(frame, catalog, selection),
    )


def themes_in_order(themes: Sequence[Theme], counts: Mapping[str, int]) -> tuple[list[Theme], list[Theme]]:
    """Themes with figures for the selection, then those without (each in table order)."""
    ordered = sorted(themes, key=lambda t: t.ordre)
    return [t for t in ordered if counts.get(t.code)], [t for t in ordered if not counts.get(t.code)]
