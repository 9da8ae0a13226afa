"""The import page's catalog side: catalog changes, names read as codes, history, undo, downloads.

A catalog file or a workbook's « indicateurs » sheet shows what it would change; each name a figure file
uses for a code is listed.

Like the figures, nothing is written before the confirmation, every write and undo checks the editor role on
the server, and every text that comes from a file is handed to Dash as plain text.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.dash_table.DataTable import DataTable
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.data.catalog import Indicator
from dashboard.data.catalog_file import catalog_csv, catalog_workbook
from dashboard.data.catalog_import import COLUMN_TITLES, CatalogPlan, IndicatorChange
from dashboard.data.catalog_store import CatalogReport, catalog_history, undo_catalog_import
from dashboard.data.store import StoreError
from dashboard.data.validation import name_mappings, unknown_indicators
from dashboard.data.workbook import UploadReport
from dashboard.formatting import format_datetime
from dashboard.panels.common import ready_id
from dashboard.panels.upload_view import alert, can_confirm, issues_table, report_view
from dashboard.security.auth import current_user, require_editor
from dashboard.theme import TABLE_CELL_STYLE, TABLE_HEADER_STYLE

MAX_SHOWN = 300
# The column titles a person reads in the catalog file, as names of the fields a change touches.
FIELD_LABELS = {k: v for k, v in COLUMN_TITLES.items() if k not in ("code", "statut")} | {
    "definition_source": "source de la définition",
    "retire": "retiré",
}
CATALOG_HISTORY_COLUMNS = [
    {"name": "N°", "id": "id"},
    {"name": "Date", "id": "importe_le"},
    {"name": "Par", "id": "auteur"},
    {"name": "Fichier", "id": "fichier"},
    {"name": "Effet", "id": "effet"},
    {"name": "État", "id": "etat"},
]


def _table(headers: list[str], rows: list[list[str]], caption: str) -> html.Table:
    return html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
            html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
        ],
        className="table table-sm table-striped upload-table",
    )


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
        parts.append(_table(headers, rows, "Indicateurs ajoutés, modifiés ou supprimés"))
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
        _table(
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
        DataTable(
            id=ids.CATALOG_HISTORY,
            columns=CATALOG_HISTORY_COLUMNS,  # type: ignore[arg-type]  # dash_table's annotations are too narrow
            data=[],
            page_size=10,
            style_table={"overflowX": "auto"},
            style_cell=TABLE_CELL_STYLE,
            style_header=TABLE_HEADER_STYLE,
        ),
        html.P(
            "Annuler la dernière modification du catalogue rétablit exactement le catalogue précédent ; elle "
            "est refusée si des chiffres ont été importés depuis pour un indicateur qu'elle retirerait."
        ),
        html.Label(
            "Modification du catalogue à annuler", htmlFor=ids.CATALOG_UNDO_SELECT, className="form-label"
        ),
        # A native select: dcc.Dropdown leaves a focusable hidden input that screen readers cannot name.
        dbc.Select(
            id=ids.CATALOG_UNDO_SELECT,
            options=[],
            placeholder="Choisir une modification…",
            class_name="undo-select",
        ),
        dcc.ConfirmDialogProvider(
            html.Button(
                "Annuler cette modification du catalogue",
                id=ids.CATALOG_UNDO_BUTTON,
                className="btn btn-outline-danger mt-2",
            ),
            id=ids.CATALOG_UNDO_CONFIRM,
            message="Annuler cette modification ? Le catalogue précédent sera rétabli.",
        ),
        html.Div(id=ids.CATALOG_UNDO_RESULT, className="mt-3"),
    ]


def catalog_history_rows(repo: CachedRepository) -> list[dict[str, Any]]:
    """Rows of the catalog history table."""
    rows = []
    for record in catalog_history(repo.repository.store, limit=50).to_dict("records"):
        undone = record["annule_par"] is not None and isinstance(record["annule_par"], str)
        rows.append(
            {
                "id": int(record["id"]),
                "importe_le": format_datetime(record["importe_le"]),
                "auteur": str(record["auteur"]),
                "fichier": str(record["fichier"]),
                "effet": f"{record['nouveaux']} nouv., {record['modifies']} modif., "
                f"{record['supprimes']} suppr.",
                "etat": f"annulé par {record['annule_par']}" if undone else "en vigueur",
            }
        )
    return rows


def register_catalog_callbacks(app: Dash, repo: CachedRepository, read_upload: Any) -> None:
    """History, undo and downloads of the catalog; ``read_upload`` previews the dropped file (or None)."""
    store = repo.repository.store

    @app.callback(
        Output(ids.CATALOG_HISTORY, "data"),
        Output(ids.CATALOG_UNDO_SELECT, "options"),
        Input(ready_id("upload"), "data"),
        Input(ids.UPLOAD_RESULT, "children"),
        Input(ids.CATALOG_UNDO_RESULT, "children"),
    )
    def update_catalog_history(_ready: Any, _imported: Any, _undone: Any) -> tuple[Any, Any]:
        if not current_user().can_edit:
            raise PreventUpdate  # viewers see no history (names of editors, file names)
        rows = catalog_history_rows(repo)
        options = [
            {"label": f"n° {r['id']} — {r['fichier']} — {r['importe_le']} — {r['auteur']}", "value": r["id"]}
            for r in rows
            if r["etat"] == "en vigueur"
        ]
        return rows, options

    @app.callback(
        Output(ids.CATALOG_UNDO_RESULT, "children"),
        Input(ids.CATALOG_UNDO_CONFIRM, "submit_n_clicks"),
        State(ids.CATALOG_UNDO_SELECT, "value"),
        prevent_initial_call=True,
    )
    def update_catalog_undo(clicks: Any, chosen: Any) -> Any:
        user = require_editor()
        if not isinstance(clicks, int) or isinstance(clicks, bool) or clicks < 1:
            raise PreventUpdate
        # A native select sends its value as text.
        change_id = (
            int(chosen) if isinstance(chosen, str) and chosen.isascii() and chosen.isdigit() else chosen
        )
        if not isinstance(change_id, int) or isinstance(change_id, bool) or not 0 < change_id < 2**31:
            return alert("Choisissez d'abord une modification dans la liste.", "warning")
        try:
            report = undo_catalog_import(store, change_id, auteur=user.label)
        except StoreError as err:
            return alert(str(err), "danger")
        return alert(report.message, "success" if report.status == "annule" else "warning")

    @app.callback(
        Output(ids.CATALOG_DOWNLOAD, "data"),
        Input(ids.CATALOG_EXPORT, "n_clicks"),
        Input(ids.CATALOG_TEMPLATE, "n_clicks"),
        State(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
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
