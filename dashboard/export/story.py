"""What a slide says beside its chart: two to four key figures, and one factual sentence for the speaker.

Pure: ``analysis.KeyFigure`` records in, French text out. Every number goes through ``formatting``; a
change is only stated when ``analysis.key_figure`` found the two years comparable (or the caisse published
it), and a missing value reads « non publié », never zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from dashboard.analysis import KeyFigure
from dashboard.formatting import NON_PUBLIE, format_change, format_value

MAX_KEY_NUMBERS: Final = 4


@dataclass(frozen=True, slots=True)
class KeyNumber:
    """A key figure as text: the value as read aloud, and what it is."""

    value: str
    label: str


def _value(figure: KeyFigure) -> str:
    return format_value(figure.value, figure.indicator.unite, figure.qualificatif)


def change_text(figure: KeyFigure) -> str | None:
    """The change against the comparison year, computed when comparable, else as published; or None."""
    change, unite = figure.change, figure.indicator.unite
    if change is None:
        return None
    if change.computed_abs is not None:
        text = format_change(change.computed_abs, "evolution_val", unite)
        if change.computed_pct is not None and unite != "%":
            text += f" ({format_change(change.computed_pct, 'evolution_pct', unite, decimals=1)})"
        return text
    if change.published_pct is not None:
        return format_change(change.published_pct, "evolution_pct", unite)
    if change.published_abs is not None:
        return format_change(change.published_abs, "evolution_val", unite)
    return None


def key_numbers(
    figures: Sequence[KeyFigure], comparison: int | None, names: Mapping[str, str]
) -> tuple[KeyNumber, ...]:
    """Up to four key figures of a chart: key indicators first, then their change, then each caisse.

    Args:
        figures: ``analysis.key_figure`` of every indicator the chart shows, in display order.
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
            numbers.append(KeyNumber(_value(figure), label + suffix))
            change = change_text(figure)
            if change is not None and comparison is not None:
                numbers.append(KeyNumber(change, f"{label} : évolution depuis {comparison}"))
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


def note_sentence(
    figure: KeyFigure, year: int, comparison: int | None, names: Mapping[str, str], selection: str
) -> str:
    """A factual French sentence about a chart's main key figure, for the speaker's notes.

    The change is stated only when ``analysis.key_figure`` returned one (comparable years, or published by
    the caisse); otherwise the sentence says why there is none.
    """
    ind = figure.indicator
    if figure.value is None:
        if figure.not_summable and figure.by_caisse:
            parts = " ; ".join(
                f"{names.get(c, c)}, {format_value(v, ind.unite, q)}" for c, v, q in figure.by_caisse
            )
            return f"{ind.libelle} en {year} (indicateur non additionnable entre caisses) : {parts}."
        return f"{ind.libelle} : non publié pour {selection}."
    sentence = f"En {year}, {_lower_first(ind.libelle)} : {_value(figure)} pour {_who(figure, names)}"
    if figure.summed:
        sentence += " (somme des caisses)"
    change = change_text(figure)
    if comparison is None:
        return sentence + "."
    if change is not None:
        computed = figure.change is not None and figure.change.computed_abs is not None
        how = "" if computed else ", telle que publiée par la caisse"
        return f"{sentence}, soit {change} par rapport à {comparison}{how}."
    if figure.comparison_published:
        return (
            f"{sentence} ; l'évolution depuis {comparison} n'est pas calculée : les deux années ne sont pas "
            "comparables (valeur approchée ou périmètre différent)."
        )
    return f"{sentence} ; le chiffre de {comparison} n'a pas été publié."


def main_figure(figures: Sequence[KeyFigure]) -> KeyFigure | None:
    """The figure a chart's sentence is about: the first key indicator with a value, else the first one."""
    ordered = sorted(figures, key=lambda f: not f.indicator.essentiel)
    with_value = [f for f in ordered if f.value is not None or f.by_caisse]
    found = with_value or ordered
    return found[0] if found else None
