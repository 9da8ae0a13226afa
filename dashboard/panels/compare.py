"""Comparer: one indicator across caisses (sorted bars) and across years (lines; gaps stay gaps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update
from dash.development.base_component import Component

from dashboard import ids
from dashboard.analysis import whole_year_levels
from dashboard.cache import CachedRepository
from dashboard.charts import sources_line
from dashboard.components.export_links import COMPARE_LINK_TYPE
from dashboard.components.figure_card import build_data_table, build_figure_card
from dashboard.data import columns as col
from dashboard.figures import FigureText, build_ranking_bars, build_trend_lines, figure_json
from dashboard.filters import Filters, to_query
from dashboard.panels.common import (
    caisse_names,
    changed_filters,
    is_open,
    page_header,
    page_state,
    ready_id,
    selection_label,
    subtitle_id,
)
from dashboard.panels.page import PanelPage
from dashboard.theme import export_filename, with_export_name

PAGE = PanelPage(key="compare", path="/comparer", title="Comparer", order=9)
DEFAULT_INDICATOR = "demandes_total"


def _options(repo: CachedRepository) -> list[dict[str, str]]:
    catalog = repo.catalog
    return [
        {"label": f"{catalog.theme(ind.theme).libelle} — {ind.libelle}", "value": ind.code}
        for theme in sorted(catalog.themes, key=lambda t: t.ordre)
        for ind in catalog.by_theme(theme.code)
    ]


def layout(repo: CachedRepository, path: str) -> Component:
    """The indicator picker and the two charts."""
    default = DEFAULT_INDICATOR if DEFAULT_INDICATOR in repo.catalog else repo.catalog.indicators[0].code
    return html.Div(
        [
            page_header(
                PAGE.key,
                "Comparer",
                "Un indicateur d'une caisse à l'autre pour l'année choisie (toutes les caisses qui l'ont "
                "publié, vos caisses en couleur), puis d'une année à l'autre pour les caisses choisies. "
                "Une année non publiée reste un trou dans la courbe.",
            ),
            html.Div(
                [
                    html.Label("Indicateur", htmlFor=ids.COMPARE_INDICATOR, className="form-label"),
                    dbc.Select(id=ids.COMPARE_INDICATOR, options=_options(repo), value=default),
                ],
                className="compare-picker",
            ),
            html.Div(
                [
                    build_figure_card(
                        PAGE.key, "classement", "classement des caisses", link_type=COMPARE_LINK_TYPE
                    ),
                    build_figure_card(
                        PAGE.key, "evolution", "évolution dans le temps", link_type=COMPARE_LINK_TYPE
                    ),
                ],
                className="chart-grid",
            ),
        ]
    )


@dataclass(frozen=True, slots=True)
class CompareView:
    """What the page shows for one indicator: each chart (a plotly dict), its sentence and its table."""

    ranking: dict[str, Any]
    ranking_text: str
    ranking_table: Component
    trend: dict[str, Any]
    trend_text: str
    trend_table: Component
    subtitle: str

    def figure(self, chart: str) -> dict[str, Any]:
        """The chart of a card key (« classement » or « evolution »)."""
        return self.ranking if chart == "classement" else self.trend

    def table(self, chart: str) -> Component:
        """The « voir les données » table of a card key."""
        return self.ranking_table if chart == "classement" else self.trend_table


def indicator_of(repo: CachedRepository, fragment: Any) -> str | None:
    """The indicator an address names after its « # » (``/comparer?annee=2024#appels_3646_recus``)."""
    code = fragment.lstrip("#") if isinstance(fragment, str) else ""
    return code if code in repo.catalog else None


# The two charts, by the key of their card (and of their server export address), and what they show.
CHARTS: Final[dict[str, str]] = {
    "classement": "classement des caisses",
    "evolution": "évolution dans le temps",
}


def compare_chart(
    repo: CachedRepository, filters: Filters, code: str, chart: str
) -> tuple[dict[str, Any], str]:
    """One chart of the page as a plotly dict, and its title, for the server export of that chart."""
    view = repo.cached(f"compare:{to_query(filters)}:{code}", lambda: _compare_view(repo, filters, code))
    return view.figure(chart), f"{repo.catalog.get(code).libelle} — {CHARTS[chart]}"


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """One callback draws both charts from the filters and the chosen indicator."""

    # The indicator lives in the address too, so a copied link or a bookmark reopens the same comparison.
    @app.callback(
        Output(ids.COMPARE_INDICATOR, "value"),
        Output(ids.URL, "hash"),
        Input(ready_id(PAGE.key), "data"),
        Input(ids.COMPARE_INDICATOR, "value"),
        State(ids.URL, "hash"),
    )
    def update_compare_indicator(_ready: Any, value: Any, fragment: Any) -> tuple[Any, Any]:
        if ctx.triggered_id == ids.COMPARE_INDICATOR:
            code = value if isinstance(value, str) and value in repo.catalog else DEFAULT_INDICATOR
            return no_update, f"#{code}"
        named = indicator_of(repo, fragment)
        return (named, no_update) if named is not None else (no_update, no_update)

    @app.callback(
        Output(ids.figure(PAGE.key, "classement"), "figure"),
        Output(ids.figure_summary(PAGE.key, "classement"), "children"),
        Output(ids.figure_table(PAGE.key, "classement"), "children"),
        Output(ids.figure(PAGE.key, "evolution"), "figure"),
        Output(ids.figure_summary(PAGE.key, "evolution"), "children"),
        Output(ids.figure_table(PAGE.key, "evolution"), "children"),
        Output(subtitle_id(PAGE.key), "children"),
        Input(ids.FILTER_CHANGE, "data"),
        Input(ids.COMPARE_INDICATOR, "value"),
        Input(ready_id(PAGE.key), "data"),
        State(ids.figure_details(PAGE.key, "classement"), "n_clicks"),
        State(ids.figure_details(PAGE.key, "evolution"), "n_clicks"),
    )
    def update_compare(
        change: Any, code: Any, _ready: Any, ranking_open: Any, trend_open: Any
    ) -> tuple[Any, ...]:
        view = compare_view(changed_filters(change, repo), code)
        # A « voir les données » table is sent only while open (105 rows for a ranking at full scale).
        return (
            view.ranking,
            view.ranking_text,
            view.ranking_table if is_open(ranking_open) else no_update,
            view.trend,
            view.trend_text,
            view.trend_table if is_open(trend_open) else no_update,
            view.subtitle,
        )

    def compare_view(filters: Filters, code: Any) -> CompareView:
        if not isinstance(code, str) or code not in repo.catalog:
            code = DEFAULT_INDICATOR
        # Computed once per data version, selection and indicator; the figures are cached as plain dicts.
        return repo.cached(f"compare:{to_query(filters)}:{code}", lambda: _compare_view(repo, filters, code))

    # The server export links carry the filters and the chosen indicator (assets/export_links.js).
    link = {"type": COMPARE_LINK_TYPE, "panel": ALL, "chart": ALL, "variant": ALL}
    app.clientside_callback(
        ClientsideFunction(namespace="cpamServerExport", function_name="compareLinks"),
        Output(link, "href"),
        Input(ids.URL, "search"),
        Input(ids.COMPARE_INDICATOR, "value"),
        State(link, "id"),
    )

    @app.callback(
        Output(ids.pattern("figure-table", PAGE.key, MATCH), "children", allow_duplicate=True),
        Input(ids.pattern("figure-details", PAGE.key, MATCH), "n_clicks"),
        State(ids.pattern("figure-details", PAGE.key, MATCH), "id"),
        page_state(),
        State(ids.COMPARE_INDICATOR, "value"),
        prevent_initial_call=True,
    )
    def update_compare_table(n_clicks: Any, details_id: Any, change: Any, code: Any) -> Any:
        chart = details_id.get("chart") if isinstance(details_id, dict) else None
        if not is_open(n_clicks) or chart not in ("classement", "evolution"):
            return no_update  # closed: the table keeps its content, unseen
        return compare_view(changed_filters(change, repo), code).table(chart)


def _compare_view(repo: CachedRepository, filters: Filters, code: str) -> CompareView:
    """Both charts, their captions and tables for the selection (figures as plain dicts, cheap to cache)."""
    indicator = repo.catalog.get(code)
    every_caisse = [c.id for c in repo.referentiel.caisses]
    year_rows = whole_year_levels(
        repo.observations(caisses=every_caisse, years=[filters.annee], indicators=[code])
    )
    ranking = build_ranking_bars(
        year_rows,
        indicator=indicator,
        text=FigureText(
            indicator.libelle, f"Caisses ayant publié — {filters.annee}", sources_line(year_rows)
        ),
        highlight=filters.caisses,
    )
    choices = repo.choices()
    history = whole_year_levels(repo.observations(caisses=filters.caisses, indicators=[code]))
    subtitle = selection_label(filters, repo, with_comparison=False).rsplit(" — ", 1)[0]
    trend = build_trend_lines(
        history,
        indicator=indicator,
        years=list(choices.years),
        text=FigureText(
            indicator.libelle,
            f"{subtitle} — {choices.years[0]} à {choices.years[-1]}",
            sources_line(history),
        ),
    )
    names = caisse_names(repo)
    ranked = year_rows.sort_values(col.VALEUR, ascending=indicator.sens == "baisse")
    leader = f", en tête : {names.get(str(ranked.iloc[0][col.CAISSE]), '')}" if len(ranked) else ""
    published = {0: "aucune caisse n'a publié ce chiffre", 1: "1 caisse a publié ce chiffre"}.get(
        len(ranked), f"{len(ranked)} caisses ont publié ce chiffre"
    )
    rank_text = f"{indicator.libelle}, {filters.annee} : {published}{leader}."
    trend_years = sorted({int(y) for y in history[col.ANNEE]})
    trend_text = (
        f"{indicator.libelle}, {subtitle} : publié pour " + ", ".join(str(y) for y in trend_years) + "."
        if trend_years
        else f"{indicator.libelle}, {subtitle} : non publié."
    )
    name = export_filename("comparer", list(filters.caisses), filters.annee)
    return CompareView(
        ranking=with_export_name(figure_json(ranking), f"{name}_{code}_classement"),
        ranking_text=rank_text,
        ranking_table=build_data_table(ranked, repo.catalog),
        trend=with_export_name(figure_json(trend), f"{name}_{code}_evolution"),
        trend_text=trend_text,
        trend_table=build_data_table(history, repo.catalog),
        subtitle=selection_label(filters, repo),
    )
