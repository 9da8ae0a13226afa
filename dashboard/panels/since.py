"""The Comité page's « Depuis le dernier comité »: save a dossier as a committee, show what changed since.

The same lines open the next deck for the same selection (``export.deck``). Saving a committee writes no
figure: it keeps the selection and a copy of its figures (``data.committees``), and is journalled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, html

from dashboard.cache import CachedRepository
from dashboard.data.committees import changes_since, last_committee, save_committee
from dashboard.export.since import SINCE_TITLE, SinceCommittee, describe_changes
from dashboard.filters import Filters
from dashboard.ids import EXPORTS_POLL
from dashboard.panels.common import caisse_names, changed_filters, page_inputs, selection_label
from dashboard.security.audit import audit

SAVE_COMMITTEE: Final = "committee-save"
SAVE_VALUE: Final = "enregistrer"
SINCE_VIEW: Final = "committee-since"


def since_last_committee(repo: CachedRepository, filters: Filters) -> SinceCommittee | None:
    """What changed since the last committee of this selection (None when none was saved)."""
    store = repo.repository.store
    held = last_committee(store, filters.caisses, filters.annee, filters.comparaison)
    if held is None:
        return None
    return describe_changes(changes_since(store, held), repo.catalog, caisse_names(repo))


def save_as_committee(repo: CachedRepository, filters: Filters, charts: Sequence[str], author: str) -> int:
    """Save the dossier just made as this selection's committee, and journal it."""
    committee_id = save_committee(
        repo.repository.store,
        caisses=filters.caisses,
        annee=filters.annee,
        comparaison=filters.comparaison,
        charts=charts,
        author=author,
        data_version=repo.data_version(),
    )
    audit(repo, "comité", f"comité n° {committee_id} — {selection_label(filters, repo)}", user=author)
    return committee_id


def build_save_choice() -> dbc.Checklist:
    """« Enregistrer ce dossier comme comité du jour », next to the file buttons.

    A Bootstrap checkbox beside its label: dcc.Checklist nests it inside a focusable « option » role.
    """
    return dbc.Checklist(
        id=SAVE_COMMITTEE,
        options=[
            {
                "label": "Enregistrer ce dossier comme comité du jour",
                "value": SAVE_VALUE,
                "input_id": f"{SAVE_COMMITTEE}-input",
            }
        ],
        value=[],
        class_name="committee-save mb-2",
    )


def wants_saving(value: Any) -> bool:
    """Whether the (untrusted) checklist value asks to save the committee."""
    return isinstance(value, list) and SAVE_VALUE in value


def build_since_section() -> html.Section:
    """The section the callback fills for the current filters."""
    return html.Section(
        [html.H2(SINCE_TITLE, className="section-title"), html.Div(id=SINCE_VIEW)],
        className="committee-since",
    )


def _view(since: SinceCommittee | None) -> Any:
    if since is None:
        return html.P(
            "Aucun comité n'a encore été enregistré pour cette sélection (mêmes caisses, même année, même "
            "année de comparaison). Cochez « Enregistrer ce dossier comme comité du jour » en préparant le "
            "dossier : le prochain dossier dira ce qui a changé depuis.",
            className="text-muted",
        )
    head = html.Thead(
        html.Tr(
            [html.Th(h, scope="col") for h in ("", "Chiffre", "Au dernier comité", "Maintenant", "Origine")]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(line.kind),
                html.Td(line.figure),
                html.Td(line.before),
                html.Td(line.after),
                html.Td(line.origin),
            ]
        )
        for line in since.lines
    ]
    parts: list[Any] = [html.P(f"{since.heading} : {since.summary}")]
    if rows:
        parts.append(html.Table([head, html.Tbody(rows)], className="table table-sm"))
    return parts


def register_since(app: Dash, repo: CachedRepository) -> None:
    """The section follows the filters, and a newly saved committee."""

    @app.callback(
        Output(SINCE_VIEW, "children"),
        *page_inputs("committee"),
        Input(EXPORTS_POLL, "n_intervals"),  # a committee is saved when its file is ready
    )
    def update_committee_since(change: Any, _ready: Any, _tick: Any) -> Any:
        return _view(since_last_committee(repo, changed_filters(change, repo)))
