"""Départements and caisses: the fixed geography every figure hangs on."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

DEPARTEMENTS_FILE = Path(__file__).with_name("departements.csv")
CAISSES_FILE = Path(__file__).with_name("caisses.csv")


@dataclass(frozen=True, slots=True)
class Departement:
    """A French département; its INSEE code is text (``01``, ``2A``, ``974``)."""

    code: str
    nom: str
    region: str

    @property
    def label(self) -> str:
        """How a filter shows it: « 21 — Côte-d'Or »."""
        return f"{self.code} — {self.nom}"


@dataclass(frozen=True, slots=True)
class Caisse:
    """A caisse that publishes figures; several may share one département."""

    id: str
    nom: str
    departement: str


class Referentiel:
    """The read-only lists of départements and caisses."""

    def __init__(self, departements: tuple[Departement, ...], caisses: tuple[Caisse, ...]) -> None:
        self.departements = departements
        self.caisses = caisses

    @cached_property
    def departement_by_code(self) -> dict[str, Departement]:
        """Départements keyed by INSEE code."""
        return {d.code: d for d in self.departements}

    @cached_property
    def caisse_by_id(self) -> dict[str, Caisse]:
        """Caisses keyed by identifier."""
        return {c.id: c for c in self.caisses}

    def caisses_of(self, departement: str) -> tuple[Caisse, ...]:
        """The caisses of one département, by name."""
        return tuple(sorted((c for c in self.caisses if c.departement == departement), key=lambda c: c.nom))


def load_referentiel(
    departements_file: Path = DEPARTEMENTS_FILE, caisses_file: Path = CAISSES_FILE
) -> Referentiel:
    """Read both files; raise ValueError if a caisse names an unknown département."""
    with departements_file.open(encoding="utf-8", newline="") as handle:
        deps = tuple(Departement(r["code"], r["nom"], r["region"]) for r in csv.DictReader(handle))
    with caisses_file.open(encoding="utf-8", newline="") as handle:
        caisses = tuple(Caisse(r["id"], r["nom"], r["departement"]) for r in csv.DictReader(handle))
    codes = {d.code for d in deps}
    for caisse in caisses:
        if caisse.departement not in codes:
            raise ValueError(f"caisse « {caisse.id} » : département inconnu « {caisse.departement} »")
    return Referentiel(deps, caisses)
