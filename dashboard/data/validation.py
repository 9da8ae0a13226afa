"""The import format's schema: every row checked, every problem reported at once, in French.

Cells arrive as text; pydantic field validators turn each into its typed value or raise a French message
that says what was expected. Cross-field rules (caisse in its département, change against a year) follow.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from dashboard.data import columns as col
from dashboard.data.catalog import Catalog
from dashboard.data.parsing import (
    MAX_ABS_VALUE,
    ParseError,
    parse_departement_code,
    parse_french_number,
    parse_nature,
    parse_period,
    parse_qualifier,
)
from dashboard.data.reading import RawTable
from dashboard.data.referentiel import Referentiel
from dashboard.formatting import format_number

Severity = Literal["erreur", "avertissement"]

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_DIGITS = len(str(int(MAX_ABS_VALUE)))
MAX_TEXT = {col.SOURCE: 300, col.URL: 500, col.COMMENTAIRE: 1000, col.DERIVATION: 500}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# ASCII digits only: str.isdigit() accepts « ２０２４ » and « ²⁰²⁴ » (int() reads or refuses them in English).
_YEAR = re.compile(r"^[0-9]{4}$")


FORMULA_WITHOUT_VALUE = (
    "formule enregistrée sans sa valeur calculée : ouvrez le fichier dans Excel, enregistrez-le (les valeurs "
    "seront calculées) ou collez les valeurs à la place des formules, puis déposez-le à nouveau"
)
UNKNOWN_INDICATOR = "indicateur inconnu du catalogue"


# The closed vocabularies of the format: how a cell is read, and what is expected when it cannot be.
_VOCABULARIES: dict[str, tuple[Callable[[str], str], str]] = {
    col.QUALIFICATIF: (parse_qualifier, "attendu vide (exact), « plus de », « environ » ou « moins de »"),
    col.PERIODE: (
        parse_period,
        "attendu vide (année entière), « fin d'année », « cumul », un mois (« avril »), « 1er semestre », "
        "« 2e semestre » ou « pic »",
    ),
    col.NATURE: (parse_nature, "attendu vide (niveau), « évolution en % » ou « évolution en valeur »"),
}


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a file: where (line, column), the value, what was expected."""

    line: int | None
    column: str | None
    value: str
    message: str
    severity: Severity = "erreur"

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        head = ", ".join(where).capitalize() or "Fichier"
        shown = f" (valeur « {self.value[:60]} »)" if self.value else ""
        return f"{head}{shown} : {self.message}"


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("format_saisie", message)


def _context(info: ValidationInfo) -> tuple[Catalog, Referentiel]:
    context: dict[str, Any] = info.context or {}
    return context["catalog"], context["referentiel"]


class ObservationIn(BaseModel):
    """One validated row of the import format."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    departement: str
    caisse: str
    annee: int
    indicateur: str
    valeur: float
    qualificatif: str = "exact"
    periode: str = "annee"
    nature: str = "niveau"
    annee_reference: int | None = None
    source: str
    url: str | None = None
    commentaire: str | None = None
    derivation: str | None = None
    line: int = 0

    @field_validator("departement", mode="before")
    @classmethod
    def _departement(cls, value: str, info: ValidationInfo) -> str:
        _, referentiel = _context(info)
        code = parse_departement_code(value)
        if not code:
            raise _fail("vide : attendu le code INSEE du département, par exemple 21, 2A ou 974")
        if code not in referentiel.departement_by_code:
            raise _fail("département inconnu : attendu un code INSEE, par exemple 01, 21, 2A ou 974")
        return code

    @field_validator("caisse", mode="before")
    @classmethod
    def _caisse(cls, value: str, info: ValidationInfo) -> str:
        _, referentiel = _context(info)
        ident = value.strip().lower()
        if ident in referentiel.caisse_by_id:
            return ident
        close = difflib.get_close_matches(ident, list(referentiel.caisse_by_id), n=3, cutoff=0.6)
        hint = f" ; vouliez-vous dire {', '.join(close)} ?" if close else ""
        raise _fail(f"caisse inconnue : attendu un identifiant de caisse, par exemple cpam-21{hint}")

    @field_validator("annee", mode="before")
    @classmethod
    def _annee(cls, value: str) -> int:
        text = value.strip().removesuffix(".0")
        return _year(text, f"attendu une année sur quatre chiffres entre {MIN_YEAR} et {MAX_YEAR}")

    @field_validator("annee_reference", mode="before")
    @classmethod
    def _annee_reference(cls, value: str) -> int | None:
        text = (value or "").strip().removesuffix(".0")
        return _year(text, f"attendu une année entre {MIN_YEAR} et {MAX_YEAR}, ou rien") if text else None

    @field_validator("indicateur", mode="before")
    @classmethod
    def _indicateur(cls, value: str, info: ValidationInfo) -> str:
        catalog, _ = _context(info)
        code = value.strip().lower()
        if code in catalog:
            return code
        resolved = catalog.resolve(value)  # a label or synonym: reported as a warning, never silent
        if resolved is not None:
            return resolved
        close = difflib.get_close_matches(code, sorted(catalog.codes), n=3, cutoff=0.5)
        hint = f" ; codes proches : {', '.join(close)}" if close else ""
        raise _fail(f"{UNKNOWN_INDICATOR} : ajoutez-le au catalogue (feuille « indicateurs »){hint}")

    @field_validator("valeur", mode="before")
    @classmethod
    def _valeur(cls, value: str) -> float:
        if not value.strip():
            raise _fail("vide : une valeur non publiée ne se saisit pas (ne mettez pas de ligne, jamais 0)")
        try:
            return parse_french_number(value).value
        except ParseError as err:
            if str(err) == "nombre hors limites":
                raise _fail(
                    f"nombre hors limites : une valeur s'écrit avec au plus {MAX_DIGITS} chiffres avant la "
                    "virgule"
                ) from None
            raise _fail(
                "n'est pas un nombre : attendu par exemple 3 872 394, 77,36 ou « plus de 1 000 »"
            ) from None

    @field_validator("qualificatif", "periode", "nature", mode="before")
    @classmethod
    def _vocabulary(cls, value: str, info: ValidationInfo) -> str:
        parse, expected = _VOCABULARIES[str(info.field_name)]
        try:
            return parse(value or "")
        except ParseError:
            raise _fail(expected) from None

    @field_validator("source", mode="before")
    @classmethod
    def _source(cls, value: str) -> str:
        if not value.strip():
            raise _fail("vide : chaque chiffre doit dire d'où il vient (titre du rapport ou de la page)")
        return _checked_text(value, col.SOURCE)

    @field_validator("url", mode="before")
    @classmethod
    def _url(cls, value: str) -> str | None:
        text = (value or "").strip()
        if not text:
            return None
        if not re.match(r"^https?://[^\s<>\"']+$", text, flags=re.IGNORECASE) or not _has_host(text):
            raise _fail("attendu une adresse web commençant par http:// ou https://, ou rien")
        return _checked_text(text, col.URL)

    @field_validator("commentaire", "derivation", mode="before")
    @classmethod
    def _free_text(cls, value: str, info: ValidationInfo) -> str | None:
        text = (value or "").strip()
        return _checked_text(text, str(info.field_name)) if text else None


def _year(text: str, expected: str) -> int:
    """A year cell (a spreadsheet's « 2024.0 » already cut to « 2024 »), or ``expected`` as the error."""
    if not _YEAR.match(text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise _fail(expected)
    return int(text)


def _has_host(url: str) -> bool:
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # a malformed address (an unclosed [ in the host)
        return False


def _checked_text(text: str, column: str) -> str:
    text = text.strip()
    if _CONTROL.search(text):
        raise _fail("contient des caractères de contrôle invisibles")
    if len(text) > MAX_TEXT[column]:
        raise _fail(f"texte trop long : {format_number(MAX_TEXT[column])} caractères au plus")
    return text


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """The valid rows and every issue found; a file with any error must write nothing."""

    rows: tuple[ObservationIn, ...]
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The blocking issues."""
        return tuple(i for i in self.issues if i.severity == "erreur")

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not self.errors


def _header_issues(table: RawTable) -> list[Issue]:
    issues = []
    known = set(col.IMPORT_COLUMNS)
    for name in col.REQUIRED_COLUMNS:
        if name not in table.columns:
            issues.append(Issue(1, name, "", "colonne obligatoire absente de la ligne d'en-tête"))
    for name in table.columns:
        if name and name not in known:
            close = difflib.get_close_matches(name, col.IMPORT_COLUMNS, n=1)
            hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
            issues.append(Issue(1, name, "", f"colonne inconnue du modèle de saisie{hint}"))
    seen: set[str] = set()
    for name in table.columns:
        if name and name in seen:
            issues.append(Issue(1, name, "", "colonne en double dans l'en-tête"))
        seen.add(name)
    return issues


def observation_key(row: ObservationIn) -> tuple[str, int, str, str, str, int]:
    """What identifies one figure: a re-import of the same key replaces the value."""
    return (row.caisse, row.annee, row.indicateur, row.periode, row.nature, row.annee_reference or 0)


def _cross_checks(
    row: ObservationIn, cells: dict[str, str], catalog: Catalog, ref: Referentiel
) -> list[Issue]:
    issues: list[Issue] = []
    caisse = ref.caisse_by_id[row.caisse]
    if caisse.departement != row.departement:
        issues.append(
            Issue(
                row.line,
                col.CAISSE,
                row.caisse,
                f"cette caisse appartient au département {caisse.departement}, pas au {row.departement}",
            )
        )
    written = parse_french_number(cells.get(col.VALEUR, "")).qualifier
    if written != "exact" and cells.get(col.QUALIFICATIF, "").strip() and written != row.qualificatif:
        issues.append(
            Issue(
                row.line,
                col.QUALIFICATIF,
                cells.get(col.QUALIFICATIF, ""),
                f"contredit la valeur, qui dit « {written} »",
            )
        )
    if row.nature == "niveau" and row.annee_reference is not None:
        issues.append(
            Issue(
                row.line,
                col.ANNEE_REFERENCE,
                str(row.annee_reference),
                "une année de référence ne va qu'avec une évolution : videz la cellule ou indiquez la nature",
            )
        )
    if row.annee_reference is not None and row.annee_reference >= row.annee:
        issues.append(
            Issue(
                row.line,
                col.ANNEE_REFERENCE,
                str(row.annee_reference),
                f"attendu une année antérieure à {row.annee}",
            )
        )
    if catalog.get(row.indicateur).retire:
        issues.append(
            Issue(
                row.line,
                col.INDICATEUR,
                row.indicateur,
                "indicateur retiré du catalogue : le chiffre est gardé mais n'apparaît sur aucune page",
                "avertissement",
            )
        )
    unit = catalog.get(row.indicateur).unite
    if (
        parse_french_number(cells.get(col.VALEUR, "")).percent
        and unit != "%"
        and row.nature != "evolution_pct"
    ):
        issues.append(
            Issue(
                row.line,
                col.VALEUR,
                cells.get(col.VALEUR, ""),
                "le signe % ne va pas avec cet indicateur, qui se compte en "
                f"{'nombre' if unit == 'nombre' else unit} : retirez le signe ou vérifiez l'indicateur",
            )
        )
    if row.nature == "niveau" and unit == "%" and not 0 <= row.valeur <= 100:
        issues.append(
            Issue(row.line, col.VALEUR, cells.get(col.VALEUR, ""), "un taux doit être entre 0 et 100")
        )
    if row.nature == "niveau" and unit != "%" and row.valeur < 0:
        issues.append(
            Issue(row.line, col.VALEUR, cells.get(col.VALEUR, ""), "un niveau ne peut être négatif")
        )
    return issues


def validate_table(table: RawTable, catalog: Catalog, referentiel: Referentiel) -> ValidationResult:
    """Check every row of a file against the catalog and the référentiel; collect every issue."""
    issues = _header_issues(table)
    if issues:
        return ValidationResult((), tuple(issues))
    issues.extend(Issue(line, name, "", FORMULA_WITHOUT_VALUE) for line, name in sorted(table.formulas))
    context = {"catalog": catalog, "referentiel": referentiel}
    rows: list[ObservationIn] = []
    first_line: dict[tuple[str, int, str, str, str, int], int] = {}
    matched: dict[str, tuple[int, str]] = {}
    for raw in table.rows:
        cells = {name: raw.cells.get(name, "") for name in col.IMPORT_COLUMNS}
        if (raw.line, col.VALEUR) in table.formulas:
            continue  # already an error: a formula saved without its value is not an unpublished figure
        if not cells[col.VALEUR].strip():
            # A figure that was not published has no row: a template row left blank is skipped, not zero.
            issues.append(
                Issue(
                    raw.line,
                    col.VALEUR,
                    "",
                    "ligne ignorée : valeur vide (chiffre non publié)",
                    "avertissement",
                )
            )
            continue
        try:
            row = ObservationIn.model_validate({**cells, "line": raw.line}, context=context)
        except ValidationError as err:
            for error in err.errors():
                name = str(error["loc"][0]) if error["loc"] else None
                if (raw.line, name) in table.formulas:
                    continue  # reported once, as a formula without its value
                # pydantic's own messages are English: only the French ones raised above reach a person.
                message = (
                    error["msg"]
                    if error["type"] == "format_saisie"
                    else "valeur illisible pour cette colonne"
                )
                issues.append(Issue(raw.line, name, cells.get(name or "", ""), message))
            continue
        written = parse_french_number(cells[col.VALEUR]).qualifier
        if written != "exact" and not cells[col.QUALIFICATIF].strip():
            row = row.model_copy(update={"qualificatif": written})
        if row.nature != "niveau" and row.annee_reference is None:
            row = row.model_copy(update={"annee_reference": row.annee - 1})
        row_issues = _cross_checks(row, cells, catalog, referentiel)
        key = observation_key(row)
        if key in first_line:
            row_issues.append(
                Issue(
                    raw.line,
                    col.INDICATEUR,
                    row.indicateur,
                    "même chiffre (caisse, année, indicateur, période, nature) "
                    f"déjà saisi ligne {first_line[key]}",
                )
            )
        else:
            first_line[key] = raw.line
        issues.extend(row_issues)
        if all(i.severity != "erreur" for i in row_issues):
            rows.append(row)
            written_name = cells[col.INDICATEUR].strip()
            if written_name.lower() != row.indicateur:
                matched.setdefault(written_name, (raw.line, row.indicateur))
    issues.extend(_name_matches(matched, catalog))
    return ValidationResult(tuple(rows), tuple(issues))


def _name_matches(matched: dict[str, tuple[int, str]], catalog: Catalog) -> list[Issue]:
    """One warning per name read as a code through a label or synonym: the person sees each mapping."""
    return [
        Issue(
            line,
            col.INDICATEUR,
            name,
            f"{NAME_MATCH} « {code} » ({catalog.get(code).libelle}) : vérifiez la correspondance",
            "avertissement",
        )
        for name, (line, code) in matched.items()
    ]


NAME_MATCH = "nom lu comme l'indicateur"


def name_mappings(issues: tuple[Issue, ...], catalog: Catalog) -> list[tuple[str, str]]:
    """The (name in the file, code) pairs a validation matched through labels or synonyms."""
    found = []
    for issue in issues:
        if issue.column == col.INDICATEUR and issue.message.startswith(NAME_MATCH):
            code = catalog.resolve(issue.value)
            if code is not None:
                found.append((issue.value, code))
    return found


def unknown_indicators(issues: tuple[Issue, ...]) -> list[str]:
    """The distinct indicator names a file uses that the catalog does not know, in file order."""
    names: list[str] = []
    for issue in issues:
        name = issue.value.strip()
        known = issue.column != col.INDICATEUR or not issue.message.startswith(UNKNOWN_INDICATOR)
        if not known and name and name not in names:
            names.append(name)
    return names


# A level that more than doubles or falls by more than half from one year to the next, or a rate that moves
# by more than 20 points, is probably a typing or unit slip (a count in thousands, a rate as a fraction):
# worth a warning, never a refusal, because real figures sometimes do jump.
FAR_RATIO = 2.0
FAR_RATE_POINTS = 20.0


def previous_year_key(row: ObservationIn) -> tuple[str, int, str, str, str, int]:
    """The key of the same level one year earlier (same caisse, indicator and period)."""
    return (row.caisse, row.annee - 1, row.indicateur, row.periode, "niveau", 0)


def _plain(value: float) -> str:
    return format_number(value)


def far_from_previous_year(row: ObservationIn, previous: float, unit: str) -> Issue | None:
    """A warning when a level is far from the previous year's level of the same figure, else None."""
    if row.nature != "niveau":
        return None
    if unit == "%":
        gap = row.valeur - previous
        if abs(gap) <= FAR_RATE_POINTS:
            return None
        change = f"{'+' if gap > 0 else '−'}{_plain(abs(gap))} points"
    else:
        if previous <= 0 or row.valeur <= 0:
            return None
        ratio = row.valeur / previous
        if 1 / FAR_RATIO < ratio < FAR_RATIO:
            return None
        change = f"{'+' if ratio > 1 else '−'}{_plain(abs(ratio - 1) * 100)} %"
    return Issue(
        row.line,
        col.VALEUR,
        _plain(row.valeur),
        f"valeur très éloignée de celle de {row.annee - 1} ({_plain(previous)}, soit {change}) : "
        "vérifiez la saisie et l'unité",
        "avertissement",
    )
