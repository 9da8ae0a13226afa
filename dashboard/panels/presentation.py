"""Mode présentation: one page per screen, large type for a projector, arrow keys to move, full screen.

Every screen is in the layout from the start and the browser shows one at a time (``assets/presentation.js``:
arrow keys, Page up/down, Home/End, F or the button for full screen), so moving is instant and needs no
server round trip. One callback fills every screen for the filters of the moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final, cast

from dash import ALL, Dash, Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component

from dashboard import ids
from dashboard.analysis import key_figure
from dashboard.cache import CachedRepository
from dashboard.components import html_attrs
from dashboard.components.kpi_card import build_kpi_card
from dashboard.data.catalog import Indicator
from dashboard.formatting import format_date
from dashboard.panels.common import caisse_names, current_filters, page_header, ready_id, selection_label
from dashboard.panels.figure_index import IndexedChart, draw, figure_index
from dashboard.panels.page import PanelPage
from dashboard.theme import export_filename, graph_config, with_export_name

PAGE = PanelPage(key="presentation", path="/presentation", title="Présentation", order=11)

DECK: Final = "presentation-deck"
FILTERS: Final = "presentation-filters"
COVER: Final = "presentation-cover"
COUNTER: Final = "presentation-counter"
MAX_CARDS: Final = 8


def cards_id(screen: Any) -> dict[str, Any]:
    """The key-figure cards of a screen."""
    return {"type": "presentation-cards", "screen": screen}


def figure_id(screen: Any) -> dict[str, Any]:
    """The lead chart of a screen."""
    return {"type": "presentation-figure", "screen": screen}


@dataclass(frozen=True, slots=True)
class Screen:
    """One screen: a page (or theme) with key figures, its key indicators and its lead chart."""

    key: str
    title: str
    indicators: tuple[Indicator, ...]
    lead: IndexedChart


def screens(repo: CachedRepository) -> list[Screen]:
    """The screens, in navigation order: every page or theme whose charts hold a key figure."""
    found: dict[str, Screen] = {}
    for item in figure_index(repo).values():
        key = item.path.strip("/").replace("/", "-")
        if key in found or not item.holds_key_figure:
            continue
        essentials = tuple(ind for ind in item.indicators if ind.essentiel)[:MAX_CARDS]
        found[key] = Screen(key, item.section, essentials, item)
    return list(found.values())


def _button(label: str, action: str) -> html.Button:
    return html.Button(
        label, className="btn btn-outline-light btn-sm me-2", **html_attrs(data_presentation=action)
    )


def layout(repo: CachedRepository, path: str) -> Component:
    """A cover screen, then one screen per page; the first is shown, the script shows the others."""
    shown = screens(repo)
    sections: list[Component] = [
        html.Section(
            [
                html.P("Qualité de service des CPAM", className="presentation-kicker"),
                html.H2(id=COVER, className="presentation-cover-title"),
                html.P(f"Présenté le {format_date(date.today())}", className="presentation-date"),
                html.Ol([html.Li(s.title) for s in shown], className="presentation-agenda"),
            ],
            className="presentation-screen presentation-cover is-current",
            **html_attrs(data_title="Couverture", aria_label="Couverture"),
        )
    ]
    for screen in shown:
        sections.append(
            html.Section(
                [
                    html.H2(screen.title, className="presentation-title"),
                    html.Div(id=cards_id(screen.key), className="presentation-cards"),
                    html.Div(
                        dcc.Graph(
                            id=figure_id(screen.key),
                            config=cast(Any, graph_config(f"presentation_{screen.key}")),
                            responsive=True,
                            style={"height": "100%", "width": "100%"},
                        ),
                        className="presentation-chart",
                    ),
                ],
                className="presentation-screen",
                hidden=True,
                **html_attrs(data_title=screen.title, aria_label=screen.title),
            )
        )
    return html.Div(
        [
            page_header(
                PAGE.key,
                "Mode présentation",
                "Un écran par page, en grands caractères pour le vidéoprojecteur. Passez en plein écran, "
                "puis changez d'écran avec les flèches ← et → (ou Page précédente / Page suivante, Début, "
                "Fin) ; F bascule le plein écran, Échap le quitte.",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            _button("Plein écran", "fullscreen"),
                            _button("← Précédent", "previous"),
                            _button("Suivant →", "next"),
                            html.Span(
                                f"Écran 1 sur {len(sections)} : Couverture",
                                id=COUNTER,
                                className="presentation-counter",
                                **html_attrs(aria_live="polite"),
                            ),
                        ],
                        className="presentation-controls",
                    ),
                    html.Div(sections, className="presentation-screens"),
                    html.P(id=FILTERS, className="presentation-filters"),
                ],
                id=DECK,
                className="presentation",
                tabIndex="-1",
                **html_attrs(aria_label="Présentation", role="region"),
            ),
        ]
    )


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """One callback fills the cover, every screen's cards and chart, and the filters line."""

    @app.callback(
        Output(COVER, "children"),
        Output(FILTERS, "children"),
        Output({"type": "page-subtitle", "panel": PAGE.key}, "children"),
        Output(cards_id(ALL), "children"),
        Output(figure_id(ALL), "figure"),
        Input(ids.URL, "search"),
        Input(ready_id(PAGE.key), "data"),
        State(figure_id(ALL), "id"),
    )
    def update_presentation(search: Any, _ready: Any, screen_ids: list[dict[str, str]]) -> tuple[Any, ...]:
        filters = current_filters(search, repo)
        by_key = {s.key: s for s in screens(repo)}
        names = caisse_names(repo)
        cards: list[Any] = []
        figures: list[Any] = []
        for screen_id in screen_ids:
            screen = by_key.get(screen_id.get("screen", "")) if isinstance(screen_id, dict) else None
            if screen is None:  # a forged id: leave it alone
                cards.append(no_update)
                figures.append(no_update)
                continue
            built, _ = draw(repo, filters, screen.lead)
            frame = repo.observations(
                caisses=filters.caisses,
                years=filters.years,
                indicators=[i.code for i in screen.lead.indicators],
            )
            cards.append(
                [
                    build_kpi_card(
                        key_figure(frame, ind, filters.caisses, filters.annee, filters.comparaison),
                        comparison=filters.comparaison,
                        caisse_names=names,
                    )
                    for ind in screen.indicators
                ]
            )
            name = export_filename(screen.title, list(filters.caisses), filters.annee)
            figures.append(with_export_name(built.figure.to_plotly_json(), f"{name}_{screen.lead.spec.key}"))
        label = selection_label(filters, repo)
        return label, f"Filtres : {label}", label, cards, figures
