"""A chart as a figure: the graph, its one-sentence summary as caption, and a « voir les données » table."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any, cast

import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.components import html_attrs
from dashboard.components.export_links import LINK_TYPE, build_server_links
from dashboard.data import columns as col
from dashboard.data.catalog import Catalog
from dashboard.formatting import NON_PUBLIE, format_change, format_periode, format_value
from dashboard.theme import graph_config

LOADING_WORDS = "Chargement du graphique"
# The class of a waiting place once its chart is drawn in it: a slot around the card, with no style.
WAITING_ANSWER_CLASS = "chart-slot"


def build_figure_card(
    panel: str,
    chart: str,
    title: str,
    *,
    figure: dict[str, Any] | None = None,
    summary: str = "",
    link_type: str = LINK_TYPE,
) -> html.Figure:
    """A chart card: the graph, its caption, and a « voir les données » table sent when opened.

    ``link_type`` names the callback that keeps the server export links current (see ``export_links``).
    """
    graph_figure: Any = figure if figure is not None else {"data": [], "layout": {}}
    return html.Figure(
        [
            html.Div(
                [
                    dcc.Graph(
                        id=ids.figure(panel, chart),
                        figure=graph_figure,
                        config=cast(Any, graph_config(f"{panel}_{chart}")),
                        className="chart-graph",
                        responsive=True,
                        style={"height": "100%", "width": "100%"},
                    ),
                    _loading(title),
                ],
                className="chart-frame",
            ),
            html.Div(
                [
                    html.Button(
                        "Image PNG",
                        id=ids.export_button("png", panel, chart),
                        className="btn btn-sm btn-outline-primary",
                    ),
                    html.Button(
                        "Image SVG",
                        id=ids.export_button("svg", panel, chart),
                        className="btn btn-sm btn-outline-primary",
                    ),
                    build_server_links(panel, chart, title, link_type),
                ],
                className="chart-export",
                role="group",
                **html_attrs(aria_label=f"Télécharger le graphique : {title}"),
            ),
            html.Figcaption(summary, id=ids.figure_summary(panel, chart), className="chart-summary"),
            html.Details(
                [
                    html.Summary(f"Voir les données : {title}", id=ids.figure_details(panel, chart)),
                    html.Div(id=ids.figure_table(panel, chart), className="chart-data"),
                ],
                className="chart-details",
            ),
        ],
        className="chart-card",
    )


def _loading(title: str) -> html.Div:
    """Stands in for a chart until its figure (with its title) is drawn.

    Empty axes from −1 to 6 read as a broken chart. Hidden by CSS once the title is there; its spinner is
    drawn by the style sheet, as one component costs Dash's renderer less than three on every redraw.
    """
    return html.Div(f"{LOADING_WORDS} : {title}", className="chart-loading", **html_attrs(aria_hidden="true"))


def build_waiting_card(panel: str, chart: str, title: str, *, summary: str, search: str) -> html.Div:
    """The place of a chart drawn when it nears the window: the frame it will fill and its caption.

    The browser asks for the chart of the selection ``search`` (a query string) once the place comes within
    a screen of the window (``assets/lazy_charts.js``); the server answers with the whole card, and the place
    becomes its slot (``WAITING_ANSWER_CLASS``). The ids carry a token of the selection: an answer that
    arrives after a filter change finds no place to go.
    """
    token = hashlib.blake2s(search.encode(), digest_size=6).hexdigest()
    wanted = ids.figure_wanted(panel, chart, token)
    # Two components: every component a filter change mounts costs Dash's renderer a pass over the whole
    # page, and a page at full scale holds some twenty-five places. The frame and its words (which name the
    # chart, read aloud too) are drawn by the style sheet from data-loading; the caption is plain text.
    return html.Div(
        [dcc.Store(id=wanted), summary],
        id=ids.figure_slot(panel, chart, token),
        className="chart-card chart-place chart-lazy",
        **html_attrs(
            data_search=search,
            data_wanted=json.dumps(wanted),
            data_loading=f"{LOADING_WORDS} : {title}",
        ),
    )


def value_text(valeur: float, unite: str, qualificatif: str, nature: str, catalog_unit: str) -> str:
    """A figure as a person reads it, whatever its nature."""
    if isinstance(valeur, float) and math.isnan(valeur):
        return NON_PUBLIE
    if nature == "niveau":
        return format_value(valeur, unite, qualificatif)
    return format_change(valeur, nature, catalog_unit)


def build_data_table(rows: pd.DataFrame, catalog: Catalog) -> html.Table:
    """The figures of a chart as a plain table (caisse, indicator, value, period, source)."""
    body = []
    for record in rows.to_dict("records"):
        indicator = catalog.get(str(record[col.INDICATEUR]))
        source = record.get(col.SOURCE)
        url = record.get(col.URL)
        has_source = isinstance(source, str) and bool(source)
        source_cell = (
            html.A(source, href=url, target="_blank", rel="noopener noreferrer")
            if has_source and isinstance(url, str) and url.startswith(("https://", "http://"))
            else (source if has_source else "—")
        )
        value = value_text(
            float(record[col.VALEUR]),
            indicator.unite,
            str(record.get(col.QUALIFICATIF) or "exact"),
            str(record.get(col.NATURE) or "niveau"),
            indicator.unite,
        )
        body.append(
            html.Tr(
                [
                    html.Td(str(record[col.CAISSE_NOM])),
                    html.Td(indicator.libelle),
                    html.Td(value, className="num unpublished" if value == NON_PUBLIE else "num"),
                    html.Td(format_periode(str(record.get(col.PERIODE) or "annee"))),
                    html.Td(source_cell),
                ]
            )
        )
    head = html.Thead(
        html.Tr([html.Th(h, scope="col") for h in ("Caisse", "Indicateur", "Valeur", "Période", "Source")])
    )
    return html.Table([head, html.Tbody(body)], className="table table-sm data-table-small")
