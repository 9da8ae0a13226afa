"""A chart's « voir les données » table is sent only while its disclosure is open, and opening it fills it."""

from __future__ import annotations

import json

from tests.app.view_tree import texts

NBSP = "\u00a0"
PANEL = "contact-channels"
QUERY = "?annee=2024&departements=21"


def _id(kind: str, chart: str) -> dict[str, str]:
    return {"chart": chart, "panel": PANEL, "type": kind}


def _open_table(app, client, chart: str, n_clicks: int, search: str = QUERY):
    key = next(
        k
        for k, spec in app.callback_map.items()
        if getattr(spec.get("callback"), "__name__", "") == "update_figure_table" and "MATCH" in k
    )
    details = _id("figure-details", chart)
    body = {
        "output": key,
        "outputs": {"id": _id("figure-table", chart), "property": "children"},
        "inputs": [{"id": details, "property": "n_clicks", "value": n_clicks}],
        "state": [
            {"id": details, "property": "id", "value": details},
            {"id": "url", "property": "search", "value": search},
            {"id": "url", "property": "pathname", "value": "/canaux"},
        ],
        "changedPropIds": [json.dumps(details, separators=(",", ":")) + ".n_clicks"],
    }
    return client.post("/_dash-update-component", json=body)


def test_opening_a_charts_data_fills_its_table(app, client):
    response = _open_table(app, client, "parts-demandes_total", 1)
    assert response.status_code == 200
    table = next(iter(response.get_json()["response"].values()))["children"]
    assert f"3{NBSP}872{NBSP}394" in texts(table)


def test_closing_a_charts_data_sends_nothing(app, client):
    response = _open_table(app, client, "parts-demandes_total", 2)
    assert response.status_code in (200, 204)
    assert response.status_code == 204 or not response.get_json().get("response")


def test_a_chart_the_selection_does_not_show_has_no_table(app, client):
    # Vendée published no request figures in 2020: no such chart on its page, so no table either.
    response = _open_table(app, client, "parts-demandes_total", 1, "?annee=2020&departements=85")
    assert response.status_code == 204


def test_opening_the_compare_ranking_data_fills_its_table(app, client):
    key = next(
        k
        for k, spec in app.callback_map.items()
        if getattr(spec.get("callback"), "__name__", "") == "update_compare_table"
    )
    details = {"chart": "classement", "panel": "compare", "type": "figure-details"}
    body = {
        "output": key,
        "outputs": {"id": {**details, "type": "figure-table"}, "property": "children"},
        "inputs": [{"id": details, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": details, "property": "id", "value": details},
            {"id": "url", "property": "search", "value": QUERY},
            {"id": "compare-indicator", "property": "value", "value": "demandes_total"},
        ],
        "changedPropIds": [json.dumps(details, separators=(",", ":")) + ".n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    table = next(iter(response.get_json()["response"].values()))["children"]
    assert f"3{NBSP}872{NBSP}394" in texts(table)
