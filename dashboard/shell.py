"""The app factory: Dash instance, page frame, shared filters, router, then every panel's callbacks."""

from __future__ import annotations

from typing import Any

from dash import ALL, MATCH, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.components.filter_bar import build_filter_bar, comparison_options
from dashboard.components.navbar import build_navbar
from dashboard.compression import GzipResponses
from dashboard.data import DataContext, open_data
from dashboard.downloads import install_exports
from dashboard.filters import Filters, filters_from_values, parse_filters, to_query
from dashboard.panels import PANELS, page_for_path
from dashboard.security import install_security
from dashboard.settings import ROOT, Settings
from dashboard.skeleton import id_skeleton
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


def _frame(repo: CachedRepository) -> html.Div:
    catalog = repo.catalog
    pages = [(p.PAGE.key, p.PAGE.path, p.PAGE.title) for p in sorted(PANELS, key=lambda p: p.PAGE.order)]
    other = [
        (t.code, t.libelle) for t in sorted(catalog.themes, key=lambda t: t.ordre) if t.panneau == "other"
    ]
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            build_navbar([p for p in pages if _in_nav(p[0])], other),
            build_filter_bar(repo.choices()),
            html.Main(id=ids.PAGE, tabIndex="-1", className="page-content"),
        ],
        className="app-frame",
    )


def _in_nav(key: str) -> bool:
    return next(p for p in PANELS if p.PAGE.key == key).PAGE.nav


def _filter_outputs(filters: Filters, repo: CachedRepository, notices: list[str]) -> tuple[Any, ...]:
    choices = repo.choices()
    caisses = choices.caisses_of(filters.departements)
    caisse_options = [{"label": c.nom, "value": c.id} for c in caisses]
    notice = (
        html.Div([html.P(n, className="mb-0") for n in notices], className="alert alert-warning filter-alert")
        if notices
        else None
    )
    return (
        filters.annee,
        comparison_options(choices, filters.annee),
        filters.comparaison if filters.comparaison is not None else "aucune",
        list(filters.departements),
        caisse_options,
        list(filters.caisses),
        len(caisses) < 2,
        notice,
    )


def _register_shell_callbacks(app: Dash, repo: CachedRepository) -> None:
    @app.callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"))
    def update_page(pathname: str | None) -> Component:
        panel, path = page_for_path(pathname if isinstance(pathname, str) else "/")  # forged: not a str
        return panel.layout(repo, path)

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.YEAR, "value"),
        Output(ids.COMPARISON, "options"),
        Output(ids.COMPARISON, "value"),
        Output(ids.DEPARTEMENTS, "value"),
        Output(ids.CAISSES, "options"),
        Output(ids.CAISSES, "value"),
        Output(ids.CAISSES_GROUP, "hidden"),
        Output(ids.NOTICE, "children"),
        Input(ids.URL, "search"),
        Input(ids.YEAR, "value"),
        Input(ids.COMPARISON, "value"),
        Input(ids.DEPARTEMENTS, "value"),
        Input(ids.CAISSES, "value"),
    )
    def update_filters(
        search: Any, year: Any, comparison: Any, departements: Any, caisses: Any
    ) -> tuple[Any, ...]:
        choices = repo.choices()
        if ctx.triggered_id in (None, ids.URL):
            filters, notices = parse_filters(search if isinstance(search, str) else "", choices)
        else:
            changed = {ids.YEAR: "annee", ids.DEPARTEMENTS: "departements"}.get(str(ctx.triggered_id))
            filters, notices = filters_from_values(year, comparison, departements, caisses, choices, changed)
        query = to_query(filters)
        return (query if query != search else no_update, *_filter_outputs(filters, repo, notices))

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

    @app.callback(
        Output({"type": "nav-link", "page": ALL}, "href"),
        Input(ids.URL, "search"),
        State({"type": "nav-link", "page": ALL}, "id"),
    )
    def update_nav_links(search: Any, link_ids: list[dict[str, str]]) -> list[str]:
        filters, _ = parse_filters(search if isinstance(search, str) else "", repo.choices())
        query = to_query(filters)
        hrefs = {p.PAGE.key: p.PAGE.path for p in PANELS}
        return [
            (hrefs[i["page"]] if i["page"] in hrefs else f"/autres/{i['page'].removeprefix('theme-')}")
            + query
            for i in link_ids
        ]


def create_app(settings: Settings | None = None, data: DataContext | None = None) -> Dash:
    """Build the dashboard on the store named by the settings (created and filled on first start)."""
    settings = settings or Settings.from_env()
    data = data or open_data(settings)
    app = Dash(
        __name__,
        title="Qualité de service des CPAM",
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        update_title="",  # the tab keeps its title while callbacks run
        suppress_callback_exceptions=False,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX_STRING
    GzipResponses(app.server)
    repo = CachedRepository(data.repository, app.server)
    app.layout = lambda: _frame(repo)  # a function: the filter choices follow the data at each visit
    # Every id of every page, bare: Dash sends the validation layout with each page load (skeleton.py).
    app.validation_layout = id_skeleton(  # type: ignore[assignment]  # Dash annotates it as None
        _frame(repo), *(p.layout(repo, p.PAGE.path) for p in PANELS)
    )
    _register_shell_callbacks(app, repo)
    install_exports(app, repo)  # server-side images and dossiers (routes + the export links' callback)
    for panel in PANELS:
        panel.register_callbacks(app, repo)
    install_security(app, settings, data.store)  # after every callback: the CSP hashes their inline scripts
    warm_up(app, repo)
    return app
