"""The app factory: Dash instance, page frame, shared filters, router, then every panel's callbacks."""

from __future__ import annotations

import gc
import json
from typing import Any

from dash import ALL, MATCH, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash._utils import to_json
from dash.development.base_component import Component
from flask import Response, request

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.components.filter_bar import (
    build_filter_bar,
    checkbox_options,
    choice_text,
    comparison_options,
)
from dashboard.components.navbar import build_navbar, build_theme_menu
from dashboard.compression import GzipResponses
from dashboard.data.context import DataContext, open_data
from dashboard.downloads import install_exports
from dashboard.export.queue import QueuedJobs
from dashboard.filters import Filters, control_values, filters_of_change, parse_filters, to_query
from dashboard.panels import PANELS, Panel, known_path, overview, page_for_path, theme_page
from dashboard.panels.common import cached_answer
from dashboard.security.web import install_security
from dashboard.settings import ROOT, Settings
from dashboard.skeleton import id_skeleton
from dashboard.views import counts_by_theme, themes_in_order
from dashboard.warmup import warm_up

INDEX_STRING = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        <a class="skip-link" href="#page-content">Aller au contenu</a>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


APP_TITLE = "Qualité de service des CPAM"


class _Dashboard(Dash):
    """Dash, with the page frame sent to a new visit encoded once per data version, not per request.

    Dash encodes ``/_dash-layout`` component by component on each visit: 2 to 4 ms of server CPU for the
    frame (menu and filter bar), as much as the visit's warm callbacks together. The frame changes only with
    the data (filter choices, the catalog's menu), so its JSON is cached under the data version, like every
    other read (and shared through Redis when it is set).
    """

    repo: CachedRepository

    def serve_layout(self) -> Any:
        """The frame's JSON, encoded once per data version."""
        text = self.repo.cached("frame-json", lambda: to_json(self.get_layout()))
        return self.backend.make_response(text, mimetype="application/json")


def _nav_pages(repo: CachedRepository) -> list[tuple[str, str, str]]:
    """(key, path, label) of the main menu: the pages, with the theme pages of the table's main menu."""
    themes = [(t.ordre, f"theme-{t.code}", t.chemin, t.menu) for t in repo.catalog.themes if t.menu]
    pages = [
        (p.PAGE.order * 100, p.PAGE.key, p.PAGE.path, p.PAGE.menu or p.PAGE.title)
        for p in PANELS
        if p.PAGE.nav
    ]
    # The theme pages stand after the overview (order 0) in their table order.
    return [(key, path, label) for _, key, path, label in sorted(pages + themes)]


def _frame(repo: CachedRepository) -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.PAGE_TITLE),
            build_navbar(_nav_pages(repo)),
            build_filter_bar(repo.choices()),
            html.Main(id=ids.PAGE, tabIndex="-1", className="page-content"),
        ],
        className="app-frame",
    )


def _page_title(panel: Panel, path: str, repo: CachedRepository) -> str:
    theme = theme_page.theme_at(repo.catalog, path) if panel is theme_page else None
    return f"{theme.libelle if theme else panel.PAGE.title} — {APP_TITLE}"


def _filter_outputs(filters: Filters, repo: CachedRepository, notices: list[str]) -> tuple[Any, ...]:
    choices = repo.choices()
    caisses = choices.caisses_of(filters.departements)
    caisse_options = checkbox_options(ids.CAISSES, [{"label": c.nom, "value": c.id} for c in caisses])
    notice = (
        html.Div([html.P(n, className="mb-0") for n in notices], className="alert alert-warning filter-alert")
        if notices
        else None
    )
    return (
        comparison_options(choices, filters.annee),
        caisse_options,
        len(caisses) < 2,
        notice,
        choice_text([d.label for d in choices.departements if d.code in filters.departements]),
        choice_text([c.nom for c in caisses if c.id in filters.caisses]),
    )


# The filter bar's controls, by the field of ``filters.control_values``.
CONTROLS: dict[str, str] = {
    "annee": ids.YEAR,
    "comparaison": ids.COMPARISON,
    "departements": ids.DEPARTEMENTS,
    "caisses": ids.CAISSES,
}


def _correction(filters: Filters, change: Any, shown: Any) -> dict[str, Any] | None:
    """What the controls must show for the selection, if they do not show it already, and for which change.

    The browser sets the controls from it (``cpamFilters.correct``), only if no newer change was made
    meanwhile. The controls are no callback's output: a page waits for every pending output among its
    inputs, so it would wait for the filter bar again. A native select sends its year as text: a value that
    reads the same is not corrected.
    """
    shown = shown if isinstance(shown, dict) else {}
    target = control_values(filters)
    after = {
        field: shown[field] if str(shown.get(field)) == str(value) else value
        for field, value in target.items()
    }
    if after == shown:
        return None
    return {"from": change, "to": after}


def _register_shell_callbacks(app: Dash, repo: CachedRepository) -> None:
    @app.callback(Output(ids.PAGE, "children"), Output(ids.PAGE_TITLE, "data"), Input(ids.URL, "pathname"))
    def update_page(pathname: str | None) -> tuple[Component, str]:
        path_text = pathname if isinstance(pathname, str) else "/"  # forged: not a str
        panel, path = page_for_path(path_text, repo.catalog)
        return panel.layout(repo, path), _page_title(panel, path, repo)

    # Each page names the browser tab (history, bookmarks and screen readers tell pages apart).
    app.clientside_callback(
        "function(title) { if (title) { document.title = title; } return window.dash_clientside.no_update; }",
        Output(ids.PAGE_TITLE, "id"),
        Input(ids.PAGE_TITLE, "data"),
    )

    # From the filter bar's change, as the pages: after the address, it would be a second round trip.
    @app.callback(Output(ids.NAV_THEMES, "children"), Input(ids.FILTER_CHANGE, "data"))
    def update_theme_menu(change: Any) -> Any:
        filters, _ = filters_of_change(change, repo.choices())
        return cached_answer(repo, f"theme-menu:{to_query(filters)}", lambda: _theme_menu(repo, filters))

    # The change of the filter bar's controls, which the pages, the theme menu and the bar itself draw from,
    # each in its own callback, at the same time (one round trip per change).
    app.clientside_callback(
        ClientsideFunction(namespace="cpamFilters", function_name="change"),
        Output(ids.FILTER_CHANGE, "data"),
        *(Input(control, "value") for control in CONTROLS.values()),
        State(ids.FILTER_ECHO, "data"),
        State(ids.FILTER_CHANGE, "data"),
    )
    # The bar's corrections of its own controls, applied in the browser if they answer the latest change.
    app.clientside_callback(
        ClientsideFunction(namespace="cpamFilters", function_name="correct"),
        Output(ids.FILTER_ECHO, "id"),  # nothing: the controls are set on the side
        Input(ids.FILTER_ECHO, "data"),
        State(ids.FILTER_CHANGE, "data"),
        *(State(control, "value") for control in CONTROLS.values()),
        prevent_initial_call=True,
    )

    # The filter bar: the address, the lists that follow the choice, the notices, the corrections.
    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.COMPARISON, "options"),
        Output(ids.CAISSES, "options"),
        Output(ids.CAISSES_GROUP, "hidden"),
        Output(ids.NOTICE, "children"),
        Output(ids.DEPARTEMENTS_VALUE, "children"),
        Output(ids.CAISSES_VALUE, "children"),
        Output(ids.FILTER_ECHO, "data"),
        Input(ids.URL, "search"),
        Input(ids.FILTER_CHANGE, "data"),
    )
    def update_filters(search: Any, change: Any) -> tuple[Any, ...]:
        choices = repo.choices()
        # At a first visit both inputs fire, the change carrying the address; the address alone changes
        # with the browser's back and forward buttons, and then it decides.
        if ctx.triggered_prop_ids.keys() == {f"{ids.URL}.search"}:
            filters, notices = parse_filters(search if isinstance(search, str) else "", choices)
            change, shown = None, None
        else:
            filters, notices = filters_of_change(change, choices)
            shown = change.get("values") if isinstance(change, dict) else None
        correction = _correction(filters, change, shown)
        query = to_query(filters)
        if correction is None and query == search:
            # The bar already shows this selection (the change was its own correction): the notices stay.
            return (no_update,) * 8
        return (
            query if query != search else no_update,
            *_filter_outputs(filters, repo, notices),
            correction if correction is not None else no_update,
        )

    # The départements' search field filters their checkboxes in the browser (assets/filters.js).
    app.clientside_callback(
        ClientsideFunction(namespace="cpamFilters", function_name="search"),
        Output(ids.DEPARTEMENTS, "options"),
        Input(ids.DEPARTEMENTS_SEARCH, "value"),
        State(ids.DEPARTEMENTS_ALL, "data"),
        prevent_initial_call=True,
    )

    # Image download drawn by the browser (assets/export.js): the quick path, no server round trip.
    app.clientside_callback(
        ClientsideFunction(namespace="cpamExport", function_name="download"),
        Output(ids.pattern("export-png", MATCH, MATCH), "title"),
        Input(ids.pattern("export-png", MATCH, MATCH), "n_clicks"),
        Input(ids.pattern("export-svg", MATCH, MATCH), "n_clicks"),
        State(ids.pattern("figure", MATCH, MATCH), "config"),
        State(ids.pattern("figure", MATCH, MATCH), "id"),
        prevent_initial_call=True,
    )

    # The page links carry the filters of the moment: the query the filter callback wrote, appended in the
    # browser (assets/filters.js), with no server round trip.
    app.clientside_callback(
        ClientsideFunction(namespace="cpamFilters", function_name="navLinks"),
        Output({"type": "nav-link", "page": ALL}, "href"),
        Input(ids.URL, "search"),
        State({"type": "nav-link", "page": ALL}, "href"),
    )


def _theme_menu(repo: CachedRepository, filters: Filters) -> list[Component]:
    """The « Autres thèmes » menu: themes with figures for the selection first, with their count."""
    # Counted by the store: reading the selection's figures only to count them took most of a cold menu.
    by_indicator = repo.counts_by_indicator(caisses=filters.caisses, years=filters.years)
    counts = counts_by_theme(by_indicator, repo.catalog)
    others = [t for t in repo.catalog.themes if not t.menu]
    with_figures, without = themes_in_order(others, counts)
    query = to_query(filters)
    return build_theme_menu(
        [(t.libelle, t.chemin + query, counts[t.code]) for t in with_figures],
        [(t.libelle, t.chemin + query) for t in without],
    )


def _answer_unknown_pages(app: Dash, repo: CachedRepository) -> None:
    """An address no page serves answers HTTP 404, with the French « Page introuvable » page."""
    index_endpoints = {"/", "/<path:path>"}

    @app.server.before_request
    def refuse_unknown_page() -> Response | None:
        if request.method != "GET" or request.endpoint not in index_endpoints:
            return None
        if known_path(request.path, repo.catalog):
            return None
        return Response(app.index(), status=404, mimetype="text/html")


def create_app(settings: Settings | None = None, data: DataContext | None = None) -> Dash:
    """Build the dashboard on the store named by the settings (created and filled on first start)."""
    settings = settings or Settings.from_env()
    data = data or open_data(settings)
    app = _Dashboard(
        __name__,
        title=APP_TITLE,
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        update_title="",  # the tab keeps its title while callbacks run
        suppress_callback_exceptions=False,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX_STRING
    GzipResponses(app.server)
    repo = CachedRepository(data.repository, app.server, redis_url=settings.redis_url)
    app.repo = repo
    app.layout = lambda: _frame(repo)  # a function: the filter choices follow the data at each visit
    # Every id of every page, bare: Dash sends the validation layout with each page load (skeleton.py).
    # Held as plain JSON data: Dash encodes it into every page's HTML, and encoding its 160 components one
    # by one cost 2 to 4 ms per page load.
    first_theme = sorted(repo.catalog.themes, key=lambda t: t.ordre)[0].chemin
    app.validation_layout = json.loads(
        to_json(
            id_skeleton(
                _frame(repo),
                *(p.layout(repo, first_theme if p is theme_page else p.PAGE.path) for p in PANELS),
                theme_page.validation_sample(),
                overview.validation_sample(),
            )
        )
    )
    _answer_unknown_pages(app, repo)
    _register_shell_callbacks(app, repo)
    # Server-side images and dossiers (routes + the export links' callback), on the caisse's deck master.
    # With Redis, dossiers go to the render workers' queue; without, to this worker's thread pool.
    queued = QueuedJobs(settings.redis_url) if settings.redis_url else None
    install_exports(app, repo, deck_template=settings.deck_template, jobs=queued)
    for panel in PANELS:
        panel.register_callbacks(app, repo)
    install_security(app, settings, data.store)  # after every callback: the CSP hashes their inline scripts
    warm_up(app, repo)
    return app


def freeze_start_objects() -> None:
    """Put what the start built out of the garbage collector's reach, once the app is served from it.

    The modules, the catalog, the layout and plotly's validators (some 230 000 objects) live as long as the
    process. Walking them made each full collection a pause of 130 to 170 ms under whichever request set it
    off, at full scale; frozen, a full collection walks only the objects made since (a few milliseconds).
    Before gunicorn forks its workers, it also keeps the collector from writing to the pages they share.
    """
    gc.collect()
    gc.freeze()
