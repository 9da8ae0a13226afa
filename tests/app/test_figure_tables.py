"""A chart's « voir les données » table is sent only while its disclosure is open, and opening it fills it."""

from __future__ import annotations

from dashboard import ids
from tests.app.view_tree import texts
from tests.helpers import CALLBACK_URL, first_visit, match_body

NBSP = "\u00a0"
PANEL = "contact-channels"
QUERY = "?annee=2024&departements=21"


def _id(kind: str, chart: str) -> dict[str, str]:
    return {"chart": chart, "panel": PANEL, "type": kind}


def _open_table(app, client, chart: str, n_clicks: int, search: str = QUERY):
    body = match_body(
        app,
        "update_figure_table",
        _id("figure-details", chart),
        output_type="figure-table",
        state=[(ids.FILTER_CHANGE, "data", first_visit(search)), ("url", "pathname", "/canaux")],
        value=n_clicks,
    )
    return client.post(CALLBACK_URL, json=body)


def test_opening_a_charts_data_fills_its_table(app, client):
    response = _open_table(app, client, "parts-demandes_total", 1)
    assert response.status_code == 200
    table = next(iter(response.get_json()["response"].values()))["children"]
    assert f"3{NBSP}872{NBSP}394" in texts(table)


def test_closing_a_charts_data_sends_nothing(app, client):
    response = _open_table(app, client, "parts-demandes_total", 2)
    assert response.status_code == 200
    assert response.get_json()["response"] == {}


def test_a_chart_the_selection_does_not_show_has_no_table(app, client):
    # Vendée published no request figures in 2020: no such chart on its page, so no table either.
    response = _open_table(app, client, "parts-demandes_total", 1, "?annee=2020&departements=85")
    assert response.status_code == 204


def test_opening_the_compare_ranking_data_fills_its_table(app, client):
    details = {"chart": "classement", "panel": "compare", "type": "figure-details"}
    body = match_body(
        app,
        "update_compare_table",
        details,
        output_type="figure-table",
        state=[
            (ids.FILTER_CHANGE, "data", first_visit(QUERY)),
            (ids.COMPARE_INDICATOR, "value", "demandes_total"),
        ],
    )
    response = client.post(CALLBACK_URL, json=body)
    assert response.status_code == 200
    table = next(iter(response.get_json()["response"].values()))["children"]
    assert f"3{NBSP}872{NBSP}394" in texts(table)
