"""Callbacks answered over HTTP, as the browser calls them."""

import re

from dashboard import ids
from tests.app.view_tree import graphs, nodes, texts, with_class
from tests.helpers import CALLBACK_URL, first_visit, match_body

NBSP = "\u00a0"


def _response(call, name, values):
    response = call(name, values)
    assert response.status_code == 200
    return response.get_json()["response"]


def _subtitle(result) -> str:
    return next(v["children"] for k, v in result.items() if "page-subtitle" in k)


def test_index_is_french_and_loads_nothing_from_outside(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert not re.findall(r"(?:src|href)=\"https?://", html)


def test_overview_cards_for_cote_d_or_2024(call):
    result = _response(call, "update_overview", [first_visit("?annee=2024&departements=21"), True])
    shown = texts(result["overview-cards"]["children"])
    assert f"3{NBSP}872{NBSP}394" in shown
    assert f"95{NBSP}%" in shown
    assert _subtitle(result) == "CPAM de la Côte-d'Or — 2024 (comparaison : 2023)"


def test_overview_of_a_year_without_figures_says_so_once_and_draws_no_zero(call):
    result = _response(call, "update_overview", [first_visit("?annee=2020&departements=21"), True])
    cards = result["overview-cards"]["children"]
    shown = texts(cards)
    assert shown[0] == "Aucun chiffre publié pour cette sélection."
    assert not with_class(cards, "kpi-card")
    # The key figures nobody published are named once, on one line, never as « non publié » cards or zeros.
    line = " ".join(texts(with_class(cards, "unpublished-line")))
    assert line.startswith("Chiffres clés non publiés pour cette sélection : ")
    assert "Demandes des assurés" in line
    assert "0" not in shown


def test_contact_page_draws_the_published_charts_with_titles_and_numbers(call):
    result = _response(
        call, "update_theme_page", [first_visit("?annee=2024&departements=21"), True, "/canaux"]
    )
    body = result["theme-body"]["children"]
    figures = graphs(body)
    assert figures, "Côte-d'Or published its contact figures in 2024"
    assert all(f["layout"]["title"]["text"] for f in figures)
    captions = [t for n in with_class(body, "chart-summary") for t in texts(n)]
    assert any(f"3{NBSP}872{NBSP}394" in c for c in captions)


def test_chart_downloads_are_named_after_the_filters(call):
    names = []
    for search in ("?annee=2024&departements=21", "?annee=2020&departements=85"):
        result = _response(call, "update_theme_page", [first_visit(search), True, "/mediation"])
        names.append(
            [g["layout"]["meta"]["export_filename"] for g in graphs(result["theme-body"]["children"])]
        )
    assert names[0]
    assert all(n.startswith("mediation-et-cra_cpam-21_2024_") for n in names[0])
    assert names[1]
    assert all(n.startswith("mediation-et-cra_cpam-85_2020_") for n in names[1])


def test_other_themes_menu_puts_the_themes_with_figures_first_with_their_count(call):
    response = call("update_theme_menu", [first_visit("?annee=2020&departements=85")])
    assert response.status_code == 200
    items = response.get_json()["response"]["nav-themes"]["children"]
    entries = [(n["props"].get("header", False), "".join(texts(n))) for n in items]
    header = entries.index((True, "Sans chiffre publié"))
    with_figures = [text for _, text in entries[:header]]
    assert with_figures[0].startswith("Délais et volumes de traitement des prestations (")
    assert all(re.search(r"\(\d+\) : \d+ chiffres? publiés?$", t) for t in with_figures)
    assert not any("(" in text for _, text in entries[header + 1 :])
    hrefs = [n["props"].get("href") for n in items if not n["props"].get("header")]
    assert all(h.endswith("?annee=2020&comparaison=2019&departements=85") for h in hrefs)


def test_overview_other_figures_open_by_theme_and_show_their_cards(call, app, client):
    result = _response(call, "update_overview", [first_visit("?annee=2024&departements=21"), True])
    cards = result["overview-cards"]["children"]
    summaries = [n for n in nodes(cards) if n.get("type") == "Summary" and "id" in n["props"]]
    assert summaries, "Côte-d'Or publishes figures beyond the key ones"
    first = summaries[0]["props"]["id"]
    assert "".join(texts(summaries[0])).startswith("Canaux de contact — ")
    body = match_body(
        app,
        "update_overview_theme",
        first,
        output_type="overview-theme-cards",
        state=[(ids.FILTER_CHANGE, "data", first_visit("?annee=2024&departements=21"))],
    )
    response = client.post(CALLBACK_URL, json=body)
    assert response.status_code == 200
    opened = next(iter(response.get_json()["response"].values()))["children"]
    values = [t for n in with_class(opened, "kpi-value") for t in texts(n)]
    assert values
    assert "non publié" not in values
