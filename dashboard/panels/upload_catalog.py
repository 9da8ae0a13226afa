"""The import page's catalog side: catalog changes, names read as codes, downloads.

A catalog file or a workbook's « indicateurs » sheet shows what it would change; each name a figure file
uses for a code is listed.

Like the figures, nothing is written before the confirmation, every write and undo checks the editor role on
the server, and every text that comes from a file is handed to Dash as plain text.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, ctx, dcc, html
from dash.development.base_component import Component

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.data.catalog import Indicator
from dashboard.data.catalog_file import catalog_csv, catalog_workbook
from dashboard.data.catalog_import import COLUMN_TITLES, CatalogPlan, IndicatorChange
from dashboard.data.catalog_store import CatalogReport, catalog_history, undo_catalog_import
from dashboard.data.validation import name_mappings, unknown_indicators
from dashboard.data.workbook import UploadReport
from dashboard.panels.undo import CATALOG, catalog_rows
from dashboard.panels.upload_view import DROPPED_FILE, alert, can_confirm, issues_table, report_view, table
from dashboard.security.auth import require_editor

MAX_SHOWN = 300
# The column titles a person reads in the catalog file, as names of the fields a change touches.
FIELD_LABELS = {k: v for k, v in COLUMN_TITLES.items() if k not in ("code", "statut")} | {
    "definition_source": "source de la définition",
    "retire": "retiré",
}


def _describe(ind: Indicator | None) -> str:
    if ind is None:
        return "—"
    summable = "sommable" if ind.sommable else "non sommable"
    retired = ", retiré" if ind.retire else ""
    return f"{ind.libelle} ({ind.theme}, {ind.unite}, {summable}{retired})"


def _change_row(change: IndicatorChange) -> list[str]:
    if change.before is None:
        kind, what = "nouveau", "—"
    elif change.after is None:
        kind, what = "supprimé", "—"
    else:
        kind = "retiré" if change.after.retire and not change.before.retire else "modifié"
        what = ", ".join(FIELD_LABELS.get(f, f) for f in change.changed_fields)
    return [kind, change.code, _describe(change.before), _describe(change.after), what]


def catalog_plan_view(plan: CatalogPlan, title: str) -> list[Any]:
    """The catalog changes a file would make: new, changed (which fields), deleted; unchanged counted."""
    summary = (
        f"{title} : {len(plan.new)} indicateur(s) nouveau(x), {len(plan.changed)} modifié(s), "
        f"{len(plan.unchanged)} inchangé(s), {len(plan.deleted)} supprimé(s)."
    )
    parts: list[Any] = [alert(summary, "info" if plan.changes else "secondary")]
    if plan.changes:
        rows = [_change_row(c) for c in plan.changes[:MAX_SHOWN]]
        headers = ["Changement", "Code", "Avant", "Après", "Champs modifiés"]
        parts.append(table(headers, rows, "Indicateurs ajoutés, modifiés ou supprimés"))
    return parts


def _catalog_refusal(report: CatalogReport) -> list[Any]:
    return [
        alert(
            f"« {report.fichier} » est refusé : {len(report.errors)} erreur(s) dans les indicateurs. "
            "Rien n'a été écrit ; corrigez le fichier puis déposez-le à nouveau.",
            "danger",
        ),
        *issues_table(report.errors, "Erreurs à corriger dans les indicateurs"),
    ]


def _mappings_view(report: UploadReport) -> list[Any]:
    if report.figures is None:
        return []
    pairs = name_mappings(report.figures.issues, report.catalog_used)
    if not pairs:
        return []
    rows = [[name, code, report.catalog_used.get(code).libelle] for name, code in pairs]
    return [
        table(
            ["Nom dans le fichier", "Code retenu", "Libellé de l'indicateur"],
            rows,
            "Noms lus comme des codes du catalogue (par leur libellé ou leurs synonymes) : vérifiez-les",
        )
    ]


def _unknown_view(report: UploadReport) -> list[Any]:
    names = unknown_indicators(report.figures.issues) if report.figures is not None else []
    if not names:
        return []
    return [
        alert(
            f"{len(names)} indicateur(s) inconnu(s) du catalogue : {', '.join(names[:20])}. "
            "Définissez-les dans une feuille « indicateurs » de ce classeur (même import), ou importez "
            "d'abord un catalogue : le bouton « Modèle de catalogue pré-rempli » ci-dessous prépare "
            "une ligne par indicateur inconnu.",
            "warning",
        )
    ]


def upload_view(report: UploadReport, names: dict[str, str]) -> list[Any]:
    """Everything the page shows after a drop: catalog changes, name mappings, figures report and preview."""
    parts: list[Any] = []
    if report.catalog is not None:
        if report.catalog.status == "refuse" and report.catalog.errors:
            return _catalog_refusal(report.catalog)
        title = "Catalogue" if report.kind == "catalogue" else "Feuille « indicateurs » du classeur"
        parts += catalog_plan_view(report.catalog.plan, title)
        if report.kind == "catalogue":
            return [*parts, html.P("Rien n'est encore écrit : vérifiez, puis confirmez.")]
    parts += _mappings_view(report)
    if report.figures is not None:
        parts += _unknown_view(report)
        parts += report_view(report.figures, report.catalog_used, names)
    return parts


def can_confirm_upload(report: UploadReport) -> bool:
    """A preview without error and with something to write."""
    if report.refused:
        return False
    catalog_changes = report.catalog is not None and bool(report.catalog.plan.changes)
    if report.kind == "catalogue":
        return catalog_changes
    return report.figures is not None and (can_confirm(report.figures) or catalog_changes)


def catalog_section() -> list[Component]:
    """The catalog part of the editor's section: history, undo, export and template."""
    return [
        html.H2("Catalogue des indicateurs", className="section-title"),
        html.P(dcc.Link("Consulter le catalogue des indicateurs", href="/indicateurs")),
        html.P(
            "Déposez ci-dessus un fichier de catalogue (une ligne par indicateur : code, libellé, "
            "définition, thème, unité, sommable, sens, graphique…) pour ajouter ou modifier des "
            "indicateurs ; il suit le même chemin que les chiffres : rapport, aperçu, confirmation, "
            "annulation."
        ),
        html.Div(
            [
                html.Button(
                    "Exporter le catalogue (CSV)",
                    id=ids.CATALOG_EXPORT,
                    className="btn btn-outline-primary me-2",
                ),
                html.Button(
                    "Modèle de catalogue pré-rempli (XLSX)",
                    id=ids.CATALOG_TEMPLATE,
                    className="btn btn-outline-primary",
                ),
                dcc.Download(id=ids.CATALOG_DOWNLOAD),
            ],
            className="mb-3",
        ),
        html.H3("Historique du catalogue", className="section-title"),
        CATALOG.history_table(page_size=10),
        html.P(
            "Annuler la dernière modification du catalogue rétablit exactement le catalogue précédent ; elle "
            "est refusée si des chiffres ont été importés depuis pour un indicateur qu'elle retirerait."
        ),
        *CATALOG.controls(),
    ]


def register_catalog_callbacks(app: Dash, repo: CachedRepository, read_upload: Any) -> None:
    """History, undo and downloads of the catalog; ``read_upload`` previews the dropped file (or None)."""
    store = repo.repository.store

    @app.callback(*CATALOG.history_io())
    def update_catalog_history(_ready: Any, _imported: Any, _undone: Any) -> tuple[Any, Any]:
        return CATALOG.history(lambda: catalog_rows(catalog_history(store, limit=50)))

    @app.callback(*CATALOG.undo_io(), prevent_initial_call=True)
    def update_catalog_undo(clicks: Any, chosen: Any) -> Any:
        return CATALOG.undo(
            clicks, chosen, lambda change, auteur: undo_catalog_import(store, change, auteur=auteur)
        )

    @app.callback(
        Output(ids.CATALOG_DOWNLOAD, "data"),
        Input(ids.CATALOG_EXPORT, "n_clicks"),
        Input(ids.CATALOG_TEMPLATE, "n_clicks"),
        *DROPPED_FILE,
        prevent_initial_call=True,
    )
    def update_catalog_download(export: Any, template: Any, contents: Any, filename: Any) -> Any:
        require_editor()
        if ctx.triggered_id == ids.CATALOG_EXPORT:
            return dcc.send_bytes(catalog_csv(repo.catalog), "catalogue-indicateurs.csv")
        names: list[str] = []
        report = read_upload(contents, filename) if contents else None
        if isinstance(report, UploadReport) and report.figures is not None:
            names = unknown_indicators(report.figures.issues)
        return dcc.send_bytes(catalog_workbook(repo.catalog, names=names), "modele-catalogue.xlsx")
