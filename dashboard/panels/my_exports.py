"""« Mes exports »: the files this browser tab asked for, with their state, download link and expiry.

The list lives in the tab's session storage (a ``dcc.Store``), so a file being prepared survives leaving
the Comité page and coming back; the files themselves live on the server (``export.jobs``). The stored list
is untrusted input like any callback value: ids are checked by the job runner, kinds against ``KINDS``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from dash import Dash, Input, Output, dcc, html

from dashboard.components import html_attrs
from dashboard.export.jobs import Jobs
from dashboard.export.services import export_services
from dashboard.formatting import format_datetime, format_number
from dashboard.ids import EXPORTS, EXPORTS_LIST, EXPORTS_POLL

MAX_LISTED: Final = 20
POLL_MS: Final = 1500
_TEXT_LIMIT: Final = 200


def build_my_exports() -> html.Section:
    """The « Mes exports » section: the list, the session store behind it, its poll."""
    return html.Section(
        [
            html.H2("Mes exports", className="section-title"),
            html.P(
                "Les fichiers demandés depuis cet onglet, même si vous avez quitté la page entre-temps. "
                "Chaque fichier reste téléchargeable deux heures.",
                className="text-muted",
            ),
            html.Div(id=EXPORTS_LIST, className="committee-exports", **html_attrs(aria_live="polite")),
            dcc.Store(id=EXPORTS, storage_type="session", data=[]),
            dcc.Interval(id=EXPORTS_POLL, interval=POLL_MS, n_intervals=0, disabled=True),
        ],
        className="committee-my-exports",
    )


def _entries(mine: Any) -> list[dict[str, str]]:
    """The valid entries of the stored list (strings only, bounded), newest first."""
    if not isinstance(mine, list):
        return []
    keep = []
    for entry in mine[:MAX_LISTED]:
        if isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("id", "label", "started")):
            keep.append(
                {k: str(entry.get(k, ""))[:_TEXT_LIMIT] for k in ("id", "label", "selection", "started")}
            )
    return keep


def add_export(mine: Any, job: dict[str, Any], label: str, selection: str) -> list[dict[str, str]]:
    """The list with a newly started job first (at most ``MAX_LISTED``)."""
    entry = {
        "id": str(job["id"]),
        "label": label,
        "selection": selection,
        "started": datetime.now().isoformat(),
    }
    return [entry, *_entries(mine)][:MAX_LISTED]


def _started(text: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(text))
    except ValueError:
        return ""


def _row(entry: dict[str, str], jobs: Jobs) -> tuple[html.Tr, bool]:
    """One file's row, and whether it is still being prepared."""
    status = jobs.status(entry["id"])
    expires = jobs.expires(entry["id"])
    link: Any = ""
    running = False
    if status is None:
        state = "Expiré : relancez-le."
    elif status.state == "terminé":
        state = "Prêt"
        link = html.A(
            "Télécharger",
            href=f"/export/dossier/{entry['id']}",
            download="",
            className="btn btn-sm btn-success",
        )
    elif status.state == "échec":
        state = f"Échec : {status.message}"
    else:
        running = True
        done = f" — {format_number(status.done)} sur {format_number(status.total)}" if status.total else ""
        state = f"En préparation{done}"
    until = format_datetime(datetime.fromtimestamp(expires)) if expires is not None and status else "—"
    cells = [entry["label"], entry.get("selection", ""), _started(entry["started"]), state, until]
    return html.Tr([*(html.Td(c) for c in cells), html.Td(link)]), running


def register_my_exports(app: Dash) -> None:
    """The list follows the stored jobs, and polls while one is being prepared."""

    @app.callback(
        Output(EXPORTS_LIST, "children"),
        Output(EXPORTS_POLL, "disabled"),
        Input(EXPORTS, "data"),
        Input(EXPORTS_POLL, "n_intervals"),
    )
    def update_committee_my_exports(mine: Any, _tick: Any) -> tuple[Any, bool]:
        entries = _entries(mine)
        if not entries:
            return html.P("Aucun export demandé depuis cet onglet.", className="text-muted"), True
        jobs = export_services(app.server).jobs
        rows = [_row(entry, jobs) for entry in entries]
        head = html.Thead(
            html.Tr(
                [
                    html.Th(h, scope="col")
                    for h in ("Fichier", "Sélection", "Demandé le", "État", "Disponible jusqu'au", "")
                ]
            )
        )
        table = html.Table([head, html.Tbody([r for r, _ in rows])], className="table table-sm")
        return table, not any(running for _, running in rows)
