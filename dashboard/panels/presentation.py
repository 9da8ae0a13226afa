"""Mode présentation: one page per screen, large type for a projector, arrow keys to move, full screen.

Every screen is in the layout from the start and the browser shows one at a time (``assets/presentation.js``:
arrow keys, Page up/down, Home/End, F or the button for full screen), so moving is instant and needs no
server round trip. One callback fills every screen for the filters of the moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final, cast

from dash import Dash, Output, dcc, html
from dash.development.base_component import Component

from dashboard.analysis import KeyFigure
from dashboard.cache import CachedRepository
from dashboard.components import html_attrs
from dashboard.components.kpi_card import build_kpi_section
from dashboard.export.projector import for_projector
from dashboard.figures import figure_json
from dashboard.filters import Filters, to_query
from dashboard.formatting import format_date
from dashboard.panels.common import (
    cached_answer,
    caisse_names,
    changed_filters,
    page_header,
    page_inputs,
    selection_label,
    subtitle_id,
)
from dashboard.panels.page import PanelPage
from dashboard.panels.theme_page import cached_view
from dashboard.theme import export_filename, graph_config, with_export_name
from dashboard.views import ShownChart

PAGE = PanelPage(key="presentation", path="/presentation", title="Présentation", order=11)

DECK: Final = "presentation-deck"
FILTERS: Final = "presentation-filters"
COUNTER: Final = "presentation-counter"
MAX_CARDS: Final = 8


SCREENS: Final = "presentation-screens"


@dataclass(frozen=True, slots=True)
class Screen:
    """One screen: a theme the selection published figures on, its key figures and its lead chart."""

    key: str
    title: str
    cards: tuple[KeyFigure, ...]
    chart: ShownChart | None


def screens(repo: CachedRepository, filters: Filters) -> list[Screen]:
    """The screens, in menu order: every theme with a published figure for the filters, none without."""
    found = []
    for theme in sorted(repo.catalog.themes, key=lambda t: t.ordre):
        view = cached_view(repo, theme, filters)
        lead = view.charts[0] if view.charts else None
        # The lead chart's own figures are on it: cards say what it does not, so no number shows twice.
        drawn = set(lead.spec.codes) if lead is not None else set()
        cards = tuple(c for c in view.cards if c.indicator.code not in drawn)[:MAX_CARDS]
        if lead is None and not cards:
            continue
        found.append(Screen(theme.chemin.strip("/").replace("/", "-"), theme.libelle, cards, lead))
    return found


def _screen(screen: Screen, filters: Filters, names: dict[str, str]) -> html.Section:
    parts: list[Any] = [html.H2(screen.title, className="presentation-title")]
    if screen.cards:
        parts.append(
            html.Div(
                build_kpi_section(
                    screen.cards, comparison=filters.comparaison, caisse_names=names, year=filters.annee
                ),
                className="presentation-cards",
            )
        )
    if screen.chart is not None:
        name = export_filename(screen.title, list(filters.caisses), filters.annee)
        figure = with_export_name(
            for_projector(figure_json(screen.chart.built.figure)), f"{name}_{screen.chart.spec.key}"
        )
        parts.append(
            html.Div(
                dcc.Graph(
                    figure=figure,
                    # No toolbar in front of an audience; the chart's text at projector size.
                    config=cast(Any, {**graph_config(f"presentation_{screen.key}"), "displayModeBar": False}),
                    responsive=True,
                    style={"height": "100%", "width": "100%"},
                ),
                className="presentation-chart",
            )
        )
    return html.Section(
        parts,
        className="presentation-screen",
        hidden=True,
        **html_attrs(data_title=screen.title, aria_label=screen.title),
    )


def _cover(shown: list[Screen], label: str) -> html.Section:
    agenda = (
        html.Ol([html.Li(s.title) for s in shown], className="presentation-agenda")
        if shown
        else html.P("Aucun chiffre publié pour cette sélection.", className="presentation-agenda")
    )
    return html.Section(
        [
            html.P("Qualité de service des CPAM", className="presentation-kicker"),
            html.H2(label, className="presentation-cover-title"),
            html.P(f"Présenté le {format_date(date.today())}", className="presentation-date"),
            agenda,
        ],
        className="presentation-screen presentation-cover is-current",
        **html_attrs(data_title="Couverture", aria_label="Couverture"),
    )


def _button(label: str, action: str) -> html.Button:
    return html.Button(
        label, className="btn btn-outline-light btn-sm me-2", **html_attrs(data_presentation=action)
    )


def layout(repo: CachedRepository, path: str) -> Component:
    """The deck's frame; the callback draws the cover and one screen per theme with published figures."""
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
                                "Écran 1 : Couverture",
                                id=COUNTER,
                                className="presentation-counter",
                                **html_attrs(aria_live="polite"),
                            ),
                        ],
                        className="presentation-controls",
                    ),
                    dcc.Loading(html.Div(id=SCREENS, className="presentation-screens"), delay_show=300),
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
    """One callback draws the cover, every screen and the filters line for the filters of the moment."""

    @app.callback(
        Output(SCREENS, "children"),
        Output(COUNTER, "children"),
        Output(FILTERS, "children"),
        Output(subtitle_id(PAGE.key), "children"),
        *page_inputs(PAGE.key),
    )
    def update_presentation(change: Any, _ready: Any) -> tuple[Any, ...]:
        filters = changed_filters(change, repo)
        label = selection_label(filters, repo)

        def render() -> tuple[list[html.Section], int]:
            shown = screens(repo, filters)
            names = caisse_names(repo)
            return [_cover(shown, label), *(_screen(s, filters, names) for s in shown)], len(shown) + 1

        sections, count = cached_answer(repo, f"presentation:{to_query(filters)}", render)
        return sections, f"Écran 1 sur {count} : Couverture", f"Filtres : {label}", label
