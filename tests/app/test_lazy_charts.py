"""A page of many charts sends its first charts drawn, and each other chart when its place nears the window,
for the selection that place was made for."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dashboard.cache import CachedRepository
from dashboard.data.context import open_data
from dashboard.filters import parse_filters
from dashboard.panels.theme_page import EAGER_CHARTS, cached_view, theme_body
from dashboard.settings import Settings
from dashboard.shell import create_app
from dashboard.theme import EXPORT_NAME_KEY
from tests.app.conftest import DashCaller
from tests.app.view_tree import graphs, nodes, texts, with_class
from tests.helpers import CALLBACK_URL, answer, first_visit, match_body, whole_theme_data

QUERY = "?annee=2024&comparaison=2023&departements=21"
EARLIER = "?annee=2023&comparaison=2022&departements=21"
PANEL = "contact-channels"


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    folder = tmp_path_factory.mktemp("whole-theme")
    data = whole_theme_data(folder / "data", "canaux_contact")
    return Settings(database_url=f"sqlite:///{folder}/store.sqlite3", data_dir=data)


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    return app.server.test_client()


def _body(app, client, search: str = QUERY) -> Any:
    result = answer(DashCaller(app, client)("update_theme_page", [first_visit(search), True, "/canaux"]))
    return result["theme-body"]["children"]


def _wanted_id(place: dict[str, Any]) -> dict[str, str]:
    return next(n for n in nodes(place) if n["type"] == "Store")["props"]["id"]


def _ask(app, client, wanted_id: dict[str, str], search: Any, pathname: str = "/canaux") -> Any:
    body = match_body(
        app,
        "update_waiting_chart",
        wanted_id,
        output_type="figure-slot",
        state=[("url", "pathname", pathname)],
        value=search,
        prop="data",
        outputs=("children", "className"),
    )
    return client.post(CALLBACK_URL, json=body)


def _slot(response: Any) -> dict[str, Any]:
    (output,) = answer(response).values()
    return output


def _card(response: Any) -> dict[str, Any]:
    return _slot(response)["children"]


def test_the_first_charts_come_drawn_and_the_others_wait_for_the_window(app, client):
    body = _body(app, client)
    cards = with_class(body, "chart-card")
    places = with_class(body, "chart-lazy")
    assert len(cards) == EAGER_CHARTS + len(places)  # a place is a card-sized frame with its caption
    assert len(places) > 10  # a caisse that publishes the whole theme
    assert all(figure["data"] and figure["layout"]["title"]["text"] for figure in graphs(body))
    assert len(graphs(body)) == EAGER_CHARTS
    tokens = set()
    for place in places:
        assert place["props"]["data-search"] == QUERY  # the selection the place stands for
        wanted = _wanted_id(place)
        assert json.loads(place["props"]["data-wanted"]) == wanted  # where the browser puts the selection
        tokens.add(wanted["sel"])
        (summary,) = texts(place)  # the text alternative, already: the frame's words are the style sheet's
        assert "CPAM de la Côte-d'Or" in summary, summary
    assert len(tokens) == 1
    assert _wanted_id(with_class(_body(app, client, EARLIER), "chart-lazy")[0])["sel"] not in tokens


def test_a_waiting_chart_is_drawn_for_the_selection_of_its_place(app, client):
    place = with_class(_body(app, client), "chart-lazy")[-1]
    response = _ask(app, client, _wanted_id(place), QUERY)
    card = _card(response)
    (figure,) = graphs(card)
    title = figure["layout"]["title"]["text"].replace("<br>", " ")
    assert place["props"]["data-loading"] == f"Chargement du graphique : {title}"  # the frame's words
    assert figure["data"]
    assert figure["layout"]["meta"][EXPORT_NAME_KEY].startswith("canaux-de-contact_cpam-21_2024_")
    assert with_class(card, "chart-summary")[0]["props"]["children"] == texts(place)[0]
    # The place becomes the card's slot: no longer a card, nor a place the browser would ask for again.
    assert _slot(response)["className"] == "chart-slot"
    assert "Voir les données : " + figure["layout"]["title"]["text"].replace("<br>", " ") in texts(card)


def test_a_place_of_an_earlier_selection_gets_its_own_chart(app, client):
    both = {_wanted_id(p)["chart"] for p in with_class(_body(app, client, EARLIER), "chart-lazy")}
    place = next(p for p in with_class(_body(app, client), "chart-lazy") if _wanted_id(p)["chart"] in both)
    now = graphs(_card(_ask(app, client, _wanted_id(place), QUERY)))[0]
    then = graphs(_card(_ask(app, client, _wanted_id(place), EARLIER)))[0]
    assert then["layout"]["meta"][EXPORT_NAME_KEY].startswith("canaux-de-contact_cpam-21_2023_")
    assert then["data"] != now["data"]  # 2023's figures, not the latest selection's


@pytest.mark.parametrize(
    ("chart", "search", "pathname"),
    [
        ("temps_attente_moyen", None, "/canaux"),  # nothing asked yet
        ("temps_attente_moyen", {"search": QUERY}, "/canaux"),  # not a query string
        ("temps_attente_moyen", 2024, "/canaux"),
        ("temps_attente_moyen", QUERY, "/nulle-part"),
        ("temps_attente_moyen", QUERY, "/mediation"),  # another page than the place's
    ],
)
def test_a_forged_or_empty_request_draws_nothing(app, client, chart, search, pathname):
    wanted = {"chart": chart, "panel": PANEL, "sel": "0", "type": "figure-wanted"}
    assert _ask(app, client, wanted, search, pathname).status_code == 204


def test_a_chart_gone_since_the_page_was_drawn_says_so_in_french(app, client):
    # An import between the page and the scroll can take a chart away: its place says so, never spins on.
    wanted = {"chart": "pas-un-graphique", "panel": PANEL, "sel": "0", "type": "figure-wanted"}
    card = _card(_ask(app, client, wanted, QUERY))
    assert texts(card) == [
        "Les chiffres ont changé depuis l'ouverture de la page : rechargez-la pour voir ce graphique."
    ]


def test_a_page_draws_the_figures_it_sends_and_no_other(settings):
    repo = CachedRepository(open_data(settings).repository)
    theme = next(t for t in repo.catalog.themes if t.code == "canaux_contact")
    filters, _ = parse_filters(QUERY, repo.choices())
    view = cached_view(repo, theme, filters)
    assert not any("built" in vars(chart) for chart in view.charts)  # planned and summed up, not drawn
    theme_body(view, filters, {}, theme.libelle)
    drawn = ["built" in vars(chart) for chart in view.charts]
    assert drawn == [True] * EAGER_CHARTS + [False] * (len(view.charts) - EAGER_CHARTS)
    assert all(chart.summary for chart in view.charts)


def test_two_caisses_places_and_charts_speak_of_both(app, client):
    pair = "?annee=2024&comparaison=2023&departements=21,85"
    places = with_class(_body(app, client, pair), "chart-lazy")
    assert places
    for place in places:
        (summary,) = texts(place)
        assert "CPAM de la Côte-d'Or" in summary, summary
        assert "CPAM de la Vendée" in summary, summary
        # Both published every indicator in 2024; only the Vendée's earlier years of a series are missing.
        assert "2024, non publié" not in summary, summary
        assert " : non publié" not in summary, summary
        card = _card(_ask(app, client, _wanted_id(place), pair))
        assert texts(with_class(card, "chart-summary")[0]) == [summary]
        (figure,) = graphs(card)
        drawn = json.dumps(figure["data"], ensure_ascii=False)  # series names or axis labels
        assert "CPAM de la Côte-d'Or" in drawn
        assert "CPAM de la Vendée" in drawn
