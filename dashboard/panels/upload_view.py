"""What the import page shows: the validation report, the preview of changes, the history of imports.

Every text that comes from a file (values, sources, file names) is passed to Dash as a plain string, which
React renders as text: markup in a cell shows as characters, it is never interpreted.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pandas as pd
from dash import html

from dashboard.components.figure_card import value_text
from dashboard.data.catalog import Catalog
from dashboard.data.importer import Change, ImportReport
from dashboard.data.validation import Issue
from dashboard.formatting import format_datetime, format_nature, format_number, format_periode

MAX_ISSUES_SHOWN = 200
MAX_CHANGES_SHOWN = 300


def alert(text: str, kind: str = "info") -> html.Div:
    """A Bootstrap alert read out by screen readers."""
    return html.Div(text, className=f"alert alert-{kind}", role="alert" if kind == "danger" else "status")


def _table(headers: list[str], rows: list[list[Any]], caption: str) -> html.Table:
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
        _table(["Ligne", "Colonne", "Valeur lue", "Problème et valeur attendue"], rows, caption),
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
        _table(headers, rows, "Chiffres ajoutés ou modifiés par ce fichier"),
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


def _moment(value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value)
    return "" if value is None or pd.isna(value) else str(value)


def history_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of the history table: who, when, which file, its SHA-256, how many rows, undone or not."""
    rows = []
    for record in frame.to_dict("records"):
        undone = record["annule_le"] is not None and not pd.isna(record["annule_le"])
        rows.append(
            {
                "id": int(record["id"]),
                "importe_le": _moment(record["importe_le"]),
                "auteur": str(record["auteur"]),
                "fichier": str(record["fichier"]),
                "sha256": str(record["sha256"]),
                "lignes": int(record["lignes"]),
                "effet": f"{record['nouvelles']} nouv., {record['modifiees']} modif., "
                f"{record['inchangees']} inch.",
                "etat": f"annulé le {_moment(record['annule_le'])} par {record['annule_par']}"
                if undone
                else "en vigueur",
            }
        )
    return rows


HISTORY_COLUMNS = [
    {"name": "N°", "id": "id"},
    {"name": "Date", "id": "importe_le"},
    {"name": "Par", "id": "auteur"},
    {"name": "Fichier", "id": "fichier"},
    {"name": "SHA-256", "id": "sha256"},
    {"name": "Lignes", "id": "lignes"},
    {"name": "Effet", "id": "effet"},
    {"name": "État", "id": "etat"},
]


def undo_options(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The imports that can still be undone, for the dropdown."""
    return [
        {"label": f"n° {r['id']} — {r['fichier']} — {r['importe_le']} — {r['auteur']}", "value": r["id"]}
        for r in rows
        if r["etat"] == "en vigueur"
    ]
