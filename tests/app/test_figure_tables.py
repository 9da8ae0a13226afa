"""A chart's « voir les données » table is sent only while its disclosure is open, and opening it fills it."""

from __future__ import annotations

import json

from dashboard.charts import chart_specs
from dashboard.data.catalog import load_catalog

NBSP = "\u00a0"
PANEL = "contact-channels"
QUERY = "?annee=2024&departements=21"


def _charts() -> list[str]:
    catalog = load_catalog()
    return [s.key for s in chart_specs(catalog.by_panel("contact_channels"), catalog)]


def _texts(node) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.append(item.get("props", {}).get("children"))
    return found


def _id(kind: str, chart: str) -> dict[str, str]:
    return {"chart": chart, "panel": PANEL, "type": kind}


def _open_table(app, client, chart: str, n_clicks: int):
    key = next(
        k
        for k, spec in app.callback_map.items()
        if getattr(spec.get("callback"), "__name__", "") == "update_figure_table" and PANEL in k
    )
    charts = _charts()
    details = _id("figure-details", chart)
    body = {
        "output": key,
        "outputs": {"id": _id("figure-table", chart), "property": "children"},
        "inputs": [{"id": details, "property": "n_clicks", "value": n_clicks}],
        "state": [
            {"id": details, "property": "id", "value": details},
            {"id": "url", "property": "search", "value": QUERY},
            {"id": "url", "property": "pathname", "value": "/canaux"},
            [{"id": _id("figure", c), "property": "id", "value": _id("figure", c)} for c in charts],
        ],
        "changedPropIds": [json.dumps(details, separators=(",", ":")) + ".n_clicks"],
    }
    return client.post("/_dash-update-component", json=body)


def test_opening_a_charts_data_fills_its_table(app, client):
    response = _open_table(app, client, "demandes_total", 1)
    assert response.status_code == 200
    table = next(iter(response.get_json()["response"].values()))["children"]
    assert f"3{NBSP}872{NBSP}394" in _texts(table)


def test_closing_a_charts_data_sends_nothing(app, client):
    response = _open_table(app, client, "demandes_total", 2)
    assert response.status_code in (200, 204)
    assert response.status_code == 204 or not response.get_json().get("response")


def test_a_filter_change_refreshes_only_the_open_tables(call):
    charts = _charts()
    payload = call.payload(
        "update_theme_page", [QUERY, True, "/canaux", None, None], panel=PANEL, charts=charts
    )
    opened = charts.index("demandes_total")
    for index, item in enumerate(payload["state"][2]):
        item["value"] = 1 if index == opened else None
    response = call.client.post("/_dash-update-component", json=payload)
    result = response.get_json()["response"]
    tables = {k: v["children"] for k, v in result.items() if '"type":"figure-table"' in k}
    assert list(tables) == [json.dumps(_id("figure-table", "demandes_total"), separators=(",", ":"))]
    assert f"3{NBSP}872{NBSP}394" in _texts(next(iter(tables.values())))


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
    assert f"3{NBSP}872{NBSP}394" in _texts(table)
