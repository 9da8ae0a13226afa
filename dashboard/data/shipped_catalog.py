"""The catalog shipped with the package (``indicators.csv``, ``themes.csv``), read and validated.

It seeds the store on first start (``catalog_store.seed_catalog``); the pages then read the catalog in force
from the store.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dashboard.data.catalog import Catalog, ChartKind, Direction, Indicator, Theme, split_synonyms
from dashboard.data.columns import Unit

CATALOG_FILE = Path(__file__).with_name("indicators.csv")
THEMES_FILE = Path(__file__).with_name("themes.csv")


class CatalogError(ValueError):
    """The catalog file breaks a rule; the message names the line and the problem, in French."""


class _ThemeRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    libelle: str = Field(min_length=1)
    panneau: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    ordre: int
    chemin: str = Field(pattern=r"^/[a-z0-9_/-]+$")
    menu: str = ""
    intro: str = Field(min_length=1)


class _IndicatorRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)
    libelle: str = Field(min_length=1, max_length=90)
    definition: str = Field(min_length=1)
    theme: str
    unite: Unit
    sommable: bool
    sens: Direction
    parent: str | None = None
    graphique: ChartKind
    essentiel: bool
    synonymes: tuple[str, ...] = ()
    definition_source: str = ""

    @field_validator("synonymes", mode="before")
    @classmethod
    def _split_synonyms(cls, value: object) -> object:
        return split_synonyms(value) if isinstance(value, str) else value

    @field_validator("parent", mode="before")
    @classmethod
    def _empty_parent_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _error_text(err: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])} : {e['msg']}" for e in err.errors())


def load_catalog(indicators_file: Path = CATALOG_FILE, themes_file: Path = THEMES_FILE) -> Catalog:
    """Read and validate the catalog files; raise CatalogError naming the line at the first broken rule."""
    themes: list[Theme] = []
    for line, row in enumerate(_read_rows(themes_file), start=2):
        try:
            themes.append(Theme(**_ThemeRow.model_validate(row).model_dump()))
        except ValidationError as err:
            raise CatalogError(f"{themes_file.name}, ligne {line} : {_error_text(err)}") from err
    theme_codes = {t.code for t in themes}
    paths = [t.chemin for t in themes]
    if len(set(paths)) != len(paths):
        raise CatalogError(f"{themes_file.name} : deux thèmes ont la même adresse (colonne chemin)")
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for line, row in enumerate(_read_rows(indicators_file), start=2):
        try:
            ind = Indicator(**_IndicatorRow.model_validate(row).model_dump())
        except ValidationError as err:
            raise CatalogError(f"{indicators_file.name}, ligne {line} : {_error_text(err)}") from err
        if ind.code in seen:
            raise CatalogError(f"{indicators_file.name}, ligne {line} : code « {ind.code} » en double")
        if ind.theme not in theme_codes:
            raise CatalogError(f"{indicators_file.name}, ligne {line} : thème inconnu « {ind.theme} »")
        seen.add(ind.code)
        indicators.append(ind)
    for ind in indicators:
        if ind.parent is not None and ind.parent not in seen:
            raise CatalogError(f"indicateur « {ind.code} » : parent inconnu « {ind.parent} »")
    return Catalog(tuple(themes), tuple(indicators))
