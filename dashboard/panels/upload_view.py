"""What the import page shows: the validation report and the preview of changes.

Every text that comes from a file (values, sources, file names) is passed to Dash as a plain string, which
React renders as text: markup in a cell shows as characters, it is never interpreted.
"""

from __future__ import annotations

import math
from typing import Any

from dash import State, html

from dashboard import ids
from dashboard.components.figure_card import value_text
from dashboard.data.catalog import Catalog
from dashboard.data.importer import Change, ImportReport
from dashboard.data.validation import Issue
from dashboard.formatting import format_nature, format_number, format_periode

MAX_ISSUES_SHOWN = 200
MAX_CHANGES_SHOWN = 300
# The file in the drop zone as the callbacks that act on it read it (confirm, catalog template): its base64
# contents and its name.
DROPPED_FILE = (State(ids.UPLOAD, "contents"), State(ids.UPLOAD, "filename"))


def alert(text: str, kind: str = "info") -> html.Div:
    """A Bootstrap alert read out by screen readers."""
    return html.Div(text, className=f"alert alert-{kind}", role="alert" if kind == "danger" else "status")


def table(headers: list[str], rows: list[list[Any]], caption: str) -> html.Table:
    """A small captioned table of plain-text cells (file contents stay text)."""
    return html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
            html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
        ],
        className="table table-sm table-striped upload-table",
    )


def _more(total: int, shown: int, what: str) -> list[Any]:
    return [html.P(f"… et {format_number(total - shown)} {what} de plus.")] if total > shown else []


def issues_table(issues: tuple[Issue, ...], caption: str) -> list[Any]:
    """Every issue with its line, column, the value found and what was expected."""
    rows = [
        [
            "—" if i.line is None else str(i.line),
            i.column or "—",
            i.value[:80] if i.value else "—",
            i.message,
        ]
        for i in issues[:MAX_ISSUES_SHOWN]
    ]
    return [
        table(["Ligne", "Colonne", "Valeur lue", "Problème et valeur attendue"], rows, caption),
        *_more(len(issues), len(rows), "signalement(s)"),
    ]


def _value(values: dict[str, Any] | None, unit: str, nature: str) -> str:
    if values is None:
        return "—"
    valeur = float(values["valeur"])
    shown_unit = "%" if nature == "evolution_pct" else unit
    if math.isnan(valeur):
        return "—"
    return value_text(valeur, shown_unit, str(values["qualificatif"]), nature, unit)


def changes_table(changes: tuple[Change, ...], catalog: Catalog, names: dict[str, str]) -> list[Any]:
    """The figures the import adds or changes: before and after, with the new source."""
    rows = []
    for change in changes[:MAX_CHANGES_SHOWN]:
        caisse, annee, code, periode, nature, reference = change.key
        indicator = catalog.get(code)
        nature_text = format_nature(nature) + (f" depuis {reference}" if reference else "")
        rows.append(
            [
                "nouveau" if change.before is None else "modifié",
                names.get(caisse, caisse),
                str(annee),
                indicator.libelle,
                f"{format_periode(periode)}, {nature_text}",
                _value(change.before, indicator.unite, nature),
                _value(change.after, indicator.unite, nature),
                str(change.after["source"]),
            ]
        )
    headers = ["Changement", "Caisse", "Année", "Indicateur", "Période, nature", "Avant", "Après", "Source"]
    return [
        table(headers, rows, "Chiffres ajoutés ou modifiés par ce fichier"),
        *_more(len(changes), len(rows), "chiffre(s)"),
    ]


def report_view(report: ImportReport, catalog: Catalog, names: dict[str, str]) -> list[Any]:
    """The validation report and, for a valid file, the preview of what confirming would write."""
    name = report.fichier
    if report.status == "refuse":
        parts: list[Any] = [
            alert(
                f"« {name} » est refusé : {format_number(len(report.errors))} erreur(s). "
                "Rien n'a été écrit ; "
                "corrigez le fichier puis déposez-le à nouveau.",
                "danger",
            ),
            *issues_table(report.errors, "Erreurs à corriger"),
        ]
        if report.warnings:
            parts += issues_table(report.warnings, "Avertissements")
        return parts
    changed = len(report.nouvelles) + len(report.modifiees)
    summary = (
        f"Aperçu de « {name} » : {format_number(report.lignes)} ligne(s) valides — "
        f"{format_number(len(report.nouvelles))} chiffre(s) nouveau(x), "
        f"{format_number(len(report.modifiees))} modifié(s), {format_number(len(report.inchangees))} "
        "inchangé(s). "
        "Rien n'est encore écrit : vérifiez, puis confirmez."
    )
    parts = [alert(summary, "info" if changed else "secondary")]
    already = report.details.get("deja_importe")
    if already is not None:
        parts.append(alert(f"Ce fichier a déjà été importé à l'identique (import n° {already}).", "warning"))
    elif not changed:
        parts.append(alert("Rien à importer : toutes ces valeurs sont déjà dans la base.", "secondary"))
    if report.warnings:
        parts += issues_table(report.warnings, "Avertissements (ils n'empêchent pas l'import)")
    if report.changes:
        parts += changes_table(report.changes, catalog, names)
    return parts


def can_confirm(report: ImportReport) -> bool:
    """A preview without error, with something to write, of a file not already imported."""
    return (
        report.status == "apercu"
        and bool(report.nouvelles or report.modifiees)
        and report.details.get("deja_importe") is None
    )
