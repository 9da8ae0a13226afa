"""Vue d'ensemble: the key figures of the selection as cards, and which themes have figures."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, dcc, html
from dash.development.base_component import Component

from dashboard import ids
from dashboard.analysis import key_figures, themes_with_figures
from dashboard.cache import CachedRepository
from dashboard.components.kpi_card import build_kpi_card
from dashboard.filters import Filters, to_query
from dashboard.panels.common import caisse_names, current_filters, page_header, ready_id, selection_label
from dashboard.panels.page import PanelPage

PAGE = PanelPage(key="overview", path="/", title="Vue d'ensemble", order=0)


def layout(repo: CachedRepository, path: str) -> Component:
    """Cards and the themes' list, filled by the callback."""
    return html.Div(
        [
            page_header(
                PAGE.key,
                "Vue d'ensemble",
                "Les chiffres clés publiés par la ou les caisses choisies, comparés à l'année de comparaison "
                "quand les deux années sont publiées et comparables. Survolez une carte pour sa définition.",
            ),
            html.H2("Chiffres clés", className="section-title"),
            dcc.Loading(html.Div(id=ids.OVERVIEW_CARDS, className="kpi-grid"), type="default"),
            html.H2("Thèmes publiés pour l'année", className="section-title"),
            html.Div(id=ids.OVERVIEW_THEMES),
        ]
    )


def _theme_list(repo: CachedRepository, counts: dict[str, int], search: str) -> html.Ul:
    panels = {"contact_channels": "/canaux", "teleservices": "/teleservices", "css": "/css"}
    panels |= {"social_action": "/action-sociale", "mediation": "/mediation"}
    items = []
    for theme in sorted(repo.catalog.themes, key=lambda t: t.ordre):
        n = counts.get(theme.code, 0)
        href = panels.get(theme.panneau, f"/autres/{theme.code}") + search
        status = f"{n} chiffre{'s' if n > 1 else ''} publié{'s' if n > 1 else ''}" if n else "non publié"
        items.append(
            html.Li(
                [dcc.Link(theme.libelle, href=href), html.Span(f" — {status}")],
                className="theme-item" + ("" if n else " theme-empty"),
            )
        )
    return html.Ul(items, className="theme-list")


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """One callback fills the cards, the subtitle and the themes."""

    @app.callback(
        Output(ids.OVERVIEW_CARDS, "children"),
        Output(ids.OVERVIEW_THEMES, "children"),
        Output({"type": "page-subtitle", "panel": PAGE.key}, "children"),
        Input(ids.URL, "search"),
        Input(ready_id(PAGE.key), "data"),
    )
    def update_overview(search: Any, _ready: Any) -> tuple[Any, ...]:
        filters = current_filters(search, repo)
        # The cards and counts are the costly part: computed once per data version and selection.
        cards, counts = repo.cached(f"overview:{to_query(filters)}", lambda: _cards_and_counts(repo, filters))
        return cards, _theme_list(repo, counts, search or ""), selection_label(filters, repo)


def _cards_and_counts(repo: CachedRepository, filters: Filters) -> tuple[list[Any], dict[str, int]]:
    frame = repo.observations(caisses=filters.caisses, years=filters.years)
    essentials = [ind for ind in repo.catalog if ind.essentiel]
    names = caisse_names(repo)
    cards = [
        build_kpi_card(card, comparison=filters.comparaison, caisse_names=names)
        for card in key_figures(frame, essentials, filters.caisses, filters.annee, filters.comparaison)
    ]
    return cards, themes_with_figures(frame, {i.code: i.theme for i in repo.catalog}, filters.annee)
