"""Vue d'ensemble: every key figure the selection published, and which themes have figures."""

from __future__ import annotations

from typing import Any

from dash import MATCH, Dash, Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.components.kpi_card import build_kpi_section
from dashboard.data.catalog import Theme
from dashboard.filters import Filters, to_query
from dashboard.formatting import format_published_count
from dashboard.panels.common import (
    cached_answer,
    caisse_names,
    changed_filters,
    is_open,
    page_header,
    page_inputs,
    page_state,
    selection,
    selection_label,
    subtitle_id,
)
from dashboard.panels.page import PanelPage
from dashboard.panels.theme_page import unpublished_line
from dashboard.views import OverviewView, overview_view, themes_in_order

PAGE = PanelPage(key="overview", path="/", title="Vue d'ensemble", order=0)


def layout(repo: CachedRepository, path: str) -> Component:
    """Cards and the themes' list, filled by the callback."""
    return html.Div(
        [
            page_header(
                PAGE.key,
                "Vue d'ensemble",
                "Les chiffres publiés par la ou les caisses choisies : les chiffres clés d'abord, puis les "
                "autres par thème, comparés à l'année de comparaison quand les deux années sont publiées et "
                "comparables. Chaque carte donne sa définition et ses sources.",
            ),
            dcc.Loading(html.Div(id=ids.OVERVIEW_CARDS), type="default", delay_show=300),
            html.H2("Thèmes", className="section-title"),
            html.Div(id=ids.OVERVIEW_THEMES),
        ]
    )


def _theme_link(theme: Theme, search: str, count: int | None) -> html.Li:
    status = format_published_count(count) if count else "aucun chiffre publié"
    return html.Li([dcc.Link(theme.libelle, href=theme.chemin + search), html.Span(f" — {status}")])


def _theme_list(view: OverviewView, themes: tuple[Theme, ...], search: str) -> list[Component]:
    with_figures, without = themes_in_order(themes, view.counts)
    parts: list[Component] = []
    if with_figures:
        parts.append(
            html.Ul(
                [_theme_link(t, search, view.counts[t.code]) for t in with_figures],
                className="theme-list",
            )
        )
    if without:
        parts.append(html.H3("Sans chiffre publié", className="subsection-title"))
        parts.append(
            html.Ul([_theme_link(t, search, None) for t in without], className="theme-list theme-empty")
        )
    return parts


def _cards(view: OverviewView, filters: Filters, names: dict[str, str]) -> list[Component]:
    parts: list[Component] = []
    if not view.essentials and not view.by_theme:
        parts.append(html.P("Aucun chiffre publié pour cette sélection.", className="empty"))
    if view.essentials:
        parts.append(html.H2("Chiffres clés", className="section-title"))
        parts.extend(
            build_kpi_section(
                view.essentials, comparison=filters.comparaison, caisse_names=names, year=filters.annee
            )
        )
    line = unpublished_line(view.unpublished, "Chiffres clés non publiés pour cette sélection")
    if line is not None:
        parts.append(line)
    if view.by_theme:
        parts.append(html.H2("Autres chiffres publiés", className="section-title"))
        # One disclosure per theme, its cards sent when opened: a caisse publishing a hundred figures
        # would otherwise make a page of a thousand components, slow for the browser to draw.
        parts.extend(
            html.Details(
                [
                    html.Summary(
                        [
                            html.Span(theme.libelle, className="subsection-title"),
                            f" — {format_published_count(len(cards))}",
                        ],
                        id=theme_summary_id(theme.code),
                    ),
                    html.Div(id=theme_cards_id(theme.code), className="overview-theme-cards"),
                ],
                className="overview-theme",
            )
            for theme, cards in view.by_theme
        )
    return parts


def theme_summary_id(theme: Any) -> dict[str, Any]:
    """The summary that opens a theme's other published figures on the overview."""
    return {"type": "overview-theme-summary", "theme": theme}


def theme_cards_id(theme: Any) -> dict[str, Any]:
    """The cards of a theme's other published figures, sent when its summary is opened."""
    return {"type": "overview-theme-cards", "theme": theme}


def _view(repo: CachedRepository, filters: Filters) -> OverviewView:
    def compute() -> OverviewView:
        frame = repo.observations(caisses=filters.caisses, years=filters.years)
        return overview_view(repo.catalog, frame, selection(filters, repo))

    return repo.cached(f"overview-view:{to_query(filters)}", compute)


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """One callback fills the cards, the subtitle and the themes."""

    @app.callback(
        Output(ids.OVERVIEW_CARDS, "children"),
        Output(ids.OVERVIEW_THEMES, "children"),
        Output(subtitle_id(PAGE.key), "children"),
        *page_inputs(PAGE.key),
    )
    def update_overview(change: Any, _ready: Any) -> tuple[Any, ...]:
        filters = changed_filters(change, repo)
        query = to_query(filters)

        def render() -> tuple[list[Component], list[Component]]:
            view = _view(repo, filters)
            names = caisse_names(repo)
            return _cards(view, filters, names), _theme_list(view, repo.catalog.themes, query)

        # The cards and counts are the costly part: computed once per data version and selection.
        cards, themes = cached_answer(repo, f"overview:{query}", render)
        return cards, themes, selection_label(filters, repo)

    @app.callback(
        Output(theme_cards_id(MATCH), "children"),
        Input(theme_summary_id(MATCH), "n_clicks"),
        State(theme_summary_id(MATCH), "id"),
        page_state(),
        prevent_initial_call=True,
    )
    def update_overview_theme(n_clicks: Any, summary_id: Any, change: Any) -> Any:
        if not is_open(n_clicks) or not isinstance(summary_id, dict):
            return no_update  # closed: the cards stay, unseen
        filters = changed_filters(change, repo)
        found = dict(_view(repo, filters).by_theme_codes()).get(str(summary_id.get("theme")))
        if found is None:
            raise PreventUpdate
        return build_kpi_section(
            found, comparison=filters.comparaison, caisse_names=caisse_names(repo), year=filters.annee
        )


def validation_sample() -> html.Details:
    """One theme disclosure, for the validation layout (they are drawn per selection)."""
    return html.Details(
        [html.Summary(id=theme_summary_id("exemple")), html.Div(id=theme_cards_id("exemple"))]
    )
