"""Pure rules on tidy frames: which value is the level of a year, changes, sums only where allowed.

No dash, no store: frames in, frames or plain records out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from dashboard.data import columns as col
from dashboard.data.catalog import Catalog, Indicator
from dashboard.data.parsing import fold
from dashboard.formatting import format_nature, format_periode, format_qualificatif

# The periods that describe a whole year; a month or a peak is another measure and is never charted as one.
YEAR_PERIODS = ("annee", "fin_annee")
_YEAR_RANK = {p: i for i, p in enumerate(YEAR_PERIODS)}
# A part of the year stands in for a card's value only when no whole-year level exists, latest part first;
# its period is then shown beside the value, and it is never summed or compared with a whole year.
PART_PERIODS = ("semestre-2", *(f"mois-{m:02d}" for m in range(12, 0, -1)), "semestre-1", "pic", "cumul")


@dataclass(frozen=True, slots=True)
class Change:
    """A change against the comparison year: computed from two levels, or as published, or both."""

    computed_pct: float | None
    computed_abs: float | None
    published_pct: float | None
    published_abs: float | None


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """What a card shows for one indicator over the selected caisses and year."""

    indicator: Indicator
    value: float | None
    qualificatif: str
    caisses_published: tuple[str, ...]
    caisses_missing: tuple[str, ...]
    summed: bool
    not_summable: bool
    change: Change | None
    sources: tuple[tuple[str, str | None], ...]
    derived: bool
    by_caisse: tuple[tuple[str, float, str], ...] = ()
    comparison_published: bool = False
    periode: str = "annee"
    year: int | None = None
    per_caisse: tuple[KeyFigure, ...] = ()
    # Every change one caisse published for the year, whatever its reference year: (nature, value, since).
    published_changes: tuple[tuple[str, float, int | None], ...] = ()
    # One caisse's level of the comparison year (value, qualifier): said beside a year it did not publish.
    previous: tuple[float, str] | None = None

    @property
    def published(self) -> bool:
        """Whether the card has anything published to say for its year: a value or a published change."""
        change = self.change
        return (
            self.value is not None
            or bool(self.by_caisse)
            or (change is not None and (change.published_pct is not None or change.published_abs is not None))
            or bool(self.published_changes)
            or any(f.published for f in self.per_caisse)
        )


def whole_year_levels(frame: pd.DataFrame, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Levels of whole years (one per caisse, year and indicator); changes and partial periods left out.

    The rule of which published value is a year's level; figure builders then draw the rows it chose
    (``figures.frame.drawn_levels``).
    """
    mask = (frame[col.NATURE] == "niveau") & frame[col.PERIODE].isin(YEAR_PERIODS)
    if years is not None:
        mask &= frame[col.ANNEE].isin(list(years))
    chosen = frame[mask]
    # "annee" wins over "fin_annee" if a caisse published both for the same year (else the first row). Chosen
    # in plain Python: a chart's frame has a few dozen rows, and each pandas step (sort, de-duplication) costs
    # about half a millisecond whatever the size, on every chart of a page.
    best: dict[tuple[str, str, int], tuple[int, int]] = {}
    keys = zip(chosen[col.INDICATEUR], chosen[col.CAISSE], chosen[col.ANNEE].tolist(), strict=True)
    for position, (key, periode) in enumerate(zip(keys, chosen[col.PERIODE], strict=True)):
        rank = _YEAR_RANK[periode]
        if key not in best or rank < best[key][0]:
            best[key] = (rank, position)
    return chosen.iloc[[position for _, (_, position) in sorted(best.items())]]


Record = dict[str, Any]


def _source_of(record: Record) -> tuple[str, str | None]:
    """A row's source as (title, address), None when it has no address.

    A missing address is NaN in a frame, and NaN equals nothing, not even itself (unless it is the very same
    object, which a frame read back from the cache never holds): the same report cited by several cards
    was numbered as several notes.
    """
    url = record[col.URL]
    return record[col.SOURCE], url if isinstance(url, str) and url else None


def records(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[Record]:
    """The rows as plain dicts, as ``frame.to_dict("records")`` gives them (a missing integer is None).

    Column by column: pandas' row-wise conversion boxes every cell and cost several milliseconds for a
    hundred rows, on every card and chart of a page. ``columns``, when given, are the only ones read.
    """
    chosen = list(frame.items()) if columns is None else [(name, frame[name]) for name in columns]
    names = [str(name) for name, _ in chosen]
    values = [
        [None if value is pd.NA else value for value in series.tolist()]
        if isinstance(series.dtype, pd.api.extensions.ExtensionDtype)
        else series.tolist()
        for _, series in chosen
    ]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def rows_by_indicator(frame: pd.DataFrame) -> dict[str, list[Record]]:
    """The frame's rows grouped by indicator code: read once, then every card of a page picks its own."""
    grouped: dict[str, list[Record]] = {}
    for row in records(frame):
        grouped.setdefault(str(row[col.INDICATEUR]), []).append(row)
    return grouped


_PERIOD_RANK = {p: i for i, p in enumerate((*YEAR_PERIODS, *PART_PERIODS))}


def _level_records(rows: list[Record]) -> dict[tuple[str, int], Record]:
    """The level a card shows by (caisse, year): the whole year, else the latest part of it."""
    chosen: dict[tuple[str, int], Record] = {}
    for row in rows:
        if row[col.NATURE] != "niveau" or row[col.PERIODE] not in _PERIOD_RANK:
            continue
        key = (row[col.CAISSE], int(row[col.ANNEE]))
        kept = chosen.get(key)
        if kept is None or _PERIOD_RANK[row[col.PERIODE]] < _PERIOD_RANK[kept[col.PERIODE]]:
            chosen[key] = row
    return chosen


def _total(
    rows: list[Record], indicator: Indicator, caisses: Sequence[str]
) -> tuple[float | None, bool, bool]:
    """(value, summed, refused): one caisse's value, or a sum only where allowed and complete."""
    if not rows:
        return None, False, False
    if len(caisses) == 1:
        return float(rows[0][col.VALEUR]), False, False
    if not indicator.sommable:
        return None, False, True
    if {r[col.CAISSE] for r in rows} != set(caisses) or len({r[col.PERIODE] for r in rows}) > 1:
        return None, False, False
    return float(sum(r[col.VALEUR] for r in rows)), True, False


def _published_change(rows: list[Record], nature: str, year: int, reference: int) -> float | None:
    found = [
        r[col.VALEUR]
        for r in rows
        if r[col.NATURE] == nature
        and int(r[col.ANNEE]) == year
        and not pd.isna(r[col.ANNEE_REFERENCE])
        and int(r[col.ANNEE_REFERENCE]) == reference
        and r[col.PERIODE] in YEAR_PERIODS
    ]
    return float(found[0]) if len(found) == 1 else None


def _changes(rows: list[Record], year: int) -> list[Record]:
    """The published changes of a year (the source of a card that has no level)."""
    return [r for r in rows if r[col.NATURE] != "niveau" and int(r[col.ANNEE]) == year]


def _key_figure(
    rows: list[Record], indicator: Indicator, caisses: Sequence[str], year: int, comparison: int | None
) -> KeyFigure:
    figure = _aggregate_figure(rows, indicator, caisses, year, comparison)
    if len(caisses) < 2:
        return figure
    each = tuple(
        _aggregate_figure([r for r in rows if r[col.CAISSE] == c], indicator, [c], year, comparison)
        for c in caisses
    )
    return replace(figure, per_caisse=each)


def _aggregate_figure(
    rows: list[Record], indicator: Indicator, caisses: Sequence[str], year: int, comparison: int | None
) -> KeyFigure:
    lv = _level_records(rows)
    current = [lv[(c, year)] for c in caisses if (c, year) in lv]
    value, summed, refused = _total(current, indicator, caisses)
    qualifiers = {r[col.QUALIFICATIF] for r in current}
    qualificatif = qualifiers.pop() if len(qualifiers) == 1 else ("environ" if qualifiers else "exact")
    published_caisses = [r[col.CAISSE] for r in current]
    change = None
    comparison_published = comparison is not None and any((c, comparison) in lv for c in caisses)
    if comparison is not None:
        before = None
        comparable = False
        if value is not None:
            previous = [lv[(c, comparison)] for c in published_caisses if (c, comparison) in lv]
            before, _, _ = _total(previous, indicator, published_caisses)
            comparable = (
                before is not None
                and len(previous) == len(current)
                and {r[col.QUALIFICATIF] for r in previous + current} == {"exact"}
                and {r[col.PERIODE] for r in previous} == {r[col.PERIODE] for r in current}
            )
        single = len(caisses) == 1
        published_pct = _published_change(rows, "evolution_pct", year, comparison) if single else None
        published_abs = _published_change(rows, "evolution_val", year, comparison) if single else None
        # A base year derived from the published change would only restate it as « calculée ».
        base_derived = any(bool(lv[(c, comparison)][col.DERIVE]) for c in caisses if (c, comparison) in lv)
        if base_derived and (published_pct is not None or published_abs is not None):
            comparable = False
        computed_pct = computed_abs = None
        if comparable and value is not None and before is not None:
            computed_abs = value - before
            computed_pct = computed_abs / before * 100 if before else None
        change = Change(computed_pct, computed_abs, published_pct, published_abs)
        if all(v is None for v in (change.computed_pct, change.published_pct, change.published_abs)):
            change = None
    return KeyFigure(
        indicator=indicator,
        value=value,
        qualificatif=qualificatif,
        caisses_published=tuple(published_caisses),
        caisses_missing=tuple(c for c in caisses if c not in set(published_caisses)),
        summed=summed,
        not_summable=refused,
        change=change,
        sources=tuple(dict.fromkeys(_source_of(r) for r in current or _changes(rows, year))),
        derived=any(bool(r[col.DERIVE]) for r in current),
        comparison_published=comparison_published,
        by_caisse=tuple((r[col.CAISSE], float(r[col.VALEUR]), r[col.QUALIFICATIF]) for r in current),
        periode=periods.pop() if len(periods := {str(r[col.PERIODE]) for r in current}) == 1 else "annee",
        year=year,
        published_changes=tuple(
            (
                str(r[col.NATURE]),
                float(r[col.VALEUR]),
                None if pd.isna(r[col.ANNEE_REFERENCE]) else int(r[col.ANNEE_REFERENCE]),
            )
            for r in _changes(rows, year)
        )
        if len(caisses) == 1
        else (),
        previous=(float(lv[key][col.VALEUR]), str(lv[key][col.QUALIFICATIF]))
        if len(caisses) == 1 and comparison is not None and (key := (caisses[0], comparison)) in lv
        else None,
    )


def key_figures(
    frame: pd.DataFrame,
    indicators: Sequence[Indicator],
    caisses: Sequence[str],
    year: int,
    comparison: int | None,
) -> list[KeyFigure]:
    """The cards of several indicators: value for the year over the caisses, change if comparable, sources."""
    return key_figures_of(rows_by_indicator(frame), indicators, caisses, year, comparison)


def key_figures_of(
    rows: Mapping[str, list[Record]],
    indicators: Sequence[Indicator],
    caisses: Sequence[str],
    year: int,
    comparison: int | None,
) -> list[KeyFigure]:
    """``key_figures`` on rows already grouped by ``rows_by_indicator``.

    Cards work on plain records: each holds a handful of rows, for which pandas operations would cost more
    than the work itself.
    """
    return [_key_figure(rows.get(ind.code, []), ind, caisses, year, comparison) for ind in indicators]


def key_figure(
    frame: pd.DataFrame, indicator: Indicator, caisses: Sequence[str], year: int, comparison: int | None
) -> KeyFigure:
    """The card of one indicator (see ``key_figures``)."""
    return key_figures(frame, [indicator], caisses, year, comparison)[0]


def themes_with_figures(frame: pd.DataFrame, theme_of: dict[str, str], year: int) -> dict[str, int]:
    """How many figures each theme holds for the year (themes without any are absent)."""
    rows = frame[frame[col.ANNEE] == year]
    counts = rows[col.INDICATEUR].map(theme_of).value_counts()
    return {str(theme): int(n) for theme, n in counts.items()}


# ----------------------------------------------------------------------------- the table a person reads

# Column key → French header of the exported and displayed table.
HEADERS: dict[str, str] = {
    "departement": "Département",
    "caisse_nom": "Caisse",
    "annee": "Année",
    "theme": "Thème",
    "indicateur": "Code indicateur",
    "libelle": "Indicateur",
    "valeur": "Valeur",
    "unite": "Unité",
    "qualificatif": "Qualificatif",
    "periode": "Période",
    "nature": "Nature",
    "annee_reference": "Année de référence",
    "derivation": "Calcul (valeur dérivée)",
    "source": "Source",
    "url": "Adresse de la source",
    "commentaire": "Commentaire",
}


def readable_table(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """One row per figure with French words for codes; ``valeur`` stays numeric for sorting."""
    labels = {ind.code: ind.libelle for ind in catalog.all_indicators}
    themes = {ind.code: catalog.theme(ind.theme).libelle for ind in catalog.all_indicators}
    table = pd.DataFrame(
        {
            "departement": frame[col.DEPARTEMENT].astype(str)
            + " — "
            + frame[col.DEPARTEMENT_NOM].astype(str),
            "caisse_nom": frame[col.CAISSE_NOM],
            "annee": frame[col.ANNEE].astype(int),
            "theme": frame[col.INDICATEUR].map(themes),
            "indicateur": frame[col.INDICATEUR],
            "libelle": frame[col.INDICATEUR].map(labels).fillna(frame[col.INDICATEUR]),
            "valeur": frame[col.VALEUR].astype(float),
            "unite": frame[col.UNITE],
            "qualificatif": frame[col.QUALIFICATIF].map(lambda q: format_qualificatif(q) or "exact"),
            "periode": frame[col.PERIODE].map(format_periode),
            "nature": frame[col.NATURE].map(format_nature),
            "annee_reference": frame[col.ANNEE_REFERENCE].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "derivation": frame[col.DERIVATION].fillna(""),
            "source": frame[col.SOURCE],
            "url": frame[col.URL].fillna(""),
            "commentaire": frame[col.COMMENTAIRE].fillna(""),
        }
    )
    return table.sort_values(["annee", "caisse_nom", "theme", "libelle"], ascending=[False, True, True, True])


SEARCHED_COLUMNS = ("libelle", "indicateur", "caisse_nom", "departement", "theme", "source", "commentaire")
MAX_SEARCH = 100


def search_rows(table: pd.DataFrame, text: object) -> pd.DataFrame:
    """The rows whose words contain every word typed, ignoring case and accents (« Temps d'attente »)."""
    if not isinstance(text, str) or not text.strip():
        return table
    words = fold(text[:MAX_SEARCH]).split()
    haystack = table[list(SEARCHED_COLUMNS)].astype(str).agg(" ".join, axis=1).map(fold)
    mask = haystack.map(lambda row: all(word in row for word in words))
    return table[mask]
