"""Which charts a theme shows, derived from the catalog, and how each is drawn from a tidy frame.

A catalog row is enough to add a chart: a breakdown (``parent``) joins its parent's chart, and each
indicator marked ``essentiel`` gets one. A chart's kind is the catalog's (``Indicator.graphique``) and picks
its builder from ``figures.BUILDERS``, the one dispatch. No dash here: panels call ``build_chart`` from their
callback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NotRequired, TypedDict, Unpack

import pandas as pd
import plotly.graph_objects as go

from dashboard import analysis, formatting
from dashboard.data import columns as col
from dashboard.data.catalog import Catalog, ChartKind, Indicator
from dashboard.figures import BUILDERS, ChartData, FigureText, build_trend_lines, describe, describe_rows
from dashboard.figures.frame import is_published, period_text, value_label

MAX_CHARTS_WITHOUT_KEY_FIGURES = 6
# Three published years or more of one indicator are drawn as a line across the years.
MIN_TREND_YEARS = 3


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """One chart of a panel: its id, its kind (the catalog's, which picks the builder) and its indicators."""

    key: str
    kind: ChartKind
    title: str
    indicators: tuple[Indicator, ...]
    parent: Indicator | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """Every indicator code the chart reads (the parent of a share chart included)."""
        own = tuple(ind.code for ind in self.indicators)
        return (self.parent.code, *own) if self.parent is not None else own


def _specs_of(indicators: Sequence[Indicator], catalog: Catalog) -> list[tuple[ChartSpec, bool]]:
    """Every chart the indicators allow, with whether it holds a key figure.

    A total and its breakdown in the same unit are two charts: the total on its own, and its parts
    (« Détail : … ») side by side with the total named in a note, never a total among its parts as a peer.
    """
    specs: list[tuple[ChartSpec, bool]] = []
    codes = {ind.code for ind in indicators}
    for ind in indicators:
        children = [c for c in catalog.children(ind.code) if c.code in codes]
        parts = [c for c in children if c.graphique == "part"]
        if parts:
            key_figure = ind.essentiel or any(p.essentiel for p in parts)
            title = f"Répartition : {ind.libelle.lower()}" if ind.libelle else ind.code
            specs.append(
                (ChartSpec(f"parts-{ind.code}", "part", title, tuple(parts), parent=ind), key_figure)
            )
        if ind.parent is not None and ind.parent in codes:
            continue  # drawn with its parent
        if ind.graphique in ("volume", "duree"):
            specs.append((ChartSpec(ind.code, ind.graphique, ind.libelle, (ind,)), ind.essentiel))
            details = tuple(
                c for c in children if c.graphique in ("volume", "duree") and c.unite == ind.unite
            )
            if details:
                title = f"Détail : {ind.libelle[:1].lower()}{ind.libelle[1:]}" if ind.libelle else ind.code
                key_figure = any(c.essentiel for c in details)
                specs.append(
                    (ChartSpec(f"detail-{ind.code}", ind.graphique, title, details, parent=ind), key_figure)
                )
        elif ind.graphique == "taux":
            specs.append((ChartSpec(ind.code, "taux", ind.libelle, (ind,)), ind.essentiel))
    return specs


def all_specs(indicators: Sequence[Indicator], catalog: Catalog) -> list[ChartSpec]:
    """Every chart the indicators allow, whether or not it holds a key figure (views keep the published)."""
    return [spec for spec, _ in _specs_of(indicators, catalog)]


def chart_specs(indicators: Sequence[Indicator], catalog: Catalog) -> list[ChartSpec]:
    """The charts of a page: those holding a key figure, or the first few when a theme has none."""
    specs = _specs_of(indicators, catalog)
    keyed = [spec for spec, is_key in specs if is_key]
    return keyed or [spec for spec, _ in specs][:MAX_CHARTS_WITHOUT_KEY_FIGURES]


@dataclass(frozen=True)
class PageFrame:
    """A page's figures split once for all its charts, each chart then picking its indicators' rows.

    A theme page at full scale plans some thirty charts: filtering the whole frame for each cost a fixed
    fraction of a millisecond per pandas step, and most of a cold page's time.
    """

    frame: pd.DataFrame  # every figure up to the year
    year: int
    levels: pd.DataFrame  # whole-year levels (``analysis.whole_year_levels``)
    level_rows: dict[str, list[analysis.Record]]  # the same rows as dicts, by indicator, in the same order
    level_positions: dict[str, list[int]]  # where each of those rows is in ``levels``
    of_year: pd.DataFrame  # the year's rows: what drawing a chart of the year reads
    of_year_positions: dict[str, list[int]]  # where each indicator's rows are in ``of_year``
    no_levels: pd.DataFrame  # no row, every column
    other_years: frozenset[str]  # indicators with a figure in another year than ``year``
    year_level_positions: dict[str, list[int]]  # where each indicator's levels of the year are in ``levels``
    part_year: pd.DataFrame  # the year's published levels for part of the year (``with_periods``)

    def year_levels_of(self, codes: Sequence[str]) -> pd.DataFrame:
        """Whole-year levels of these indicators in the year, in the order ``whole_year_levels`` gives."""
        found = [p for code in sorted(set(codes)) for p in self.year_level_positions.get(code, ())]
        return self.levels.iloc[found] if found else self.no_levels

    def year_rows_of(self, codes: Sequence[str]) -> pd.DataFrame:
        """The year's rows of these indicators (every nature and period)."""
        found = [p for code in dict.fromkeys(codes) for p in self.of_year_positions.get(code, ())]
        return self.of_year.iloc[found] if found else self.frame.iloc[0:0]


def page_frame(frame: pd.DataFrame, year: int) -> PageFrame:
    """The page's figures up to the year, split by indicator for its charts."""
    if frame.empty:
        return PageFrame(frame, year, frame, {}, {}, frame, {}, frame, frozenset(), {}, frame)
    frame = frame[frame[col.ANNEE] <= year]
    levelled = analysis.whole_year_levels(frame)
    of_year = frame[frame[col.ANNEE] == year]
    other = frame[col.INDICATEUR][frame[col.ANNEE] != year]
    part_year = of_year[
        (of_year[col.NATURE] == "niveau")
        & ~of_year[col.PERIODE].isin(analysis.YEAR_PERIODS)
        & of_year[col.VALEUR].notna()
    ]
    # Read once as dicts for the page's time series, which are planned and summed up in plain Python.
    level_rows: dict[str, list[analysis.Record]] = {}
    level_positions: dict[str, list[int]] = {}
    year_level_positions: dict[str, list[int]] = {}
    for position, row in enumerate(analysis.records(levelled)):
        code = str(row[col.INDICATEUR])
        level_rows.setdefault(code, []).append(row)
        level_positions.setdefault(code, []).append(position)
        if row[col.ANNEE] == year:
            year_level_positions.setdefault(code, []).append(position)
    # Positions rather than a frame per indicator: a page reads the year's rows of its few charts of the
    # year only, and a groupby made a frame for every indicator of the page.
    of_year_positions: dict[str, list[int]] = {}
    for position, code in enumerate(of_year[col.INDICATEUR].tolist()):
        of_year_positions.setdefault(str(code), []).append(position)
    return PageFrame(
        frame,
        year,
        levelled,
        level_rows,
        level_positions,
        of_year,
        of_year_positions,
        levelled.iloc[0:0],
        frozenset(str(code) for code in other),
        year_level_positions,
        part_year,
    )


def complete(
    frame: pd.DataFrame, codes: Sequence[str], caisses: Sequence[str], year: int, names: dict[str, str]
) -> pd.DataFrame:
    """Whole-year levels of these indicators for the year, with a NaN row where a caisse did not publish.

    The chart then says « non publié » where a bar would be, never zero.
    """
    return _fill(
        analysis.whole_year_levels(frame[frame[col.INDICATEUR].isin(list(codes))], [year]),
        codes,
        caisses,
        year,
        names,
    )


def _fill(
    rows: pd.DataFrame, codes: Sequence[str], caisses: Sequence[str], year: int, names: dict[str, str]
) -> pd.DataFrame:
    """The year's levels with a NaN row for each caisse and indicator without one."""
    present = set(zip(rows[col.CAISSE], rows[col.INDICATEUR], strict=True))
    missing = [
        {
            col.CAISSE: caisse,
            col.CAISSE_NOM: names.get(caisse, caisse),
            col.ANNEE: year,
            col.INDICATEUR: code,
            col.VALEUR: float("nan"),
            col.QUALIFICATIF: "exact",
            col.NATURE: "niveau",
            col.PERIODE: "annee",
            col.DERIVE: False,
        }
        for caisse in caisses
        for code in codes
        if (caisse, code) not in present
    ]
    if not missing:
        return rows
    return (
        pd.concat([rows, pd.DataFrame(missing)], ignore_index=True)
        if not rows.empty
        else pd.DataFrame(missing)
    )


def _period_end(periode: str) -> float:
    """How late in the year a period ends: the latest published part of a year is the one drawn."""
    if periode.startswith("mois-"):
        return float(periode.removeprefix("mois-"))
    return {"semestre-1": 6.0, "semestre-2": 12.0, "cumul": 12.5}.get(periode, 0.0)


def with_periods(data: pd.DataFrame, part_year: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill the cells no whole-year value covers with a value published for part of the year.

    A month, a half-year, a peak or a cumul is another measure than the year's: it is drawn only where the
    caisse published no whole-year value, with its period in its label, and never summed nor compared.

    Args:
        data: The year's whole-year levels of a chart, a NaN row where a caisse did not publish.
        part_year: The page's published levels of the year for part of it (``PageFrame.part_year``).

    Returns:
        The rows to draw (whole-year levels, else the latest part of the year, else NaN), and the other
        part-year values of the same cells (told in a note, not drawn).
    """
    if part_year.empty or data.empty:
        return data, part_year.iloc[0:0]
    partial = part_year[part_year[col.INDICATEUR].isin(list(data[col.INDICATEUR].unique()))]
    if partial.empty:
        return data, partial
    empty = data[data[col.VALEUR].isna()]
    holes = set(zip(empty[col.CAISSE], empty[col.INDICATEUR], strict=True))
    partial = partial[
        [(c, i) in holes for c, i in zip(partial[col.CAISSE], partial[col.INDICATEUR], strict=True)]
    ]
    if partial.empty:
        return data, partial
    ranked = partial.assign(_end=partial[col.PERIODE].map(_period_end)).sort_values("_end", ascending=False)
    drawn = ranked.drop_duplicates([col.CAISSE, col.INDICATEUR]).drop(columns="_end")
    others = ranked.drop(index=drawn.index).drop(columns="_end")
    filled = set(zip(drawn[col.CAISSE], drawn[col.INDICATEUR], strict=True))
    kept = data[[(c, i) not in filled for c, i in zip(data[col.CAISSE], data[col.INDICATEUR], strict=True)]]
    return pd.concat([kept, drawn], ignore_index=True), others


def comparison_rows(
    page: PageFrame, codes: Sequence[str], caisses: Sequence[str], comparison: int | None
) -> pd.DataFrame:
    """The published whole-year levels of these indicators in the comparison year, among these caisses.

    None when the comparison year is not earlier than the page's year.
    """
    if comparison is None or comparison >= page.year:
        return page.no_levels
    # Found in the page's levels already read as dicts, then taken by position: three pandas filters over
    # every year of the indicators cost more, on every chart of the year with a comparison.
    wanted = set(caisses)
    found = [
        position
        for code in sorted(set(codes))
        for position, row in zip(
            page.level_positions.get(code, ()), page.level_rows.get(code, ()), strict=True
        )
        if row[col.ANNEE] == comparison and row[col.CAISSE] in wanted and not pd.isna(row[col.VALEUR])
    ]
    return page.levels.iloc[found] if found else page.no_levels


def trend_years(
    rows: Sequence[analysis.Record], spec: ChartSpec, caisses: Sequence[str], year: int
) -> list[int]:
    """The years of a time series when three or more years up to ``year`` are published (else none).

    Only a chart of one indicator in levels becomes a line: every year from the first published one to
    ``year`` is on the axis, so that a year nobody published stays a visible gap. ``rows`` are the
    indicator's whole-year levels, every year, as dicts (``PageFrame.level_rows``).
    """
    if spec.kind == "part" or len(spec.indicators) != 1:
        return []
    wanted = set(caisses)
    published = {
        int(row[col.ANNEE])
        for row in rows
        if row[col.CAISSE] in wanted and is_published(row[col.VALEUR]) and row[col.ANNEE] <= year
    }
    if len(published) < MIN_TREND_YEARS:
        return []
    return list(range(min(published), year + 1))


def sources_line(rows: pd.DataFrame | Sequence[analysis.Record]) -> str:
    """The distinct sources of the plotted values, in order of appearance; rows as a frame or as dicts.

    A frame's two columns are read as lists: a pandas filter cost more than the rest of a line chart's text.
    """
    if isinstance(rows, pd.DataFrame):
        rows = analysis.records(rows, [c for c in (col.VALEUR, col.SOURCE) if c in rows.columns])
    published = (r for r in rows if col.SOURCE in r and pd.notna(r.get(col.VALEUR)))
    sources = dict.fromkeys(str(r[col.SOURCE]) for r in published)
    return " ; ".join(sources) if sources else "aucun chiffre publié pour cette sélection"


@dataclass(frozen=True, slots=True)
class BuiltChart:
    """A chart ready for the page: the figure, its one-sentence summary, the rows it shows."""

    figure: go.Figure
    summary: str
    rows: pd.DataFrame
    points: int = 0  # how many published numbers the figure draws: one alone is a key figure, not a chart


def _other_periods_note(others: pd.DataFrame, spec: ChartSpec, several: bool) -> list[str]:
    """« Aussi publié : pic 2022 : 45 jours » for the part-year values a chart does not draw."""
    units = {ind.code: ind.unite for ind in (*spec.indicators, *((spec.parent,) if spec.parent else ()))}
    notes = []
    for record in analysis.records(others):
        unite = units.get(str(record[col.INDICATEUR]), "nombre")
        who = f" ({record[col.CAISSE_NOM]})" if several else ""
        what = (
            next(i.libelle for i in spec.indicators if i.code == record[col.INDICATEUR])
            if len(spec.indicators) > 1
            else ""
        )
        label = value_label(record, unite)
        head = f"{what}, " if what else ""
        notes.append(f"Aussi publié : {head}{period_text(record)} : {label}{who}")
    return notes


def _change_notes(
    spec: ChartSpec,
    frame: pd.DataFrame,
    data: pd.DataFrame,
    earlier: pd.DataFrame,
    comparison: int,
    year: int,
) -> list[str]:
    """The change since the comparison year, under the chart: as published, and as the two levels give it.

    A change reckoned from two levels is « calculée ». When the earlier level was itself calculated from the
    published change, reckoning it again would only repeat that change: the published one alone is told.
    """
    now_rows = _published_by_cell(data)
    before_rows = _published_by_cell(earlier)
    changes = frame[
        (frame[col.ANNEE] == year)
        & frame[col.NATURE].isin(["evolution_pct", "evolution_val"])
        & (frame[col.ANNEE_REFERENCE] == comparison)
        & frame[col.VALEUR].notna()
    ]
    published: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for caisse, code, value, nature in zip(
        changes[col.CAISSE], changes[col.INDICATEUR], changes[col.VALEUR], changes[col.NATURE], strict=True
    ):
        published.setdefault((str(caisse), str(code)), []).append((float(value), str(nature)))
    caisses = dict(zip(data[col.CAISSE], data[col.CAISSE_NOM], strict=True))
    notes = []
    for ind in spec.indicators:
        for caisse, name in caisses.items():
            now, before = now_rows.get((caisse, ind.code)), before_rows.get((caisse, ind.code))
            texts = [
                f"{formatting.format_change(v, n, ind.unite)} (publiée)"
                for v, n in published.get((caisse, ind.code), [])
            ]
            # Reckoning again a level calculated from the published change would only repeat it.
            repeated = before is not None and bool(before.get(col.DERIVE)) and bool(texts)
            whole_year = now is not None and now.get(col.PERIODE) in analysis.YEAR_PERIODS
            if now is not None and before is not None and whole_year and not repeated:
                change = _computed_change(float(now[col.VALEUR]), float(before[col.VALEUR]), ind.unite)
                texts.append(f"{change} (calculée)")
            if not texts:
                continue
            who = [ind.libelle] if len(spec.indicators) > 1 else []
            who += [str(name)] if len(caisses) > 1 else []
            head = f"Évolution {comparison}-{year}" + (f" ({', '.join(who)})" if who else "")
            notes.append(f"{head} : {' ; '.join(texts)}")
    return notes


def _published_by_cell(rows: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """The published rows by (caisse, indicator), the last row of a cell winning."""
    published = rows[rows[col.VALEUR].notna()]
    # Column by column: pandas' row-wise ``to_dict`` cost more than the notes themselves.
    return {(str(r[col.CAISSE]), str(r[col.INDICATEUR])): r for r in analysis.records(published)}


def _computed_change(now: float, before: float, unite: str) -> str:
    """A rate's change in points, another value's in percent ("+2,1 pts", "−29,4 %")."""
    if unite == "%":
        return formatting.format_change(now - before, "evolution_val", "%")
    if before == 0:
        return formatting.format_change(now - before, "evolution_val", unite)
    return formatting.format_change((now - before) / before * 100, "evolution_pct", unite, decimals=1)


@dataclass(frozen=True)
class SeriesRows:
    """Where a time series' rows are in its page's levels, taken only when the series is drawn.

    Most series of a full-scale page wait below the window and are never drawn: taking the rows of each
    with the view (a pandas slice per chart) cost about a fifth of planning the page.
    """

    levels: pd.DataFrame  # the page's whole-year levels (``PageFrame.levels``)
    before: tuple[int, ...]  # the rows of the earlier years shown, for the chosen caisses
    now: tuple[int, ...]  # the rows of the year
    complete: bool  # every chosen caisse published the year


@dataclass(frozen=True)
class ChartPlan:
    """What a chart will draw, reckoned from the rows before any figure is made.

    A view keeps a chart only when it draws two numbers or more (``points``): planning first means the
    figures of the charts that become cards are never drawn.
    """

    spec: ChartSpec
    frame: pd.DataFrame  # the chart's own figures of the year, read by its notes of change (a series: none)
    caisses: tuple[str, ...]
    year: int
    comparison: int | None
    subtitle: str
    names: dict[str, str]
    shown: pd.DataFrame | SeriesRows  # ``rows``, or where a time series takes them
    points: int
    year_rows: pd.DataFrame | None  # ``data``; None for a time series, which draws its rows
    others: pd.DataFrame  # part-year values not drawn (told in a note)
    earlier: pd.DataFrame  # the comparison year's published levels
    trend: tuple[int, ...] = ()  # the years of a time series, when the chart is one
    # A time series' published rows as dicts, in its order: what its summary and drawn numbers read when
    # the view is made. Drawing reads ``rows``; a cached view drops these (``views.ShownChart``).
    published: tuple[analysis.Record, ...] = ()

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The rows the chart shows (its « voir les données » table), taken once."""
        if not isinstance(self.shown, SeriesRows):
            return self.shown
        levels, taken = self.shown.levels, self.shown
        # One slice when every caisse published the year: the order of a concatenation, at a lesser cost.
        if taken.complete:
            return levels.iloc[[*taken.before, *taken.now]].reset_index(drop=True)
        code = self.spec.indicators[0].code
        current = _fill(levels.iloc[list(taken.now)], [code], self.caisses, self.year, self.names)
        return pd.concat([levels.iloc[list(taken.before)], current], ignore_index=True)

    @property
    def data(self) -> pd.DataFrame:
        """The year's rows drawn, a NaN row where a caisse did not publish (a time series: its rows)."""
        return self.rows if self.year_rows is None else self.year_rows

    def published_rows(self) -> tuple[analysis.Record, ...]:
        """A time series' published rows as dicts: those kept when planned, else read again from ``rows``.

        A cached plan has dropped them; a series always has published rows (three years or more), so an
        empty tuple means they were dropped, never that nothing was published.
        """
        if self.published or not self.trend:
            return self.published
        return tuple(analysis.records(self.rows[self.rows[col.VALEUR].notna()]))


def plan_chart(
    spec: ChartSpec,
    page: PageFrame,
    *,
    caisses: Sequence[str],
    subtitle: str,
    names: dict[str, str],
    comparison: int | None = None,
) -> ChartPlan:
    """The rows and the count of published numbers of one chart, for the selected caisses and the page's year.

    Three or more published years of a single indicator make a time series; otherwise the year is drawn,
    with the comparison year beside it where it is published, and a value published for part of the year
    (a month, a half-year, a peak) where no whole-year value exists, its period in its label.
    """
    year = page.year
    years = trend_years(page.level_rows.get(spec.indicators[0].code, []), spec, caisses, year)
    # Drawing a chart of the year reads its own indicators in the year (the changes published since the
    # comparison year, told in notes); a time series has no such notes, and its view is cached without them.
    frame = page.no_levels if years else page.year_rows_of(spec.codes)
    selected = (spec, frame, tuple(caisses), year, comparison, subtitle, names)
    if years:
        # The indicator's levels, read as dicts once for the page, decide the slice, count the points and
        # make the summary without a pandas step.
        code = spec.indicators[0].code
        found, positions = page.level_rows[code], page.level_positions[code]
        shown, wanted = set(years), set(caisses)
        before, now = [], []
        for index, row in enumerate(found):
            if row[col.ANNEE] == year:
                now.append(index)
            elif row[col.ANNEE] in shown and row[col.CAISSE] in wanted:
                before.append(index)
        published = tuple(found[i] for i in before + now if is_published(found[i][col.VALEUR]))
        taken = SeriesRows(
            page.levels,
            tuple(positions[i] for i in before),
            tuple(positions[i] for i in now),
            wanted <= {found[i][col.CAISSE] for i in now},
        )
        empty = page.no_levels
        return ChartPlan(
            *selected,
            taken,
            len(published),
            year_rows=None,
            others=empty,
            earlier=empty,
            trend=tuple(years),
            published=published,
        )

    data, others = with_periods(
        _fill(page.year_levels_of(spec.codes), spec.codes, caisses, year, names), page.part_year
    )
    earlier = comparison_rows(page, spec.codes, caisses, comparison)
    # A value for part of the year is never set beside a whole year's: its cell gets no comparison bar.
    part_year = data[~data[col.PERIODE].isin(analysis.YEAR_PERIODS) & data[col.VALEUR].notna()]
    cells = set(zip(part_year[col.CAISSE], part_year[col.INDICATEUR], strict=True))
    if cells and not earlier.empty:
        pairs = zip(earlier[col.CAISSE], earlier[col.INDICATEUR], strict=True)
        earlier = earlier[[pair not in cells for pair in pairs]]
    shown_rows = pd.concat([earlier, data], ignore_index=True) if not earlier.empty else data
    own = [i.code for i in spec.indicators]
    plotted, compared = data[data[col.INDICATEUR].isin(own)], earlier[earlier[col.INDICATEUR].isin(own)]
    if spec.kind == "part":  # the parts with their whole, the comparison year's bars above the year's
        drawn = pd.concat([earlier, data], ignore_index=True) if not compared.empty else data
    else:
        drawn = pd.concat([compared, plotted], ignore_index=True)
    points = int(drawn[col.VALEUR].notna().sum())
    if spec.kind == "part" and not drawn[drawn[col.INDICATEUR].isin(own)][col.VALEUR].notna().any():
        points = 0  # a whole without any part is no breakdown: the placeholder is drawn
    if spec.kind != "part":
        # A breakdown names its total in a note but does not draw it: the total is not among its rows.
        shown_rows = shown_rows[shown_rows[col.INDICATEUR].isin(own)]
    return ChartPlan(*selected, shown_rows, points, year_rows=data, others=others, earlier=earlier)


def draw_chart(plan: ChartPlan) -> BuiltChart:
    """The figure and the one-sentence summary of a planned chart."""
    return BuiltChart(draw_figure(plan), summarize(plan), plan.rows, plan.points)


def _subtitle(plan: ChartPlan) -> str:
    """The chart's subtitle, naming the comparison year when the chart draws it."""
    own = [i.code for i in plan.spec.indicators]
    compared = plan.earlier[plan.earlier[col.INDICATEUR].isin(own)]
    return plan.subtitle if compared.empty else f"{plan.subtitle} (comparaison : {plan.comparison})"


def summarize(plan: ChartPlan) -> str:
    """The one-sentence summary of a planned chart (its caption and text alternative), drawing nothing."""
    spec = plan.spec
    if plan.trend:
        # Read from the page's columns and the rows kept as dicts: a series' rows are taken when drawn.
        named = col.CAISSE_NOM if col.CAISSE_NOM in plan.frame.columns else col.CAISSE
        return describe_rows(plan.published_rows(), indicators=spec.indicators[:1], named=named)
    data, earlier = plan.data, plan.earlier
    shown = spec.indicators if spec.parent is None else (spec.parent, *spec.indicators)
    summary_rows = pd.concat([earlier, data], ignore_index=True) if not earlier.empty else data
    summary = describe(summary_rows[summary_rows[col.VALEUR].notna()], indicators=shown)
    if summary == "Aucune donnée publiée.":
        summary = f"{spec.title}, {_subtitle(plan).replace(' — ', ', ')} : non publié."
    return summary


def draw_figure(plan: ChartPlan) -> go.Figure:
    """The figure of a planned chart."""
    spec, year, comparison = plan.spec, plan.year, plan.comparison
    if plan.trend:
        return _draw_trend(plan)
    data, earlier = plan.data, plan.earlier
    own = [i.code for i in spec.indicators]
    plotted, compared = data[data[col.INDICATEUR].isin(own)], earlier[earlier[col.INDICATEUR].isin(own)]
    sources = plotted if spec.kind != "part" else data
    source_frame = pd.concat([compared, sources], ignore_index=True) if not compared.empty else sources
    text = FigureText(spec.title, _subtitle(plan), sources_line(source_frame))
    several = len(plan.caisses) > 1
    # A breakdown's other periods get cards of their own (views.py), not notes under the donut.
    notes = _other_periods_note(plan.others, spec, several) if spec.kind != "part" else []
    if comparison is not None and comparison < year and spec.kind != "part":
        notes += _change_notes(spec, plan.frame, plotted, compared, comparison, year)
    # A breakdown gets its parent's rows too: the builder names the whole (a donut's centre, a note).
    return BUILDERS[spec.kind](
        ChartData(
            data, indicators=spec.indicators, text=text, compared=earlier, notes=notes, parent=spec.parent
        )
    )


class ChartSelection(TypedDict):
    """What a chart is drawn for: the year, and ``plan_chart``'s keyword parameters."""

    caisses: Sequence[str]
    year: int
    subtitle: str
    names: dict[str, str]
    comparison: NotRequired[int | None]


def build_chart(spec: ChartSpec, frame: pd.DataFrame, **selection: Unpack[ChartSelection]) -> BuiltChart:
    """Plan then draw one chart (``plan_chart``, ``draw_chart``), from a frame that may hold earlier years."""
    plan = plan_chart(
        spec,
        page_frame(frame, selection["year"]),
        caisses=selection["caisses"],
        subtitle=selection["subtitle"],
        names=selection["names"],
        comparison=selection.get("comparison"),
    )
    return draw_chart(plan)


def _draw_trend(plan: ChartPlan) -> go.Figure:
    """A time series of one indicator: one line per caisse, every year up to ``year`` on the axis."""
    indicator, years = plan.spec.indicators[0], plan.trend
    rows = analysis.records(plan.rows)  # read once, for the sources and the lines
    subtitle = f"{plan.subtitle} (années {years[0]} à {plan.year})"
    text = FigureText(plan.spec.title, subtitle, sources_line(rows))
    return build_trend_lines(rows, indicator=indicator, years=list(years), text=text)
