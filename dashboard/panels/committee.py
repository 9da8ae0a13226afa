"""Dossier comité de pilotage: the charts a person ticks, for the current filters, as PPTX, PDF or ZIP.

The file is made in the background (``export.jobs``): the page polls its progress and offers the download
link when it is ready, and the server keeps answering everyone else meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Final

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component
from flask import request

from dashboard.cache import CachedRepository
from dashboard.chart_index import IndexedChart, chosen, figure_index
from dashboard.components import html_attrs
from dashboard.export.files import KINDS, NEEDS_BROWSER, DossierKind, make_file
from dashboard.export.images import ExportUnavailable
from dashboard.export.jobs import JobRefused, JobResult, JobStatus, Progress
from dashboard.export.services import ExportServices, export_services
from dashboard.filters import to_query
from dashboard.formatting import format_number
from dashboard.panels.common import (
    changed_filters,
    current_filters,
    page_header,
    page_inputs,
    page_state,
    selection_label,
    subtitle_id,
)
from dashboard.panels.figure_index import LeftOutChart, build_dossier, default_choice, left_out
from dashboard.panels.my_exports import (
    EXPORTS,
    add_export,
    build_my_exports,
    register_my_exports,
)
from dashboard.panels.page import PanelPage
from dashboard.panels.since import (
    SAVE_COMMITTEE,
    build_save_choice,
    build_since_section,
    register_since,
    save_as_committee,
    since_last_committee,
    wants_saving,
)
from dashboard.security.audit import audit
from dashboard.security.auth import current_user

PAGE = PanelPage(key="committee", path="/comite", title="Comité de pilotage", order=10, menu="Comité")

CHOICE_ALL: Final = "committee-choose-all"
CHOICE_NONE: Final = "committee-choose-none"
CHOICE_DEFAULT: Final = "committee-choose-default"
POLL: Final = "committee-poll"
JOB: Final = "committee-job"
PROGRESS: Final = "committee-progress"
STATUS: Final = "committee-status"
LINK: Final = "committee-download"
LEFT_OUT: Final = "committee-left-out"
POLL_MS: Final = 700
_LABELS: Final[dict[str, str]] = {kind: label for kind, (label, _) in KINDS.items()}


def checklist_id(group: Any) -> dict[str, Any]:
    """The checklist of one page's or theme's charts."""
    return {"type": "committee-figures", "group": group}


def export_button_id(kind: str) -> str:
    """The button that makes one kind of file (pptx, pdf, zip)."""
    return f"committee-export-{kind}"


def _group(item: IndexedChart) -> str:
    return item.path.strip("/").replace("/", "-")


def _input_id(item: IndexedChart) -> str:
    """The id of a chart's checkbox, which its label names."""
    return "committee-" + item.id.replace("/", "-")


def _groups(index: dict[str, IndexedChart]) -> dict[str, list[IndexedChart]]:
    groups: dict[str, list[IndexedChart]] = {}
    for item in index.values():
        groups.setdefault(_group(item), []).append(item)
    return groups


def layout(repo: CachedRepository, path: str) -> Component:
    """The chart checklists (key-figure charts ticked), the three file buttons and the progress area."""
    index = figure_index(repo.catalog)
    fieldsets = [
        html.Fieldset(
            [
                html.Legend(items[0].section, className="committee-legend"),
                # Bootstrap's checkboxes: each input beside its own label, no list role around them.
                dbc.Checklist(
                    id=checklist_id(group),
                    options=[
                        {"label": item.spec.title, "value": item.id, "input_id": _input_id(item)}
                        for item in items
                    ],
                    value=[],  # ticked for the filters by update_committee_choice
                    class_name="committee-checklist",
                ),
            ],
            className="committee-group",
        )
        for group, items in _groups(index).items()
    ]
    return html.Div(
        [
            page_header(
                PAGE.key,
                "Dossier comité de pilotage",
                "Cochez les graphiques à présenter : ils sont dessinés avec les filtres du moment. "
                "Le dossier s'obtient en présentation PowerPoint (une diapositive par graphique, "
                "chiffres clés modifiables, phrase de commentaire dans les notes), en rapport PDF au "
                "format A4, ou en images PNG et SVG. Chaque fichier indique ses filtres, la version des "
                "données et un lien "
                "qui rouvre la même vue.",
            ),
            html.H2("Fichiers", className="section-title"),
            html.Div(
                [
                    html.Button(
                        label, id=export_button_id(kind), n_clicks=0, className="btn btn-primary me-2 mb-2"
                    )
                    for kind, (label, _) in KINDS.items()
                ],
                className="committee-actions",
            ),
            build_save_choice(),
            html.Div(
                [
                    html.Progress(id=PROGRESS, value="0", max="1", className="committee-progress"),
                    html.P(id=STATUS, className="committee-status mb-1"),
                    html.A(id=LINK, hidden=True, download="", className="btn btn-success"),
                ],
                role="status",
                className="committee-job",
                **html_attrs(aria_live="polite"),
            ),
            # Every value set: the request check (security.payload) refuses inputs sent without a value.
            dcc.Interval(id=POLL, interval=POLL_MS, n_intervals=0, disabled=True),
            dcc.Store(id=JOB, data=None),
            build_my_exports(),
            build_since_section(),
            html.H2("Graphiques du dossier", className="section-title"),
            html.Div(
                [
                    html.Button(
                        "Ce qui a été publié",
                        id=CHOICE_DEFAULT,
                        n_clicks=0,
                        className="btn btn-sm btn-outline-primary me-2",
                    ),
                    html.Button(
                        "Tout cocher",
                        id=CHOICE_ALL,
                        n_clicks=0,
                        className="btn btn-sm btn-outline-primary me-2",
                    ),
                    html.Button(
                        "Tout décocher",
                        id=CHOICE_NONE,
                        n_clicks=0,
                        className="btn btn-sm btn-outline-primary",
                    ),
                ],
                className="committee-choice-actions mb-2",
            ),
            html.Div(id=LEFT_OUT, className="committee-left-out mb-3"),
            html.Div(fieldsets, className="committee-groups"),
        ]
    )


def build_left_out(charts: list[LeftOutChart]) -> Component:
    """The charts the default choice leaves out, each with its reason.

    First those shown another way, then, per theme, those with no figure published (never in a dossier).
    """
    if not charts:
        return html.P("Tous les graphiques du catalogue ont des chiffres publiés pour cette sélection.")
    shown_otherwise = [c for c in charts if not c.nothing_published]
    by_section: dict[str, list[str]] = {}
    for chart in charts:
        if chart.nothing_published:
            by_section.setdefault(chart.section, []).append(chart.title)
    parts: list[Component] = []
    if shown_otherwise:
        parts.append(html.H3("Présentés autrement", className="h6 mt-2 mb-1"))
        parts.append(
            html.Ul(
                [
                    html.Li([html.Span(c.title, className="fw-semibold"), f" ({c.section}) : {c.reason}."])
                    for c in shown_otherwise
                ]
            )
        )
    if by_section:
        count = format_number(sum(len(titles) for titles in by_section.values()))
        parts.append(
            html.H3(f"Sans aucun chiffre publié pour cette sélection ({count})", className="h6 mt-2 mb-1")
        )
        parts.append(
            html.Ul(
                [
                    html.Li([html.Span(section, className="fw-semibold"), " : " + " ; ".join(titles) + "."])
                    for section, titles in by_section.items()
                ]
            )
        )
    return html.Details(
        [
            html.Summary(
                f"{format_number(len(charts))} graphique(s) laissé(s) de côté pour cette sélection, "
                "et pourquoi"
            ),
            *parts,
        ]
    )


@dataclass(frozen=True, slots=True)
class DossierOrder:
    """A dossier to make, in plain values: it may travel to a render worker on another machine.

    Attributes:
        kind: The file (pptx, pdf or zip).
        search: The filters, as the page's query string (read again, and checked, where the order runs).
        charts: The chosen charts' ids (``IndexedChart.id``), already checked against the index.
        base_url: The dashboard's address, for the links back to each view.
        user: Who asked, for the audit journal.
        save: Whether to save the dossier as the selection's last committee.
    """

    kind: DossierKind
    search: str
    charts: tuple[str, ...]
    base_url: str
    user: str
    save: bool = False

    def run(self, context: tuple[CachedRepository, ExportServices], progress: Progress) -> JobResult:
        """Make the file on the context's store and renderer; write it to the audit journal."""
        repo, services = context
        filters = current_filters(self.search, repo)
        items = chosen(figure_index(repo.catalog), list(self.charts))
        since = since_last_committee(repo, filters)  # read before this dossier is saved as the next one
        made = build_dossier(repo, filters, items, self.base_url, draw_figures=self.kind != "pptx")
        dossier = replace(made, since=since)
        result = make_file(self.kind, dossier, services.renderer, progress, template=services.deck_template)
        detail = f"{_LABELS[self.kind]} — {result.filename} — {dossier.provenance.selection}"
        audit(repo, "export", detail, user=self.user)
        if self.save:
            save_as_committee(repo, filters, [item.id for item in items], self.user)
        return result


def _start(
    services: ExportServices,
    repo: CachedRepository,
    kind: DossierKind,
    items: list[IndexedChart],
    search: str,
    save: bool = False,
) -> tuple[Any, ...]:
    """Queue the job; return (job, poll disabled, status text)."""
    if not items:
        return None, True, "Cochez au moins un graphique."
    filters = current_filters(search, repo)
    # A chart no chosen caisse published anything for would be an empty slide: it is left out, and said.
    empty = {c.id for c in left_out(repo, filters) if c.nothing_published}
    skipped = [item for item in items if item.id in empty]
    items = [item for item in items if item.id not in empty]
    if not items:
        return None, True, "Aucun des graphiques cochés n'a de chiffre publié pour cette sélection."
    if kind in NEEDS_BROWSER:
        try:
            services.renderer.check()
        except ExportUnavailable as err:
            return None, True, str(err)
    # Who asked and from which address are read now: the job runs outside the request.
    order = DossierOrder(
        kind, to_query(filters), tuple(i.id for i in items), request.host_url, current_user().label, save
    )
    try:
        job_id = services.jobs.submit(order, (repo, services), total=len(items))
    except JobRefused as err:
        return None, True, str(err)
    text = f"Préparation de {format_number(len(items))} graphique(s) en cours…"
    if skipped:
        text += f" {format_number(len(skipped))} graphique(s) coché(s) sans chiffre publié n'y sont pas."
    return {"id": job_id, "kind": kind}, False, text


def _shown(status: JobStatus | None, kind: str) -> tuple[Any, ...]:
    """(poll disabled, status text, progress value, progress max, link hidden, link text)."""
    if status is None:
        return True, "Export introuvable ou expiré : relancez-le.", "0", "1", True, ""
    total = max(status.total, 1)
    if status.state == "terminé":
        label = _LABELS.get(kind, "fichier")
        return True, "Fichier prêt.", str(total), str(total), False, f"Télécharger : {label}"
    if status.state == "échec":
        return True, status.message, "0", str(total), True, ""
    return False, status.message, str(status.done), str(total), True, ""


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """Subtitle, choice buttons, export start and progress."""

    @app.callback(
        Output(subtitle_id(PAGE.key), "children"),
        *page_inputs(PAGE.key),
    )
    def update_committee_subtitle(change: Any, _ready: Any) -> str:
        return f"Filtres du dossier : {selection_label(changed_filters(change, repo), repo)}"

    @app.callback(
        Output(checklist_id(ALL), "value"),
        Output(LEFT_OUT, "children"),
        Input(CHOICE_ALL, "n_clicks"),
        Input(CHOICE_NONE, "n_clicks"),
        Input(CHOICE_DEFAULT, "n_clicks"),
        *page_inputs(PAGE.key),
        State(checklist_id(ALL), "id"),
    )
    def update_committee_choice(
        _all: Any, _none: Any, _default: Any, change: Any, _ready: Any, groups: list[dict[str, str]]
    ) -> Any:
        index = figure_index(repo.catalog)
        listed: Any = no_update
        if ctx.triggered_id == CHOICE_ALL:
            keep = set(index)
        elif ctx.triggered_id == CHOICE_NONE:
            keep = set()
        else:  # the default, also on arrival and when the filters change: what the selection published
            filters = changed_filters(change, repo)
            keep = set(default_choice(repo, filters))
            listed = build_left_out(left_out(repo, filters))
        by_group = _groups(index)
        return [[i.id for i in by_group.get(g.get("group", ""), []) if i.id in keep] for g in groups], listed

    register_my_exports(app)
    register_since(app, repo)

    # Named groups (Dash passes them as keyword arguments): the buttons are told apart by ctx.triggered_id.
    @app.callback(
        output=[
            Output(EXPORTS, "data"),
            Output(JOB, "data"),
            Output(POLL, "disabled"),
            Output(STATUS, "children"),
            Output(PROGRESS, "value"),
            Output(PROGRESS, "max"),
            Output(LINK, "hidden"),
            Output(LINK, "children"),
            Output(LINK, "href"),
        ],
        inputs={
            "_clicks": {kind: Input(export_button_id(kind), "n_clicks") for kind in KINDS},
            "_poll": Input(POLL, "n_intervals"),
        },
        state={
            "values": State(checklist_id(ALL), "value"),
            "change": page_state(),  # the filters the page shows, as its subtitle and ticks
            "job": State(JOB, "data"),
            "mine": State(EXPORTS, "data"),
            "save": State(SAVE_COMMITTEE, "value"),
        },
        prevent_initial_call=True,
    )
    def update_committee_export(
        _clicks: dict[str, Any], _poll: Any, values: Any, change: Any, job: Any, mine: Any, save: Any
    ) -> tuple[Any, ...]:
        kind = next((k for k in KINDS if ctx.triggered_id == export_button_id(k)), None)
        if kind is not None:
            items = chosen(figure_index(repo.catalog), [v for group in values or [] for v in group or []])
            services = export_services(app.server)  # looked up per call: tests swap in a renderer
            filters = changed_filters(change, repo)
            job, disabled, text = _start(services, repo, kind, items, to_query(filters), wants_saving(save))
            listed = (
                add_export(mine, job, _LABELS[kind], selection_label(filters, repo)) if job else no_update
            )
            return listed, job, disabled, text, "0", "1", True, "", None
        if not isinstance(job, dict):
            return (no_update,) * 9
        job_id, job_kind = job.get("id"), str(job.get("kind"))
        status = export_services(app.server).jobs.status(job_id)
        disabled, text, value, maximum, hidden, label = _shown(status, job_kind)
        href = f"/export/dossier/{job_id}" if not hidden else None
        return no_update, no_update, disabled, text, value, maximum, hidden, label, href
