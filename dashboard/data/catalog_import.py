"""A catalog file (CSV or XLSX, one row per indicator) checked and turned into a plan.

Every problem is reported at once with its row, column and reason; a file without any becomes a plan: new,
changed, unchanged and deleted indicators, and the catalog as it would be.

Rows are merged into the current catalog by code: an indicator the file does not name is left as it is. The
column « statut » retires an indicator (hidden from pages, figures kept) or deletes one that has no figure.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from typing import Any, get_args

from dashboard.data.catalog import (
    SYNONYM_SEPARATOR,
    Catalog,
    ChartKind,
    Direction,
    Indicator,
    split_synonyms,
)
from dashboard.data.parsing import fold
from dashboard.data.reading import RawRow, RawTable
from dashboard.data.validation import Issue

CATALOG_COLUMNS = (
    "code",
    "libelle",
    "definition",
    "theme",
    "unite",
    "sommable",
    "sens",
    "parent",
    "graphique",
    "essentiel",
    "synonymes",
    "definition_source",
    "statut",
)
REQUIRED_COLUMNS = ("code", "libelle", "definition", "theme", "unite", "sommable", "sens", "graphique")
# The columns the figure template's second sheet carries with the header a person reads.
COLUMN_TITLES = {
    "code": "code",
    "libelle": "libellé",
    "definition": "définition",
    "theme": "thème",
    "unite": "unité",
    "sommable": "sommable",
    "sens": "sens",
    "parent": "parent",
    "graphique": "graphique",
    "essentiel": "essentiel",
    "synonymes": "synonymes",
    "definition_source": "definition_source",
    "statut": "statut",
}
MAX_LENGTH = {"code": 80, "libelle": 90, "definition": 2000, "definition_source": 300, "synonyme": 120}
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNITS = {
    "nombre": "nombre",
    "nb": "nombre",
    "%": "%",
    "pourcentage": "%",
    "pour cent": "%",
    "€": "€",
    "euro": "€",
    "euros": "€",
    "eur": "€",
    "jours": "jours",
    "jour": "jours",
    "heures": "heures",
    "heure": "heures",
    "minutes": "minutes",
    "minute": "minutes",
    "min": "minutes",
}
_BOOLEANS = {"oui": True, "non": False, "true": True, "false": False, "vrai": True, "faux": False}
_BOOLEANS |= {"1": True, "0": False, "o": True, "n": False}
_STATUSES = {"": "actif", "actif": "actif", "retire": "retire", "supprime": "supprime"}
# The fields whose change on an indicator with figures would change what those figures mean.
FROZEN_WITH_FIGURES = ("unite", "sommable")
_FROZEN_NAMES = {"unite": "son unité", "sommable": "son caractère sommable"}
_FIELD_NAMES = tuple(f.name for f in fields(Indicator))


@dataclass(frozen=True, slots=True)
class IndicatorChange:
    """One indicator the file adds (``before`` None), changes, retires or deletes (``after`` None)."""

    code: str
    line: int
    before: Indicator | None
    after: Indicator | None

    @property
    def changed_fields(self) -> tuple[str, ...]:
        """The fields that differ between before and after."""
        if self.before is None or self.after is None:
            return ()
        return tuple(f for f in _FIELD_NAMES if getattr(self.before, f) != getattr(self.after, f))


@dataclass(frozen=True, slots=True)
class CatalogPlan:
    """What a catalog file would do to the catalog, or every reason it is refused."""

    issues: tuple[Issue, ...]
    changes: tuple[IndicatorChange, ...] = ()
    unchanged: tuple[str, ...] = ()
    result: Catalog | None = None

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The blocking issues."""
        return tuple(i for i in self.issues if i.severity == "erreur")

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not self.errors and self.result is not None

    @property
    def new(self) -> tuple[IndicatorChange, ...]:
        """The indicators the file adds."""
        return tuple(c for c in self.changes if c.before is None)

    @property
    def changed(self) -> tuple[IndicatorChange, ...]:
        """The indicators the file changes (retiring one is a change)."""
        return tuple(c for c in self.changes if c.before is not None and c.after is not None)

    @property
    def deleted(self) -> tuple[IndicatorChange, ...]:
        """The indicators the file deletes."""
        return tuple(c for c in self.changes if c.after is None)


class _RowErrors:
    """Collects the problems of one row; each names the column and the value read."""

    def __init__(self, row: RawRow) -> None:
        self.row = row
        self.issues: list[Issue] = []

    def add(self, column: str, message: str) -> None:
        self.issues.append(Issue(self.row.line, column, self.row.cells.get(column, ""), message))

    def text(self, column: str, *, required: bool, limit: int) -> str:
        value = (
            " ".join(self.row.cells.get(column, "").split())
            if column != "definition"
            else (self.row.cells.get(column, "").strip())
        )
        if not value and required:
            self.add(column, "vide : cette colonne est obligatoire")
        elif _CONTROL.search(value):
            self.add(column, "contient des caractères de contrôle invisibles")
        elif len(value) > limit:
            self.add(column, f"texte trop long : {limit} caractères au plus")
        return value

    def choice(self, column: str, allowed: Mapping[str, Any], expected: str) -> Any:
        value = fold(self.row.cells.get(column, ""))
        if value in allowed:
            return allowed[value]
        self.add(column, f"valeur non prévue : attendu {expected}")
        return None


def _theme_lookup(catalog: Catalog) -> dict[str, str]:
    names: dict[str, str] = {}
    for theme in catalog.themes:
        names[fold(theme.code)] = theme.code
        names[fold(theme.libelle)] = theme.code
    return names


def _parse_row(
    row: RawRow, columns: Collection[str], current: Catalog, themes: Mapping[str, str]
) -> tuple[dict[str, Any], str, list[Issue]]:
    """The typed fields a row gives (only its columns), its status, and its own problems."""
    errors = _RowErrors(row)
    code = errors.text("code", required=True, limit=MAX_LENGTH["code"])
    if code and not _CODE.match(code):
        errors.add(
            "code",
            "code invalide : minuscules sans accent, chiffres et « _ », commençant par une lettre "
            "(exemple : taux_decroche)",
        )
    values: dict[str, Any] = {"code": code}
    values["libelle"] = errors.text("libelle", required=True, limit=MAX_LENGTH["libelle"])
    values["definition"] = errors.text("definition", required=True, limit=MAX_LENGTH["definition"])
    theme_text = row.cells.get("theme", "")
    values["theme"] = themes.get(fold(theme_text))
    if values["theme"] is None:
        known = ", ".join(t.code for t in sorted(current.themes, key=lambda t: t.ordre))
        errors.add("theme", f"thème inconnu : attendu le code ou le nom d'un thème ({known})")
    values["unite"] = errors.choice("unite", _UNITS, "nombre, %, €, jours, heures ou minutes")
    values["sommable"] = errors.choice("sommable", _BOOLEANS, "oui ou non")
    values["sens"] = errors.choice(
        "sens", {s: s for s in get_args(Direction)}, "hausse, baisse ou neutre (le sens souhaitable)"
    )
    kinds = {fold(k): k for k in get_args(ChartKind)} | {"duree": "duree"}
    values["graphique"] = errors.choice("graphique", kinds, "volume, part, taux ou durée")
    if "parent" in columns:
        values["parent"] = row.cells.get("parent", "").strip() or None
    if "essentiel" in columns:
        values["essentiel"] = (
            False
            if not row.cells.get("essentiel", "").strip()
            else errors.choice("essentiel", _BOOLEANS, "oui, non ou vide")
        )
    if "synonymes" in columns:
        raw = row.cells.get("synonymes", "")
        if _CONTROL.search(raw):
            errors.add("synonymes", "contient des caractères de contrôle invisibles")
        names = split_synonyms(raw)
        if any(len(n) > MAX_LENGTH["synonyme"] for n in names):
            errors.add("synonymes", f"un synonyme dépasse {MAX_LENGTH['synonyme']} caractères")
        values["synonymes"] = names
    if "definition_source" in columns:
        values["definition_source"] = errors.text(
            "definition_source", required=False, limit=MAX_LENGTH["definition_source"]
        )
    status = "actif"
    if "statut" in columns:
        status = errors.choice("statut", _STATUSES, "vide (actif), « retiré » ou « supprimé »") or "actif"
    if values["unite"] == "%" and values["sommable"] is True:
        errors.add("sommable", "un taux ou une part (unité %) ne s'additionne pas entre caisses : mettez non")
    return values, status, errors.issues


def _header_issues(table: RawTable) -> list[Issue]:
    issues = [
        Issue(1, name, "", "colonne obligatoire absente de la ligne d'en-tête")
        for name in REQUIRED_COLUMNS
        if name not in table.columns
    ]
    seen: set[str] = set()
    for name in table.columns:
        if name and name not in CATALOG_COLUMNS:
            issues.append(
                Issue(1, name, "", f"colonne inconnue du format du catalogue ({', '.join(CATALOG_COLUMNS)})")
            )
        if name in seen:
            issues.append(Issue(1, name, "", "colonne en double dans l'en-tête"))
        seen.add(name)
    return issues


def _cycle_from(code: str, parents: Mapping[str, str | None]) -> bool:
    seen = {code}
    parent = parents.get(code)
    while parent is not None:
        if parent in seen:
            return True
        seen.add(parent)
        parent = parents.get(parent)
    return False


def _merged_issues(
    result: dict[str, Indicator], lines: Mapping[str, int], cells: Mapping[str, RawRow]
) -> list[Issue]:
    """Rules on the catalog as the file would leave it: parents known and acyclic, names unambiguous."""
    issues: list[Issue] = []
    parents = {code: ind.parent for code, ind in result.items()}
    owners: dict[str, set[str]] = {}
    for each in result.values():
        for name in {fold(each.code), *(fold(s) for s in each.synonymes)}:
            owners.setdefault(name, set()).add(each.code)
    for code, line in lines.items():
        ind = result.get(code)
        if ind is None:
            continue
        raw = cells[code].cells
        if ind.parent is not None and ind.parent not in result:
            issues.append(Issue(line, "parent", raw.get("parent", ""), "parent inconnu du catalogue"))
        elif ind.parent is not None and _cycle_from(code, parents):
            issues.append(
                Issue(
                    line,
                    "parent",
                    raw.get("parent", ""),
                    "cycle de parents : un indicateur ne peut être, même indirectement, son propre parent",
                )
            )
        for name in ind.synonymes:
            others = sorted(owners.get(fold(name), set()) - {code})
            if others:
                issues.append(
                    Issue(
                        line,
                        "synonymes",
                        name,
                        f"ce nom désigne déjà l'indicateur {others[0]} : un nom ne peut désigner qu'un "
                        "indicateur",
                    )
                )
    return issues


def plan_catalog(table: RawTable, current: Catalog, with_figures: Collection[str]) -> CatalogPlan:
    """Check a catalog file against the current catalog; ``with_figures`` are the codes that have figures."""
    header = _header_issues(table)
    if header:
        return CatalogPlan(tuple(header))
    themes = _theme_lookup(current)
    issues: list[Issue] = []
    result: dict[str, Indicator] = {ind.code: ind for ind in current.all_indicators}
    changes: list[IndicatorChange] = []
    unchanged: list[str] = []
    first_line: dict[str, int] = {}
    cells: dict[str, RawRow] = {}
    for row in table.rows:
        values, status, row_issues = _parse_row(row, table.columns, current, themes)
        code = values["code"]
        if code in first_line:
            row_issues.append(
                Issue(row.line, "code", code, f"code en double : déjà défini ligne {first_line[code]}")
            )
        issues.extend(row_issues)
        if row_issues or not code:
            continue
        first_line[code] = row.line
        cells[code] = row
        before = current.get(code) if code in current else None
        has_figures = code in with_figures
        if status == "supprime":
            if before is None:
                issues.append(
                    Issue(
                        row.line,
                        "statut",
                        row.cells.get("statut", ""),
                        "indicateur absent du catalogue : rien à supprimer",
                    )
                )
            elif has_figures:
                issues.append(
                    Issue(
                        row.line,
                        "statut",
                        row.cells.get("statut", ""),
                        "cet indicateur a des chiffres : il ne peut être supprimé, seulement retiré "
                        "(statut « retiré » : caché des pages, chiffres conservés)",
                    )
                )
            else:
                del result[code]
                changes.append(IndicatorChange(code, row.line, before, None))
            continue
        kept = {} if before is None else {f: getattr(before, f) for f in _FIELD_NAMES}
        after = Indicator(
            **{
                **{"parent": None, "essentiel": False, "synonymes": (), "definition_source": ""},
                **kept,
                **values,
                "retire": status == "retire"
                if "statut" in table.columns or before is None
                else kept["retire"],
            }
        )
        if before is not None and has_figures:
            for name in FROZEN_WITH_FIGURES:
                if getattr(before, name) != getattr(after, name):
                    issues.append(
                        Issue(
                            row.line,
                            name,
                            row.cells.get(name, ""),
                            f"cet indicateur a déjà des chiffres : {_FROZEN_NAMES[name]} ne peut changer "
                            f"(était « {_shown(getattr(before, name))} ») ; créez un nouveau code",
                        )
                    )
        result[code] = after
        if before == after:
            unchanged.append(code)
        else:
            changes.append(IndicatorChange(code, row.line, before, after))
    issues.extend(_merged_issues(result, first_line, cells))
    for change in changes:
        if change.after is None:
            children = sorted(c for c, ind in result.items() if ind.parent == change.code)
            if children:
                issues.append(
                    Issue(
                        change.line,
                        "statut",
                        "supprimé",
                        f"indicateur parent de {', '.join(children)} : supprimez ou rattachez-les d'abord",
                    )
                )
    if any(i.severity == "erreur" for i in issues):
        return CatalogPlan(tuple(issues))
    # Existing indicators keep their place; new ones follow, in file order.
    known = {ind.code: i for i, ind in enumerate(current.all_indicators)}
    ordered = sorted(
        result.values(),
        key=lambda ind: (0, known[ind.code]) if ind.code in known else (1, first_line[ind.code]),
    )
    return CatalogPlan(
        tuple(issues), tuple(changes), tuple(unchanged), Catalog(current.themes, tuple(ordered))
    )


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def indicator_cells(ind: Indicator, *, status: bool = True) -> list[str]:
    """One indicator as the cells of a catalog file, in ``CATALOG_COLUMNS`` order."""
    cells = [
        ind.code,
        ind.libelle,
        ind.definition,
        ind.theme,
        ind.unite,
        _shown(ind.sommable),
        ind.sens,
        ind.parent or "",
        ind.graphique,
        _shown(ind.essentiel),
        f" {SYNONYM_SEPARATOR} ".join(ind.synonymes),
        ind.definition_source,
    ]
    return [*cells, "retiré" if ind.retire else ""] if status else cells
