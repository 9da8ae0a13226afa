"""Pure rules on tidy frames: which value is the level of a year, changes, sums only where allowed.

No dash, no store: frames in, frames or plain records out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.data import columns as col
from dashboard.data.catalog import Indicator

# The periods that describe a whole year; a month or a peak is another measure and is never charted as one.
YEAR_PERIODS = ("annee", "fin_annee")


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


def levels(frame: pd.DataFrame, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Levels of whole years (one per caisse, year and indicator); changes and partial periods left out."""
    mask = (frame[col.NATURE] == "niveau") & frame[col.PERIODE].isin(YEAR_PERIODS)
    if years is not None:
        mask &= frame[col.ANNEE].isin(list(years))
    chosen = frame[mask].copy()
    # "annee" wins over "fin_annee" if a caisse published both for the same year.
    chosen["_rank"] = chosen[col.PERIODE].map({p: i for i, p in enumerate(YEAR_PERIODS)})
    chosen = chosen.sort_values("_rank").drop_duplicates([col.CAISSE, col.ANNEE, col.INDICATEUR])
    return chosen.drop(columns="_rank").sort_values([col.INDICATEUR, col.CAISSE, col.ANNEE])


def published_changes(frame: pd.DataFrame, year: int, reference: int) -> pd.DataFrame:
    """Changes published for ``year`` against ``reference`` (whole-year periods)."""
    mask = (
        frame[col.NATURE].isin(["evolution_pct", "evolution_val"])
        & (frame[col.ANNEE] == year)
        & (frame[col.ANNEE_REFERENCE] == reference)
        & frame[col.PERIODE].isin(YEAR_PERIODS)
    )
    return frame[mask]


def _total(
    rows: pd.DataFrame, indicator: Indicator, caisses: Sequence[str]
) -> tuple[float | None, bool, bool]:
    """(value, summed, refused): one caisse's value, or a sum only where allowed and complete."""
    if rows.empty:
        return None, False, False
    if len(caisses) == 1:
        return float(rows[col.VALEUR].iloc[0]), False, False
    if not indicator.sommable:
        return None, False, True
    if set(rows[col.CAISSE]) != set(caisses):
        return None, False, False
    return float(rows[col.VALEUR].sum()), True, False


def key_figure(
    frame: pd.DataFrame, indicator: Indicator, caisses: Sequence[str], year: int, comparison: int | None
) -> KeyFigure:
    """The card of one indicator: value for the year over the caisses, change if comparable, sources."""
    own = frame[frame[col.INDICATEUR] == indicator.code]
    lv = levels(own)
    current = lv[(lv[col.ANNEE] == year) & lv[col.CAISSE].isin(caisses)]
    value, summed, refused = _total(current, indicator, caisses)
    qualifiers = set(current[col.QUALIFICATIF])
    qualificatif = qualifiers.pop() if len(qualifiers) == 1 else ("environ" if qualifiers else "exact")
    change = None
    comparison_published = comparison is not None and bool(
        ((lv[col.ANNEE] == comparison) & lv[col.CAISSE].isin(caisses)).any()
    )
    if comparison is not None and value is not None:
        previous = lv[(lv[col.ANNEE] == comparison) & lv[col.CAISSE].isin(current[col.CAISSE])]
        before, _, _ = _total(previous, indicator, list(current[col.CAISSE]))
        comparable = (
            before is not None
            and set(previous[col.CAISSE]) == set(current[col.CAISSE])
            and set(previous[col.QUALIFICATIF]) | set(current[col.QUALIFICATIF]) == {"exact"}
            and set(previous[col.PERIODE]) == set(current[col.PERIODE])
        )
        published = published_changes(own[own[col.CAISSE].isin(caisses)], year, comparison)
        pub_pct = published[published[col.NATURE] == "evolution_pct"]
        pub_abs = published[published[col.NATURE] == "evolution_val"]
        single = len(caisses) == 1
        change = Change(
            computed_pct=(value - before) / before * 100 if comparable and before else None,
            computed_abs=value - before if comparable and before is not None else None,
            published_pct=float(pub_pct[col.VALEUR].iloc[0]) if single and len(pub_pct) == 1 else None,
            published_abs=float(pub_abs[col.VALEUR].iloc[0]) if single and len(pub_abs) == 1 else None,
        )
        if all(v is None for v in (change.computed_pct, change.published_pct, change.published_abs)):
            change = None
    sources = tuple(dict.fromkeys(zip(current[col.SOURCE], current[col.URL], strict=True)))
    return KeyFigure(
        indicator=indicator,
        value=value,
        qualificatif=qualificatif,
        caisses_published=tuple(current[col.CAISSE]),
        caisses_missing=tuple(c for c in caisses if c not in set(current[col.CAISSE])),
        summed=summed,
        not_summable=refused,
        change=change,
        sources=sources,
        derived=bool(current[col.DERIVE].any()) if not current.empty else False,
        comparison_published=comparison_published,
        by_caisse=tuple(
            zip(
                current[col.CAISSE], current[col.VALEUR].astype(float), current[col.QUALIFICATIF], strict=True
            )
        ),
    )


def themes_with_figures(frame: pd.DataFrame, theme_of: dict[str, str], year: int) -> dict[str, int]:
    """How many figures each theme holds for the year (themes without any are absent)."""
    rows = frame[frame[col.ANNEE] == year]
    counts = rows[col.INDICATEUR].map(theme_of).value_counts()
    return {str(theme): int(n) for theme, n in counts.items()}
