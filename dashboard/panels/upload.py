"""Importer: an editor drops a CSV or XLSX, reads the validation report and the preview, then confirms.

The page and the command line share one code path (``data.importer.import_bytes``). Every callback that
reads or writes imports checks the editor role on the server first (``require_editor``): hiding the
controls from viewers is only a convenience, a forged request by a viewer is answered 403 and writes
nothing. The file travels in the browser (``dcc.Upload`` keeps it) between the preview and the
confirmation, so any worker can serve either step; the confirmation re-validates everything and checks the
file is the one previewed (same SHA-256).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import has_request_context

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.data.history import import_history, undo_import
from dashboard.data.importer import sha256_of
from dashboard.data.store import StoreError
from dashboard.data.workbook import UploadReport, import_upload
from dashboard.formatting import format_number
from dashboard.panels.common import caisse_names, page_header
from dashboard.panels.page import PanelPage
from dashboard.panels.undo import FIGURES, import_rows, is_click
from dashboard.panels.upload_catalog import (
    can_confirm_upload,
    catalog_section,
    register_catalog_callbacks,
    upload_view,
)
from dashboard.panels.upload_view import DROPPED_FILE, alert
from dashboard.security.auth import ROLE_LABELS, csrf_token, current_user, require_editor, security_context

PAGE = PanelPage(key="upload", path="/import", title="Importer", order=30)
UNEXPECTED = (
    "Ce fichier n'a pas pu être vérifié à cause d'une erreur inattendue ; rien n'a été écrit. Le détail est "
    "dans le journal du serveur : signalez-le à l'administrateur avec le nom du fichier."
)
logger = logging.getLogger(__name__)

_DATA_URL = re.compile(r"^data:[\w.+\-/]{0,100}(;[\w.+\-=]{0,60})*;base64,")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadError(ValueError):
    """The uploaded payload is not a file we can read; the message is French."""


@dataclass(frozen=True, slots=True)
class Upload:
    """A decoded upload: its bare file name and its bytes."""

    filename: str
    data: bytes


def decode_upload(contents: Any, filename: Any, max_bytes: int) -> Upload:
    """Decode ``dcc.Upload``'s data URL and file name; UploadError for anything else."""
    if not isinstance(filename, str) or not 0 < len(filename) <= 255 or _CONTROL.search(filename):
        raise UploadError("Nom de fichier absent ou invalide.")
    name = PureWindowsPath(PurePosixPath(filename).name).name
    if not isinstance(contents, str) or not (match := _DATA_URL.match(contents)):
        raise UploadError("Contenu de fichier invalide : déposez un fichier CSV ou XLSX.")
    payload = contents[match.end() :]
    if len(payload) > max_bytes * 4 // 3 + 8:
        raise UploadError(f"Le fichier dépasse la limite de {format_number(max_bytes / 1_048_576)} Mio.")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise UploadError("Contenu de fichier illisible (encodage base64 invalide).") from None
    return Upload(name, data)


def _account_status() -> Component:
    user = current_user()
    if user.via == "entete":
        who = f"Connecté par l'authentification unique : {user.name} ({ROLE_LABELS[user.role]})."
        extra = "" if user.can_edit else " Demandez le rôle éditeur à l'administrateur pour importer."
        return html.P(who + extra, className="account-status")
    if user.name is None:
        return html.P(
            [
                "Consulter ne demande pas de compte ; importer des chiffres demande un compte éditeur. ",
                html.A("Se connecter", href="/connexion?suivant=/import", className="btn btn-primary btn-sm"),
            ],
            className="account-status",
        )
    return html.Form(
        [
            html.Span(f"Connecté : {user.name} ({ROLE_LABELS[user.role]}). "),
            dcc.Input(type="hidden", name="csrf", value=csrf_token()),
            html.Button("Se déconnecter", type="submit", className="btn btn-outline-secondary btn-sm"),
        ],
        action="/deconnexion",
        method="post",
        className="account-status",
    )


def _upload_limit() -> int | None:
    """The largest file accepted, for the browser's own check (None while the app is being built)."""
    return security_context().settings.max_upload_bytes if has_request_context() else None


def _editor_section() -> list[Component]:
    return [
        html.H2("1. Déposer un fichier", className="section-title"),
        html.P(
            "Un fichier CSV (séparateur ; ou ,) ou XLSX au modèle de saisie, 5 Mio au plus, ou un fichier de "
            "catalogue des indicateurs. "
            "Rien n'est écrit avant votre confirmation ; un fichier qui contient une erreur n'écrit rien."
        ),
        dcc.Upload(
            html.Div(["Glissez-déposez le fichier ici, ou ", html.U("choisissez-le sur l'ordinateur")]),
            id=ids.UPLOAD,
            # No `accept` filter: a dropped file it refuses (.xlsm, no extension) would vanish without a
            # word. Every file is sent, and the server says in French why it cannot read it.
            multiple=False,
            className="upload-zone",
        ),
        html.H2("2. Vérifier", className="section-title"),
        dcc.Loading(html.Div(id=ids.UPLOAD_REPORT, className="upload-report")),
        html.H2("3. Confirmer", className="section-title"),
        html.Button("Confirmer l'import", id=ids.UPLOAD_CONFIRM, disabled=True, className="btn btn-primary"),
        dcc.Store(id=ids.UPLOAD_SHA),
        dcc.Store(id=ids.UPLOAD_LIMIT, data=_upload_limit()),
        dcc.Loading(html.Div(id=ids.UPLOAD_RESULT, className="upload-result mt-3")),
        html.H2("Historique des imports", className="section-title"),
        FIGURES.history_table(page_size=15, extra={"sha256": "SHA-256", "lignes": "Lignes"}),
        html.H3("Annuler un import", className="section-title"),
        html.P(
            "Annuler un import retire les chiffres qu'il a ajoutés et rétablit exactement les valeurs qu'il "
            "a remplacées. Un import modifié depuis par un import plus récent s'annule après celui-ci."
        ),
        *FIGURES.controls(),
        *catalog_section(),
    ]


def layout(repo: CachedRepository, path: str) -> Component:
    """The page; the editor's controls are hidden from viewers (and refused to them on the server)."""
    editor = current_user().can_edit
    return html.Div(
        [
            page_header(
                PAGE.key,
                "Importer des chiffres",
                "Ajouter les chiffres publiés d'une nouvelle année, ou corriger des chiffres déjà saisis. "
                "Le format est celui du modèle de saisie (python -m dashboard template --caisse …).",
                subtitle=False,
            ),
            _account_status(),
            html.Div(_editor_section(), hidden=not editor, className="editor-section"),
        ]
    )


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """Preview, confirm, history and undo; each checks the editor role before anything else."""
    store = repo.repository.store

    def run_import(contents: Any, filename: Any, *, auteur: str, dry_run: bool) -> Any:
        limit = security_context().settings.max_upload_bytes
        upload = decode_upload(contents, filename, limit)
        return upload, import_upload(
            store,
            upload.data,
            upload.filename,
            current=repo.catalog,
            referentiel=repo.referentiel,
            auteur=auteur,
            max_bytes=limit,
            dry_run=dry_run,
        )

    def read_upload(contents: Any, filename: Any) -> UploadReport | None:
        try:
            return run_import(contents, filename, auteur="", dry_run=True)[1]
        except (UploadError, StoreError):
            return None

    register_catalog_callbacks(app, repo, read_upload)

    @app.callback(
        Output(ids.UPLOAD_REPORT, "children"),
        Output(ids.UPLOAD_CONFIRM, "disabled"),
        Output(ids.UPLOAD_SHA, "data"),
        Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    def update_upload_preview(contents: Any, filename: Any) -> tuple[Any, ...]:
        user = require_editor()
        if contents is None:  # cleared after an import: keep the import's message
            return None, True, None, no_update
        try:
            _, report = run_import(contents, filename, auteur=user.label, dry_run=True)
        except (UploadError, StoreError) as err:
            return alert(str(err), "danger"), True, None, None
        except Exception:  # whatever went wrong, the previous file's report and confirmation must go
            logger.exception("aperçu d'import impossible")
            return alert(UNEXPECTED, "danger"), True, None, None
        confirm = can_confirm_upload(report)
        view = upload_view(report, caisse_names(repo))
        return view, not confirm, report.sha256 if confirm else None, None

    # In the browser, at once: a new file clears the previous report and disables the confirmation.
    app.clientside_callback(
        ClientsideFunction(namespace="cpamUpload", function_name="reset"),
        Output(ids.UPLOAD_REPORT, "children", allow_duplicate=True),
        Output(ids.UPLOAD_CONFIRM, "disabled", allow_duplicate=True),
        Output(ids.UPLOAD_SHA, "data", allow_duplicate=True),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        State(ids.UPLOAD_LIMIT, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.UPLOAD_RESULT, "children"),
        Output(ids.UPLOAD, "contents"),
        Input(ids.UPLOAD_CONFIRM, "n_clicks"),
        *DROPPED_FILE,
        State(ids.UPLOAD_SHA, "data"),
        prevent_initial_call=True,
    )
    def update_import_confirm(clicks: Any, contents: Any, filename: Any, previewed: Any) -> tuple[Any, Any]:
        user = require_editor()
        if not is_click(clicks):
            raise PreventUpdate
        try:
            upload = decode_upload(contents, filename, security_context().settings.max_upload_bytes)
            if not isinstance(previewed, str) or sha256_of(upload.data) != previewed:
                return alert(
                    "Le fichier n'est pas celui de l'aperçu : déposez-le à nouveau.", "warning"
                ), None
            _, report = run_import(contents, filename, auteur=user.label, dry_run=False)
        except (UploadError, StoreError) as err:
            return alert(str(err), "danger"), no_update
        except Exception:  # one transaction: nothing was written; say so in French
            logger.exception("import impossible")
            return alert(UNEXPECTED, "danger"), no_update
        statuses = {r.status for r in (report.figures, report.catalog) if r is not None}
        kind = "danger" if report.refused else "success" if "importe" in statuses else "secondary"
        return alert(report.summary(), kind), None

    @app.callback(*FIGURES.history_io())
    def update_import_history(_ready: Any, _imported: Any, _undone: Any) -> tuple[Any, Any]:
        return FIGURES.history(lambda: import_rows(import_history(store, limit=50)))

    @app.callback(*FIGURES.undo_io(), prevent_initial_call=True)
    def update_undo(clicks: Any, import_id: Any) -> Any:
        return FIGURES.undo(
            clicks, import_id, lambda chosen, auteur: undo_import(store, chosen, auteur=auteur)
        )
