"""The filters shared by every page, from the URL or the filter bar's controls, with French notices.

Every value comes from an allow-list; a bad one falls back to a default and says so, never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qs, urlencode

import pandas as pd

from dashboard.data.referentiel import Caisse, Departement, Referentiel

MAX_DEPARTEMENTS = 12
MAX_QUERY_LENGTH = 2000
# The view of an empty store (no figure yet): a year and a département that exist.
FALLBACK_YEAR = 2024
FALLBACK_DEPARTEMENT = "21"


@dataclass(frozen=True, slots=True)
class Choices:
    """What the filters may hold, drawn from the data (cached on the data version)."""

    years: tuple[int, ...]
    departements: tuple[Departement, ...]
    caisses: tuple[Caisse, ...]
    default_year: int
    default_departement: str

    def caisses_of(self, departements: tuple[str, ...]) -> tuple[Caisse, ...]:
        """The caisses of the given départements, in département then name order."""
        return tuple(c for code in departements for c in self.caisses if c.departement == code)

    def departement(self, code: str) -> Departement:
        """The département of that code."""
        return next(d for d in self.departements if d.code == code)


@dataclass(frozen=True, slots=True)
class Filters:
    """A valid selection: a year, an optional comparison year, départements and their chosen caisses."""

    annee: int
    comparaison: int | None
    departements: tuple[str, ...]
    caisses: tuple[str, ...]
    caisses_explicit: bool = False

    @property
    def years(self) -> tuple[int, ...]:
        """The selected year and, if any, the comparison year."""
        return (self.annee,) if self.comparaison is None else (self.comparaison, self.annee)


def _first(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1].strip() if values else None


def _split(query: dict[str, list[str]], key: str) -> list[str]:
    return [part.strip() for value in query.get(key, []) for part in value.split(",") if part.strip()]


def build_choices(counts: pd.DataFrame, referentiel: Referentiel) -> Choices:
    """What the filters may hold, and the default view: the year and département richest in figures.

    Args:
        counts: Figures stored per caisse and year (columns ``caisse``, ``annee``, ``chiffres``).
        referentiel: Every département and caisse.
    """
    years = tuple(sorted(int(y) for y in counts["annee"].unique()))
    by_caisse_year = counts.sort_values(["chiffres", "annee"], ascending=[False, False])
    top = by_caisse_year.iloc[0] if not counts.empty else None
    default_year = int(top["annee"]) if top is not None else FALLBACK_YEAR
    default_dep = (
        referentiel.caisse_by_id[str(top["caisse"])].departement if top is not None else FALLBACK_DEPARTEMENT
    )
    return Choices(
        years=years or (default_year,),
        departements=referentiel.departements,
        caisses=referentiel.caisses,
        default_year=default_year,
        default_departement=default_dep,
    )


def default_filters(choices: Choices) -> Filters:
    """The view a first visit opens on: the best-documented year and département."""
    deps = (choices.default_departement,)
    comparison = choices.default_year - 1 if choices.default_year - 1 in choices.years else None
    return Filters(choices.default_year, comparison, deps, tuple(c.id for c in choices.caisses_of(deps)))


def parse_filters(search: str | None, choices: Choices) -> tuple[Filters, list[str]]:
    """Filters from a URL query string, and the French notices for every value that was refused."""
    defaults = default_filters(choices)
    notices: list[str] = []
    raw = (search or "").lstrip("?")
    if len(raw) > MAX_QUERY_LENGTH:
        return defaults, ["Adresse trop longue : filtres par défaut rétablis."]
    query = parse_qs(raw, keep_blank_values=False)

    year = defaults.annee
    year_text = _first(query, "annee")
    if year_text is not None:
        if year_text.isdigit() and int(year_text) in choices.years:
            year = int(year_text)
        else:
            notices.append(f"Année « {year_text[:20]} » sans données : {year} affichée à la place.")

    known_deps = {d.code for d in choices.departements}
    asked_deps = _split(query, "departements")
    deps = tuple(dict.fromkeys(d.upper() for d in asked_deps if d.upper() in known_deps))[:MAX_DEPARTEMENTS]
    refused = [d for d in asked_deps if d.upper() not in known_deps]
    if refused:
        notices.append(f"Département « {refused[0][:20]} » inconnu : ignoré.")
    if len(asked_deps) > MAX_DEPARTEMENTS:
        notices.append(f"Au plus {MAX_DEPARTEMENTS} départements à la fois : les premiers sont gardés.")
    if not deps:
        deps = defaults.departements

    allowed = [c.id for c in choices.caisses_of(deps)]
    asked_caisses = _split(query, "caisses")
    caisses = tuple(dict.fromkeys(c for c in asked_caisses if c in allowed))
    if asked_caisses and len(caisses) < len(set(asked_caisses)):
        notices.append("Caisse hors des départements choisis : ignorée.")
    # Every caisse of the départements is the implicit choice: one address per selection, so that the
    # filter bar's values read back give the same selection (see ``control_values``).
    explicit = bool(caisses) and set(caisses) != set(allowed)
    if not explicit:
        caisses = tuple(allowed)

    comparison: int | None
    if "comparaison" in query:
        comp_text = _first(query, "comparaison") or ""
        if comp_text in ("", "aucune"):
            comparison = None
        elif comp_text.isdigit() and int(comp_text) in choices.years and int(comp_text) < year:
            comparison = int(comp_text)
        elif comp_text.isdigit() and int(comp_text) >= year:
            comparison = None
            notices.append(
                f"Année de comparaison {comp_text[:4]} : elle doit précéder {year}. Aucune comparaison."
            )
        else:
            comparison = None
            notices.append(f"Année de comparaison « {comp_text[:20]} » non valable : aucune comparaison.")
    else:
        comparison = year - 1 if year - 1 in choices.years else None
    return Filters(year, comparison, deps, caisses, explicit), notices


def to_query(filters: Filters) -> str:
    """The URL query string of a selection (the default caisses are left implicit)."""
    params: dict[str, str] = {
        "annee": str(filters.annee),
        "comparaison": str(filters.comparaison) if filters.comparaison is not None else "aucune",
        "departements": ",".join(filters.departements),
    }
    if filters.caisses_explicit:
        params["caisses"] = ",".join(filters.caisses)
    return "?" + urlencode(params, safe=",")


def filters_from_values(
    year: object,
    comparison: object,
    departements: object,
    caisses: object,
    choices: Choices,
    changed: str | None = None,
) -> tuple[Filters, list[str]]:
    """Filters from the filter bar's values (untrusted: they arrive in a callback payload).

    ``changed`` names the control the person just used, for the rules that follow a choice: a new year
    brings its previous year as comparison (unless « aucune » was chosen), and new départements bring all
    their caisses (the caisse list of the former départements no longer applies).
    """
    params: dict[str, str] = {}
    if isinstance(year, int | str):
        params["annee"] = str(year)
    params["comparaison"] = str(comparison) if isinstance(comparison, int | str) and comparison else "aucune"
    if changed == "annee" and params["comparaison"] != "aucune" and params.get("annee", "").isdigit():
        previous = int(params["annee"]) - 1
        params["comparaison"] = str(previous) if previous in choices.years else "aucune"
    if isinstance(departements, list) and all(isinstance(d, str) for d in departements):
        params["departements"] = ",".join(departements[: MAX_DEPARTEMENTS + 1])
    if changed == "departements":
        caisses = None
    if isinstance(caisses, list) and all(isinstance(c, str) for c in caisses):
        all_caisses = {c.id for c in choices.caisses_of(tuple(params.get("departements", "").split(",")))}
        if set(caisses) != all_caisses:
            params["caisses"] = ",".join(caisses[:50])
    return parse_filters(urlencode(params, safe=","), choices)


# The controls whose change brings a rule of its own (see ``filters_from_values``), by their field.
CHANGED_CONTROLS: Final = ("annee", "departements")


def control_values(filters: Filters) -> dict[str, Any]:
    """What the filter bar's four controls show for a selection, by field (read back, the same selection)."""
    return {
        "annee": filters.annee,
        "comparaison": filters.comparaison if filters.comparaison is not None else "aucune",
        "departements": list(filters.departements),
        "caisses": list(filters.caisses),
    }


def filters_of_change(change: object, choices: Choices) -> tuple[Filters, list[str]]:
    """Filters from the filter bar's last change, as the browser sends it (untrusted: a callback payload).

    At the first visit the browser sends the address's query (``{"search": "?annee=…"}``); then the four
    controls' values by field and the control just used (``{"values": {…}, "changed": "annee"}``). The
    pages and the filter bar resolve the same change alike, each in its own callback.
    """
    if isinstance(change, dict):
        search = change.get("search")
        if isinstance(search, str):
            return parse_filters(search, choices)
        values = change.get("values")
        if isinstance(values, dict):
            changed = change.get("changed")
            return filters_from_values(
                values.get("annee"),
                values.get("comparaison"),
                values.get("departements"),
                values.get("caisses"),
                choices,
                changed if changed in CHANGED_CONTROLS else None,
            )
    return parse_filters("", choices)
