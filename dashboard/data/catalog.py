"""The indicator catalog: frozen records, read from the store (seeded from ``indicators.csv``).

The package's ``indicators.csv`` (read by ``shipped_catalog.load_catalog``) seeds the store on first start;
editors then add and amend indicators by catalog imports (``catalog_store.py``). Panels pick a new indicator
up through its theme, so no callback is written for it. A retired indicator keeps its figures but is left
out of what pages list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from dashboard.data.columns import Unit
from dashboard.data.parsing import fold

ChartKind = Literal["volume", "part", "taux", "duree"]
Direction = Literal["hausse", "baisse", "neutre"]


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of indicators shown together on one page: a row of the page table ``themes.csv``.

    Attributes:
        code: The theme code the indicators name.
        libelle: The page title.
        panneau: The page key's stem (``contact_channels``; ``other`` for the pages of « Autres thèmes »).
        ordre: Position in the menus.
        chemin: The page's address.
        menu: The label in the main navigation bar; empty for a page of the « Autres thèmes » menu.
        intro: The sentence under the page title.
    """

    code: str
    libelle: str
    panneau: str
    ordre: int
    chemin: str = ""
    menu: str = ""
    intro: str = ""

    @property
    def page_key(self) -> str:
        """The key of the page's component ids (« contact-channels »)."""
        return self.panneau.replace("_", "-")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One catalog entry: what a code means and how it may be shown and added up."""

    code: str
    libelle: str
    definition: str
    theme: str
    unite: Unit
    sommable: bool
    sens: Direction
    parent: str | None
    graphique: ChartKind
    essentiel: bool
    synonymes: tuple[str, ...] = ()
    definition_source: str = ""
    retire: bool = False


SYNONYM_SEPARATOR = "|"


def split_synonyms(text: str) -> tuple[str, ...]:
    """The names of a « synonymes » cell (separated by « | »), trimmed, without blanks or repeats."""
    names: list[str] = []
    for part in text.split(SYNONYM_SEPARATOR):
        name = " ".join(part.split())
        if name and fold(name) not in {fold(n) for n in names}:
            names.append(name)
    return tuple(names)


class Catalog:
    """The validated, read-only set of themes and indicators.

    Iterating, ``indicators``, ``by_theme`` and ``children`` give the indicators pages show
    (retired ones left out); ``get`` and ``in`` know every indicator, retired ones too, since their figures
    are kept; ``all_indicators`` lists them all.
    """

    def __init__(self, themes: tuple[Theme, ...], indicators: tuple[Indicator, ...]) -> None:
        self.themes = themes
        self.all_indicators = indicators
        self.indicators = tuple(ind for ind in indicators if not ind.retire)
        self._by_code = {ind.code: ind for ind in indicators}

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Indicator:
        """The indicator of that code (KeyError if unknown)."""
        return self._by_code[code]

    @cached_property
    def codes(self) -> frozenset[str]:
        """Every indicator code."""
        return frozenset(self._by_code)

    def theme(self, code: str) -> Theme:
        """The theme of that code (KeyError if unknown)."""
        return {t.code: t for t in self.themes}[code]

    def by_theme(self, theme: str) -> tuple[Indicator, ...]:
        """The indicators of one theme, in catalog order."""
        return tuple(ind for ind in self.indicators if ind.theme == theme)

    def children(self, code: str) -> tuple[Indicator, ...]:
        """The breakdowns of an indicator (its parts), in catalog order."""
        return tuple(ind for ind in self.indicators if ind.parent == code)

    @cached_property
    def _names(self) -> dict[str, str | None]:
        """Folded code, label and synonyms → code; None for a name two indicators share."""
        names: dict[str, str | None] = {}
        for ind in self.all_indicators:
            for name in {fold(ind.code), fold(ind.libelle), *(fold(s) for s in ind.synonymes)}:
                names[name] = ind.code if names.get(name, ind.code) == ind.code else None
        return names

    def resolve(self, name: str) -> str | None:
        """The code a file's name means, or None when unknown or shared by two indicators.

        The code itself, or a label or synonym matched without regard to case, accents or spacing.
        """
        text = name.strip()
        if text in self._by_code:
            return text
        return self._names.get(fold(text))

    def search(self, query: str) -> tuple[Indicator, ...]:
        """The indicators (retired too) whose code, label, definition or synonyms hold every query word.

        Matched without regard to case or accents (« decroche » finds « décroché »).
        """
        words = fold(query).split()
        found = []
        for ind in self.all_indicators:
            text = fold(" ".join((ind.code, ind.libelle, ind.definition, *ind.synonymes)))
            if all(word in text for word in words):
                found.append(ind)
        return tuple(found)
