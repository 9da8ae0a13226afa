"""The import page's two histories, figures and catalog: one table, one undo control and one undo rule.

Both undo a past import the same way: the editor picks it in a native select (whose value arrives as text),
confirms in a dialog, and the server checks the editor role and the choice before anything is undone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html
from dash.dash_table.DataTable import DataTable
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.data.store import StoreError
from dashboard.formatting import format_datetime
from dashboard.panels.common import ready_id
from dashboard.panels.upload_view import alert
from dashboard.security.auth import current_user, require_editor
from dashboard.theme import TABLE_CELL_STYLE, TABLE_HEADER_STYLE


class Undone(Protocol):
    """What an undo reports: done (« annule ») or refused, and why, in French."""

    @property
    def status(self) -> str:
        """« annule » when it was undone; another word when it was refused."""

    @property
    def message(self) -> str:
        """What happened, in French, as the page shows it."""


def _moment(value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value)
    return "" if value is None or pd.isna(value) else str(value)


def _row(record: dict[Any, Any], effet: str, undone: str | None, **extra: Any) -> dict[str, Any]:
    """A history row: the columns every history shares, ``extra`` ones, and what undid it if anything."""
    return {
        "id": int(record["id"]),
        "importe_le": _moment(record["importe_le"]),
        "auteur": str(record["auteur"]),
        "fichier": str(record["fichier"]),
        **extra,
        "effet": effet,
        "etat": undone or "en vigueur",
    }


def import_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of the imports' history: who, when, which file, its SHA-256, how many rows, undone or not."""
    return [
        _row(
            record,
            f"{record['nouvelles']} nouv., {record['modifiees']} modif., {record['inchangees']} inch.",
            f"annulé le {_moment(record['annule_le'])} par {record['annule_par']}"
            if record["annule_le"] is not None and not pd.isna(record["annule_le"])
            else None,
            sha256=str(record["sha256"]),
            lignes=int(record["lignes"]),
        )
        for record in frame.to_dict("records")
    ]


def catalog_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of the catalog's history: who, when, which file, what it changed, undone or not."""
    return [
        _row(
            record,
            f"{record['nouveaux']} nouv., {record['modifies']} modif., {record['supprimes']} suppr.",
            f"annulé par {record['annule_par']}" if isinstance(record["annule_par"], str) else None,
        )
        for record in frame.to_dict("records")
    ]


def is_click(clicks: Any) -> bool:
    """Whether a button's click count is a genuine one (a forged request may send anything)."""
    return isinstance(clicks, int) and not isinstance(clicks, bool) and clicks >= 1


def chosen_id(value: Any) -> int | None:
    """The import chosen in the list, or None: a native select sends its value as text."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31:
        return None
    return value


@dataclass(frozen=True, slots=True)
class UndoSection:
    """One history with its undo control: the component ids, and the words that differ between the two."""

    table: str
    select: str
    button: str
    confirm: str
    result: str
    label: str  # the select's label
    placeholder: str
    button_text: str
    question: str  # asked in the confirmation dialog
    missing: str  # said when nothing was chosen

    def history_table(self, page_size: int, extra: dict[str, str] | None = None) -> DataTable:
        """The history, filled for editors only; ``extra`` columns (id → title) come after the file.

        Every history has the columns the list of what can be undone is labelled from: n°, date, author, file.
        """
        titles = {"id": "N°", "importe_le": "Date", "auteur": "Par", "fichier": "Fichier"}
        titles |= (extra or {}) | {"effet": "Effet", "etat": "État"}
        return DataTable(
            id=self.table,
            columns=[{"name": title, "id": key} for key, title in titles.items()],
            data=[],
            page_size=page_size,
            style_table={"overflowX": "auto"},
            style_cell=TABLE_CELL_STYLE,
            style_header=TABLE_HEADER_STYLE,
        )

    def controls(self) -> list[Component]:
        """The list of what can be undone, the button behind a confirmation, and where the result shows."""
        return [
            html.Label(self.label, htmlFor=self.select, className="form-label"),
            # A native select: dcc.Dropdown leaves a focusable hidden input that screen readers cannot name.
            dbc.Select(id=self.select, options=[], placeholder=self.placeholder, class_name="undo-select"),
            dcc.ConfirmDialogProvider(
                html.Button(self.button_text, id=self.button, className="btn btn-outline-danger mt-2"),
                id=self.confirm,
                message=self.question,
            ),
            html.Div(id=self.result, className="mt-3"),
        ]

    def history_io(self) -> tuple[Output | Input, ...]:
        """The history and the list are read again when the page opens, after an import and after an undo."""
        return (
            Output(self.table, "data"),
            Output(self.select, "options"),
            Input(ready_id("upload"), "data"),
            Input(ids.UPLOAD_RESULT, "children"),
            Input(self.result, "children"),
        )

    def undo_io(self) -> tuple[Output | Input | State, ...]:
        """The confirmed click, with the chosen entry."""
        return (
            Output(self.result, "children"),
            Input(self.confirm, "submit_n_clicks"),
            State(self.select, "value"),
        )

    def history(self, rows: Callable[[], list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[Any]]:
        """The history's rows and, for the list, those still in force; nothing for viewers."""
        if not current_user().can_edit:
            raise PreventUpdate  # viewers see no history (names of editors, file names)
        shown = rows()
        options = [
            {"label": f"n° {r['id']} — {r['fichier']} — {r['importe_le']} — {r['auteur']}", "value": r["id"]}
            for r in shown
            if r["etat"] == "en vigueur"
        ]
        return shown, options

    def undo(self, clicks: Any, chosen: Any, undo: Callable[[int, str], Undone]) -> html.Div:
        """Undo the chosen entry as the editor asking (``undo(id, auteur)``), and say how it went."""
        user = require_editor()
        if not is_click(clicks):
            raise PreventUpdate
        entry = chosen_id(chosen)
        if entry is None:
            return alert(self.missing, "warning")
        try:
            report = undo(entry, user.label)
        except StoreError as err:
            return alert(str(err), "danger")
        return alert(report.message, "success" if report.status == "annule" else "warning")


FIGURES = UndoSection(
    table=ids.IMPORT_HISTORY,
    select=ids.UNDO_SELECT,
    button=ids.UNDO_BUTTON,
    confirm=ids.UNDO_CONFIRM,
    result=ids.UNDO_RESULT,
    label="Import à annuler",
    placeholder="Choisir un import…",
    button_text="Annuler cet import",
    question="Annuler cet import ? Ses chiffres seront retirés et les valeurs remplacées rétablies.",
    missing="Choisissez d'abord un import dans la liste.",
)
CATALOG = UndoSection(
    table=ids.CATALOG_HISTORY,
    select=ids.CATALOG_UNDO_SELECT,
    button=ids.CATALOG_UNDO_BUTTON,
    confirm=ids.CATALOG_UNDO_CONFIRM,
    result=ids.CATALOG_UNDO_RESULT,
    label="Modification du catalogue à annuler",
    placeholder="Choisir une modification…",
    button_text="Annuler cette modification du catalogue",
    question="Annuler cette modification ? Le catalogue précédent sera rétabli.",
    missing="Choisissez d'abord une modification dans la liste.",
)
