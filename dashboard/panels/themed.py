"""What the theme pages share: key-figure cards, catalog-driven charts, and the table of every figure.

A themed page is a ``PanelPage`` whose ``catalog_panel`` names the catalog themes it shows; its charts come
from the catalog (``charts.chart_specs``), so a new catalog row appears without a new callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from dash import ALL, MATCH, Dash, Input, Output, State, html, no_update
from dash.dash_table.DataTable import DataTable
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.analysis import key_figures
from dashboard.cache import CachedRepository
from dashboard.charts import ChartSpec, build_chart, chart_specs
from dashboard.components.figure_card import build_data_table, build_figure_card, value_text
from dashboard.components.kpi_card import build_kpi_card
from dashboard.data import columns as col
from dashboard.data.catalog import Indicator
from dashboard.filters import Filters, to_query
from dashboard.formatting import format_nature, format_periode
from dashboard.panels.common import (
    caisse_names,
    current_filters,
    is_open,
    page_header,
    ready_id,
    selection_label,
)
from dashboard.panels.page import PanelPage
from dashboard.theme import TABLE_CELL_STYLE, TABLE_HEADER_STYLE, export_filename, with_export_name

MAX_CHARTS = 40  # more chart ids than any page has: the request was forged


@dataclass(frozen=True, slots=True)
class ThemeView:
    """Everything a themed page shows for one selection."""

    cards: list[Any]
    figures: list[dict[str, Any]]
    summaries: list[str]
    tables: list[Any]
    rows: list[dict[str, Any]]
    subtitle: str


def indicators_of(repo: CachedRepository, page: PanelPage, theme: str | None) -> tuple[Indicator, ...]:
    """The catalog indicators a themed page shows (one theme for the « autres thèmes » page)."""
    if theme is not None:
        return repo.catalog.by_theme(theme)
    assert page.catalog_panel is not None
    return repo.catalog.by_panel(page.catalog_panel)


def themed_layout(
    page: PanelPage,
    repo: CachedRepository,
    specs: list[ChartSpec],
    title: str,
    intro: str,
    *,
    key_figures: bool = True,
) -> html.Div:
    """The page frame; every figure is filled by the page's single callback."""
    return html.Div(
        [
            page_header(page.key, title, intro),
            html.H2("Chiffres clés", className="section-title", hidden=not key_figures),
            html.Div(id=ids.panel_cards(page.key), className="kpi-grid"),
            html.H2("Graphiques", className="section-title"),
            html.Div([build_figure_card(page.key, s.key, s.title) for s in specs], className="chart-grid"),
            html.H2("Tous les chiffres publiés du thème", className="section-title"),
            DataTable(
                id=ids.panel_table(page.key),
                columns=[
                    {"name": name, "id": key}
                    for key, name in (
                        ("caisse", "Caisse"),
                        ("annee", "Année"),
                        ("indicateur", "Indicateur"),
                        ("valeur", "Valeur"),
                        ("periode", "Période"),
                        ("nature", "Nature"),
                        ("source", "Source"),
                    )
                ],
                data=[],
                sort_action="native",
                page_size=15,
                style_table={"overflowX": "auto"},
                style_cell=TABLE_CELL_STYLE,
                style_header=TABLE_HEADER_STYLE,
            ),
        ]
    )


def theme_view(
    repo: CachedRepository,
    filters: Filters,
    indicators: tuple[Indicator, ...],
    chart_keys: list[str],
    section: str,
) -> ThemeView:
    """Cards, charts and table rows of a themed page for the selection; ``section`` names the downloads."""
    codes = [ind.code for ind in indicators]
    frame = repo.observations(caisses=filters.caisses, years=filters.years, indicators=codes)
    names = caisse_names(repo)
    subtitle = selection_label(filters, repo, with_comparison=False)
    specs = {s.key: s for s in chart_specs(indicators, repo.catalog)}
    essentials = [ind for ind in indicators if ind.essentiel]
    cards = [
        build_kpi_card(card, comparison=filters.comparaison, caisse_names=names)
        for card in key_figures(frame, essentials, filters.caisses, filters.annee, filters.comparaison)
    ]
    figures, summaries, tables = [], [], []
    filename = export_filename(section, list(filters.caisses), filters.annee)
    for key in chart_keys:
        spec = specs.get(key)
        if spec is None:  # an id the page never had: a forged request
            raise PreventUpdate
        built = build_chart(
            spec, frame, caisses=filters.caisses, year=filters.annee, subtitle=subtitle, names=names
        )
        figures.append(with_export_name(built.figure.to_plotly_json(), f"{filename}_{key}"))
        summaries.append(built.summary)
        tables.append(build_data_table(built.rows, repo.catalog))
    return ThemeView(cards, figures, summaries, tables, _rows(frame, repo), subtitle)


def _rows(frame: pd.DataFrame, repo: CachedRepository) -> list[dict[str, Any]]:
    catalog = repo.catalog
    rows = []
    for record in frame.sort_values([col.ANNEE, col.CAISSE_NOM], ascending=[False, True]).to_dict("records"):
        indicator = catalog.get(record[col.INDICATEUR])
        nature = str(record[col.NATURE])
        ref = record[col.ANNEE_REFERENCE]
        rows.append(
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
                "nature": format_nature(nature) + ("" if pd.isna(ref) else f" depuis {int(ref)}"),
                "source": record[col.SOURCE],
            }
        )
    return rows


def register_themed_callbacks(app: Dash, repo: CachedRepository, page: PanelPage, theme_of_path: Any) -> None:
    """One callback per themed page fills every card, chart, caption and table (pattern-matching ``ALL``).

    A chart's « voir les données » table is sent only while its disclosure is open: the hidden tables were
    most of the components a filter change rebuilt in the browser. Opening one fills it (a ``MATCH``
    callback, answered from the cached view).
    """
    key = page.key

    def view_for(search: Any, pathname: Any, figure_ids: list[dict[str, str]]) -> ThemeView:
        filters = current_filters(search, repo)
        theme = theme_of_path(pathname)
        charts = [str(i.get("chart")) for i in figure_ids[:MAX_CHARTS] if isinstance(i, dict)]
        indicators = indicators_of(repo, page, theme)
        # Downloads are named in French after what the page shows: « canaux-de-contact_cpam-21_2024_… ».
        section = repo.catalog.theme(theme).libelle if theme else page.title
        return repo.cached(
            f"view:{key}:{theme}:{to_query(filters)}:{','.join(charts)}",
            lambda: theme_view(repo, filters, indicators, charts, section),
        )

    @app.callback(
        Output(ids.panel_cards(key), "children"),
        Output(ids.pattern("figure", key, ALL), "figure"),
        Output(ids.pattern("figure-summary", key, ALL), "children"),
        Output(ids.pattern("figure-table", key, ALL), "children"),
        Output(ids.panel_table(key), "data"),
        Output({"type": "page-subtitle", "panel": key}, "children"),
        Input(ids.URL, "search"),
        Input(ready_id(key), "data"),
        State(ids.URL, "pathname"),
        State(ids.pattern("figure", key, ALL), "id"),
        State(ids.pattern("figure-details", key, ALL), "n_clicks"),
    )
    def update_theme_page(
        search: Any, _ready: Any, pathname: Any, figure_ids: list[dict[str, str]], opened: list[Any]
    ) -> tuple[Any, ...]:
        view = view_for(search, pathname, figure_ids)
        tables = [table if is_open(n) else no_update for table, n in zip(view.tables, opened, strict=False)]
        return view.cards, view.figures, view.summaries, tables, view.rows, view.subtitle

    @app.callback(
        Output(ids.pattern("figure-table", key, MATCH), "children", allow_duplicate=True),
        Input(ids.pattern("figure-details", key, MATCH), "n_clicks"),
        State(ids.pattern("figure-details", key, MATCH), "id"),
        State(ids.URL, "search"),
        State(ids.URL, "pathname"),
        State(ids.pattern("figure", key, ALL), "id"),
        prevent_initial_call=True,
    )
    def update_figure_table(
        n_clicks: Any, details_id: Any, search: Any, pathname: Any, figure_ids: list[dict[str, str]]
    ) -> Any:
        if not is_open(n_clicks) or not isinstance(details_id, dict):
            return no_update  # closed: the table keeps its content, unseen
        charts = [str(i.get("chart")) for i in figure_ids[:MAX_CHARTS] if isinstance(i, dict)]
        if details_id.get("chart") not in charts:
            raise PreventUpdate
        return view_for(search, pathname, figure_ids).tables[charts.index(str(details_id["chart"]))]
