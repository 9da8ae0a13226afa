"""Every theme page, from one factory driven by the page table (``themes.csv``: path, title, order, intro).

A page shows what the chosen caisses published on its theme (``views.theme_view``): a card or a chart for
every published figure, one line for the essential indicators nobody published, and the table of every
figure. Adding a themed page is adding a row to the table; no module is written for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from dash import MATCH, Dash, Input, Output, State, dcc, html, no_update
from dash.dash_table.DataTable import DataTable
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.components import html_attrs
from dashboard.components.figure_card import (
    WAITING_ANSWER_CLASS,
    build_data_table,
    build_figure_card,
    build_waiting_card,
    value_text,
)
from dashboard.components.kpi_card import build_kpi_section
from dashboard.components.links import indicator_href
from dashboard.data import columns as col
from dashboard.data.catalog import Catalog, Indicator, Theme
from dashboard.figures import figure_json
from dashboard.filters import Filters, to_query
from dashboard.formatting import format_nature, format_periode, format_published_count
from dashboard.panels.accessibility import not_found
from dashboard.panels.common import (
    cached_answer,
    changed_filters,
    page_header,
    page_inputs,
    page_state,
    selection,
    subtitle_id,
)
from dashboard.panels.page import PanelPage
from dashboard.theme import TABLE_CELL_STYLE, TABLE_HEADER_STYLE, export_filename, with_export_name
from dashboard.views import ShownChart, ThemeView, theme_view

PAGE = PanelPage(key="theme", path="/autres", title="Autres thèmes", order=7, nav=False)

# Charts sent drawn with the page: two rows on a wide screen, the most a page of the embedded data draws. The
# others come when they near the window: a caisse that publishes the whole catalog has some thirty charts
# on a page, and Dash's renderer spends a quarter of a second on each one it receives (measured at scale).
EAGER_CHARTS = 4
OUTDATED_CHART = (
    "Les chiffres ont changé depuis l'ouverture de la page : rechargez-la pour voir ce graphique."
)

TABLE_COLUMNS = (
    ("caisse", "Caisse"),
    ("annee", "Année"),
    ("indicateur", "Indicateur"),
    ("valeur", "Valeur"),
    ("periode", "Période"),
    ("nature", "Nature"),
    ("source", "Source"),
)


def theme_at(catalog: Catalog, path: object) -> Theme | None:
    """The theme whose page is at this address; « /autres » alone opens the first of that menu."""
    if not isinstance(path, str):
        return None
    clean = "/" + path.strip("/")
    ordered = sorted(catalog.themes, key=lambda t: t.ordre)
    if clean == PAGE.path:
        return next((t for t in ordered if not t.menu), None)
    return next((t for t in ordered if t.chemin == clean), None)


def serves(catalog: Catalog, path: str) -> bool:
    """Whether an address is a theme page's."""
    return theme_at(catalog, path) is not None


def layout(repo: CachedRepository, path: str) -> Component:
    """The page frame of the theme at this address; the callback fills it for the filters."""
    theme = theme_at(repo.catalog, path)
    if theme is None:
        return not_found(path)
    return html.Div(
        [
            page_header(PAGE.key, theme.libelle, theme.intro),
            dcc.Loading(html.Div(id=ids.THEME_BODY), type="default", delay_show=300),
            html.H2("Tous les chiffres publiés du thème", className="section-title"),
            html.P(id=ids.THEME_TABLE_NOTE, className="table-note"),
            html.Div(
                DataTable(
                    id=ids.THEME_TABLE,
                    columns=[{"name": name, "id": key} for key, name in TABLE_COLUMNS],
                    data=[],
                    sort_action="native",
                    page_size=15,
                    style_table={"overflowX": "auto"},
                    style_cell=TABLE_CELL_STYLE,
                    style_header=TABLE_HEADER_STYLE,
                ),
                id=ids.THEME_TABLE_WRAP,
            ),
        ],
        **html_attrs(data_theme=theme.code),
    )


def unpublished_line(indicators: tuple[Indicator, ...], what: str) -> html.P | None:
    """« Non publiés pour cette sélection : … », each name linked to its definition."""
    if not indicators:
        return None
    links: list[Any] = [f"{what} : "]
    for i, ind in enumerate(indicators):
        if i:
            links.append(", ")
        links.append(dcc.Link(ind.libelle, href=indicator_href(ind.code), title=ind.definition))
    return html.P(links, className="unpublished-line")


def theme_body(view: ThemeView, filters: Filters, names: dict[str, str], section: str) -> list[Any]:
    """Cards, charts and the line of what nobody published; a sentence when nothing at all was."""
    if view.empty:
        return []  # the table's note says so, once
    key = view.theme.page_key
    filename = export_filename(section, list(filters.caisses), filters.annee)
    body: list[Any] = []
    if view.cards:
        body.append(html.H2("Chiffres clés", className="section-title"))
        body.extend(
            build_kpi_section(
                view.cards, comparison=filters.comparaison, caisse_names=names, year=filters.annee
            )
        )
    if view.charts:
        body.append(html.H2("Graphiques", className="section-title"))
        search = to_query(filters)
        cards = [
            chart_card(key, chart, filename)
            if index < EAGER_CHARTS
            else build_waiting_card(
                key, chart.spec.key, chart.spec.title, summary=chart.summary, search=search
            )
            for index, chart in enumerate(view.charts)
        ]
        body.append(html.Div(cards, className="chart-grid"))
    line = unpublished_line(view.unpublished, "Non publiés pour cette sélection")
    if line is not None:
        body.append(line)
    return body


def chart_card(panel: str, chart: ShownChart, filename: str) -> html.Figure:
    """A drawn chart's card, its figure named for its image exports."""
    figure = with_export_name(figure_json(chart.built.figure), f"{filename}_{chart.spec.key}")
    return build_figure_card(panel, chart.spec.key, chart.spec.title, figure=figure, summary=chart.summary)


def view_label(filters: Filters, names: dict[str, str]) -> str:
    """« CPAM de la Vendée en 2020 (ni en 2019) »: whom and when a sentence speaks of."""
    who = ", ".join(names.get(c, c) for c in filters.caisses[:3])
    if len(filters.caisses) > 3:
        who = f"{len(filters.caisses)} caisses"
    when = f"en {filters.annee}"
    if filters.comparaison is not None:
        when += f" ni en {filters.comparaison}"
    return f"{who} {when}"


def table_rows(rows: pd.DataFrame, catalog: Catalog) -> list[dict[str, Any]]:
    """Every figure of the selection as table rows; a calculated value says so."""
    records = rows.sort_values([col.ANNEE, col.CAISSE_NOM], ascending=[False, True]).to_dict("records")
    result = []
    for record in records:
        indicator = catalog.get(str(record[col.INDICATEUR]))
        nature = str(record[col.NATURE])
        ref = record[col.ANNEE_REFERENCE]
        nature_text = format_nature(nature) + ("" if pd.isna(ref) else f" depuis {int(ref)}")
        if bool(record[col.DERIVE]):
            nature_text += " — valeur calculée"
        result.append(
            {
                "caisse": record[col.CAISSE_NOM],
                "annee": int(record[col.ANNEE]),
                "indicateur": indicator.libelle,
                "valeur": value_text(
                    float(record[col.VALEUR]),
                    str(record[col.UNITE]),
                    str(record[col.QUALIFICATIF]),
                    nature,
                    indicator.unite,
                ),
                "periode": format_periode(str(record[col.PERIODE])),
                "nature": nature_text,
                "source": record[col.SOURCE],
            }
        )
    return result


def theme_frame(repo: CachedRepository, indicators: Sequence[Indicator], filters: Filters) -> pd.DataFrame:
    """The chosen caisses' figures of these indicators, every year up to the selected one (for trends)."""
    return repo.observations(
        caisses=filters.caisses,
        years=[y for y in repo.choices().years if y <= filters.annee],
        indicators=[i.code for i in indicators],
    )


def cached_view(repo: CachedRepository, theme: Theme, filters: Filters) -> ThemeView:
    """The theme's view for the filters, computed once per data version and selection."""

    def compute() -> ThemeView:
        indicators = repo.catalog.by_theme(theme.code)
        frame = theme_frame(repo, indicators, filters)
        return theme_view(theme, indicators, repo.catalog, frame, selection(filters, repo))

    return repo.cached(f"theme-view:{theme.code}:{to_query(filters)}", compute)


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """One callback fills every theme page; a chart's table is sent only when opened."""

    @app.callback(
        Output(ids.THEME_BODY, "children"),
        Output(ids.THEME_TABLE, "data"),
        Output(ids.THEME_TABLE_NOTE, "children"),
        Output(ids.THEME_TABLE_WRAP, "hidden"),
        Output(subtitle_id(PAGE.key), "children"),
        *page_inputs(PAGE.key),
        State(ids.URL, "pathname"),
    )
    def update_theme_page(change: Any, _ready: Any, pathname: Any) -> tuple[Any, ...]:
        theme = theme_at(repo.catalog, pathname)
        if theme is None:
            raise PreventUpdate
        filters = changed_filters(change, repo)

        def render() -> tuple[Any, ...]:
            view = cached_view(repo, theme, filters)
            names = selection(filters, repo).names
            note = (
                f"Aucun chiffre publié sur ce thème pour {view_label(filters, dict(names))}."
                if view.empty
                else f"{format_published_count(view.count)}."
            )
            body = theme_body(view, filters, dict(names), theme.libelle)
            return body, table_rows(view.rows, repo.catalog), note

        body, rows, note = cached_answer(repo, f"theme-page:{theme.code}:{to_query(filters)}", render)
        return body, rows, note, not rows, selection(filters, repo).subtitle

    waiting = {"panel": MATCH, "chart": MATCH, "sel": MATCH}

    @app.callback(
        Output({"type": "figure-slot", **waiting}, "children"),
        Output({"type": "figure-slot", **waiting}, "className"),
        Input({"type": "figure-wanted", **waiting}, "data"),
        State({"type": "figure-wanted", **waiting}, "id"),
        State(ids.URL, "pathname"),
        prevent_initial_call=True,
    )
    def update_waiting_chart(search: Any, wanted_id: Any, pathname: Any) -> tuple[Any, str]:
        """A chart that nears the window, for the selection its place was made for."""
        theme = theme_at(repo.catalog, pathname)
        if (
            theme is None
            or not isinstance(search, str)
            or not isinstance(wanted_id, dict)
            or wanted_id.get("panel") != theme.page_key  # the page has changed meanwhile
        ):
            raise PreventUpdate
        filters = changed_filters({"search": search}, repo)
        key = wanted_id.get("chart")

        def draw() -> html.Figure:
            chart = next((c for c in cached_view(repo, theme, filters).charts if c.spec.key == key), None)
            if chart is None:  # nothing is cached for an unknown chart
                raise LookupError(key)
            filename = export_filename(theme.libelle, list(filters.caisses), filters.annee)
            return chart_card(theme.page_key, chart, filename)

        card: Any
        try:
            card = cached_answer(repo, f"theme-chart:{theme.code}:{to_query(filters)}:{key}", draw)
        except LookupError:
            # The figures changed since the page was drawn (an import): said, rather than a wait forever.
            card = html.P(OUTDATED_CHART, className="chart-card chart-outdated")
        return card, WAITING_ANSWER_CLASS  # the place is no longer a card of its own, only the card's slot

    @app.callback(
        Output(ids.pattern("figure-table", MATCH, MATCH), "children"),
        Input(ids.pattern("figure-details", MATCH, MATCH), "n_clicks"),
        State(ids.pattern("figure-details", MATCH, MATCH), "id"),
        page_state(),
        State(ids.URL, "pathname"),
        prevent_initial_call=True,
    )
    def update_figure_table(n_clicks: Any, details_id: Any, change: Any, pathname: Any) -> Any:
        theme = theme_at(repo.catalog, pathname)
        if theme is None or not isinstance(details_id, dict) or not isinstance(n_clicks, int):
            raise PreventUpdate
        if n_clicks % 2 == 0:
            return no_update  # closed: the table keeps its content, unseen
        view = cached_view(repo, theme, changed_filters(change, repo))
        for chart in view.charts:
            if chart.spec.key == details_id.get("chart"):
                return build_data_table(chart.plan.rows, repo.catalog)
        raise PreventUpdate


def validation_sample() -> html.Div:
    """One chart card of each id pattern, for the validation layout (theme charts are drawn per selection)."""
    return html.Div(
        [
            build_figure_card("contact-channels", "exemple", "Exemple"),
            build_waiting_card("contact-channels", "plus-bas", "Plus bas", summary="", search=""),
        ]
    )
