"""What a slide says beside its chart: two to four key figures, and one factual sentence for the speaker.

Pure: ``analysis.KeyFigure`` records in, French text out. Every number goes through ``formatting``; a
change is only stated when ``analysis.key_figure`` found the two years comparable (or the caisse published
it), and a missing value reads « non publié », never zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from dashboard.analysis import YEAR_PERIODS, KeyFigure
from dashboard.formatting import NON_PUBLIE, format_change, format_periode, format_value

MAX_KEY_NUMBERS: Final = 4


@dataclass(frozen=True, slots=True)
class KeyNumber:
    """A key figure as text: the value as read aloud, and what it is."""

    value: str
    label: str

    @property
    def published(self) -> bool:
        """False when the value reads « non publié » (drawn in ``theme.UNPUBLISHED`` on slides and pages)."""
        return self.value != NON_PUBLIE


def _value(figure: KeyFigure, year: int | None = None) -> str:
    """The value as the cards say it, a part of the year or another year naming itself.

    « 5 000 (septembre 2024) », « 60 jours (en 2023) »: the chart beside it draws whole years only.
    """
    text = format_value(figure.value, figure.indicator.unite, figure.qualificatif)
    if figure.year is None:
        return text
    if figure.periode not in YEAR_PERIODS:
        return f"{text} ({format_periode(figure.periode)} {figure.year})"
    return f"{text} (en {figure.year})" if year is not None and figure.year != year else text


def change_text(figure: KeyFigure) -> str | None:
    """The change against the comparison year, computed when comparable, else as published; or None."""
    change, unite = figure.change, figure.indicator.unite
    if change is None or change.computed_abs is None:
        return published_change_text(figure)
    text = format_change(change.computed_abs, "evolution_val", unite)
    if change.computed_pct is not None and unite != "%":
        text += f" ({format_change(change.computed_pct, 'evolution_pct', unite, decimals=1)})"
    return text


def key_numbers(
    figures: Sequence[KeyFigure], comparison: int | None, names: Mapping[str, str], year: int | None = None
) -> tuple[KeyNumber, ...]:
    """Up to four key figures of a chart: key indicators first, then their change, then each caisse.

    Args:
        figures: ``analysis.key_figure`` of every indicator the chart shows, in display order.
        year: The selected year (a value of another year then says its year).
        comparison: The comparison year, if any.
        names: Caisse id → name.

    Returns:
        One to four key numbers (a single « non publié » when nothing was published).
    """
    ordered = sorted(figures, key=lambda f: not f.indicator.essentiel)
    numbers: list[KeyNumber] = []
    for figure in ordered:
        label = figure.indicator.libelle
        if figure.value is not None:
            suffix = f" (somme de {len(figure.caisses_published)} caisses)" if figure.summed else ""
            numbers.append(KeyNumber(_value(figure, year), label + suffix))
            change = change_text(figure)
            if change is not None and comparison is not None:
                numbers.append(KeyNumber(change, f"{label} : évolution depuis {comparison}"))
        elif figure.per_caisse:  # several caisses, no total: each caisse's value, its period said
            for each in figure.per_caisse:
                if each.value is not None and each.caisses_published:
                    caisse = each.caisses_published[0]
                    numbers.append(KeyNumber(_value(each, year), f"{label} — {names.get(caisse, caisse)}"))
        else:
            for caisse, value, qualifier in figure.by_caisse:
                shown = format_value(value, figure.indicator.unite, qualifier)
                numbers.append(KeyNumber(shown, f"{label} — {names.get(caisse, caisse)}"))
    if not numbers and figures:
        numbers.append(KeyNumber(NON_PUBLIE, ordered[0].indicator.libelle))
    return tuple(numbers[:MAX_KEY_NUMBERS])


def _lower_first(text: str) -> str:
    """« Demandes des assurés » → « demandes des assurés », but « CRA » stays « CRA »."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _who(figure: KeyFigure, names: Mapping[str, str]) -> str:
    caisses = [names.get(c, c) for c in figure.caisses_published]
    if len(caisses) == 1:
        return caisses[0]
    return f"les {len(caisses)} caisses"


def published_change_text(figure: KeyFigure) -> str | None:
    """The change as the caisse published it (in percent, else in value), or None."""
    change, unite = figure.change, figure.indicator.unite
    if change is None:
        return None
    if change.published_pct is not None:
        return format_change(change.published_pct, "evolution_pct", unite)
    if change.published_abs is not None:
        return format_change(change.published_abs, "evolution_val", unite)
    return None


def _computed_text(figure: KeyFigure) -> str | None:
    change = figure.change
    if change is None or change.computed_abs is None:
        return None
    return change_text(figure)


def _change_clause(figure: KeyFigure, comparison: int | None, *, compact: bool = False) -> str:
    """What follows a value: its change since the comparison year, computed and as published, or why not.

    ``compact`` (one caisse among several) gives the reason for no change in brackets.
    """
    if comparison is None:
        return ""
    if compact and _computed_text(figure) is None and published_change_text(figure) is None:
        if figure.comparison_published:
            return f" (évolution depuis {comparison} non calculée : années non comparables)"
        return f" (chiffre de {comparison} non publié)"
    computed, published = _computed_text(figure), published_change_text(figure)
    if computed is not None:
        text = f", soit {computed} par rapport à {comparison}"
        if published is not None and published != computed:
            text += f" (évolution publiée par la caisse : {published})"
        return text
    if published is not None:
        return f", soit {published} par rapport à {comparison}, telle que publiée par la caisse"
    if figure.comparison_published:
        return (
            f" ; l'évolution depuis {comparison} n'est pas calculée : les deux années ne sont pas "
            "comparables (valeur approchée ou périmètre différent)"
        )
    return f" ; le chiffre de {comparison} n'a pas été publié"


def note_sentence(
    figure: KeyFigure, year: int, comparison: int | None, names: Mapping[str, str], selection: str
) -> str:
    """A factual French sentence about a chart's main key figure for one caisse, for the speaker's notes.

    The change is stated only when ``analysis.key_figure`` returned one (comparable years, or published by
    the caisse); otherwise the sentence says why there is none. Several caisses: ``caisses_sentence``.
    """
    ind = figure.indicator
    if figure.value is None:
        if figure.not_summable and figure.by_caisse:
            parts = " ; ".join(
                f"{names.get(c, c)}, {format_value(v, ind.unite, q)}" for c, v, q in figure.by_caisse
            )
            return f"{ind.libelle} en {year} (indicateur non additionnable entre caisses) : {parts}."
        return f"{ind.libelle} : non publié pour {selection}."
    sentence = f"En {year}, {_lower_first(ind.libelle)} : {_value(figure, year)} pour {_who(figure, names)}"
    if figure.summed:
        sentence += " (somme des caisses)"
    return sentence + _change_clause(figure, comparison) + "."


def caisses_sentence(
    per_caisse: Sequence[tuple[str, KeyFigure]],
    total: KeyFigure | None,
    year: int,
    comparison: int | None,
    names: Mapping[str, str],
) -> str:
    """The speaker's sentence for several caisses: each caisse's value and change, or « non publié » for it.

    Args:
        per_caisse: (caisse id, ``analysis.key_figure`` of the indicator for that caisse alone), in order.
        total: The key figure over all the caisses (its sum is stated when it was allowed and complete).
        year: The selected year.
        comparison: The comparison year, if any.
        names: Caisse id → name.
    """
    if not per_caisse:
        return ""
    ind = per_caisse[0][1].indicator
    clauses = []
    for caisse, figure in per_caisse:
        name = names.get(caisse, caisse)
        if figure.value is None:
            clauses.append(f"{name}, {NON_PUBLIE}")
        else:
            clauses.append(
                f"{name}, {_value(figure, year)}{_change_clause(figure, comparison, compact=True)}"
            )
    sentence = f"En {year}, {_lower_first(ind.libelle)} : " + " ; ".join(clauses) + "."
    if total is not None and total.summed and total.value is not None:
        sentence += f" Ensemble des {len(per_caisse)} caisses : {_value(total, year)}."
    elif total is not None and total.not_summable:
        sentence += " Indicateur non additionnable entre caisses : pas de total."
    return sentence


def main_figure(figures: Sequence[KeyFigure]) -> KeyFigure | None:
    """The figure a chart's sentence is about: the first key indicator with a value, else the first one."""
    ordered = sorted(figures, key=lambda f: not f.indicator.essentiel)
    with_value = [f for f in ordered if f.value is not None or f.by_caisse]
    found = with_value or ordered
    return found[0] if found else None
