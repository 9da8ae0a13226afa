"""The filter bar's callback answers what the native controls send and what their buttons show."""

from __future__ import annotations

from dashboard import ids
from tests.helpers import controls_change, shown_controls


def _filter_bar(call, values, changed):
    change = controls_change(values, changed)
    body = call.payload("update_filters", ["?annee=2024&comparaison=2023&departements=21", change])
    body["changedPropIds"] = [f"{ids.FILTER_CHANGE}.data"]
    return call.client.post("/_dash-update-component", json=body).get_json()


def test_a_year_sent_as_text_by_the_native_select_is_understood(call) -> None:
    values = ("2020", "2023", ["21"], [])
    answer = _filter_bar(call, values, "annee")
    assert answer["response"][ids.URL]["search"].startswith("?annee=2020&comparaison=2019&")
    shown = shown_controls(values, answer)
    assert shown["annee"] == "2020"  # the select already shows it
    assert shown["comparaison"] == 2019  # the comparison follows the year


def test_the_lists_buttons_show_the_chosen_departements_and_caisses(call) -> None:
    values = (2024, 2023, ["21", "85"], ["cpam-21"])
    answer = _filter_bar(call, values, "departements")
    # New départements bring all their caisses, ticked.
    assert shown_controls(values, answer)["caisses"] == ["cpam-21", "cpam-85"]
    result = answer["response"]
    assert result[ids.DEPARTEMENTS_VALUE]["children"] == "21 — Côte-d'Or, 85 — Vendée"
    assert result[ids.CAISSES_VALUE]["children"] == "CPAM de la Côte-d'Or, CPAM de la Vendée"
    assert result[ids.CAISSES_GROUP]["hidden"] is False
    # Each caisse's checkbox has an id its label points to.
    assert {o["input_id"] for o in result[ids.CAISSES]["options"]} == {
        f"{ids.CAISSES}-{o['value']}" for o in result[ids.CAISSES]["options"]
    }


def test_the_bar_corrects_only_what_does_not_show_the_selection_and_says_what_it_set(call) -> None:
    # A new year: its previous year becomes the comparison; the year and the départements stay as shown.
    values = (2023, 2023, ["21"], ["cpam-21"])
    answer = _filter_bar(call, values, "annee")
    corrected = {"annee": 2023, "comparaison": 2022, "departements": ["21"], "caisses": ["cpam-21"]}
    correction = answer["response"][ids.FILTER_ECHO]["data"]
    assert correction == {"from": controls_change(values, "annee"), "to": corrected}
    assert answer["response"][ids.URL]["search"] == "?annee=2023&comparaison=2022&departements=21"
    assert "sideUpdate" not in answer  # the browser sets the controls, if no newer change was made

    # The corrected values come back as a change of their own: nothing left to correct.
    again = _filter_bar(call, tuple(corrected.values()), None)
    assert ids.FILTER_ECHO not in again["response"]
    assert again["response"][ids.URL]["search"] == "?annee=2023&comparaison=2022&departements=21"


def test_a_year_the_native_select_sends_as_text_is_not_corrected(call) -> None:
    # The select sends "2023"; it already shows 2023: only the comparison is corrected, the text kept.
    values = ("2023", "2023", ["21"], ["cpam-21"])
    correction = _filter_bar(call, values, "annee")["response"][ids.FILTER_ECHO]["data"]
    assert correction["to"] == {
        "annee": "2023",
        "comparaison": 2022,
        "departements": ["21"],
        "caisses": ["cpam-21"],
    }
    values = ("2023", "2022", ["21"], ["cpam-21"])
    assert ids.FILTER_ECHO not in _filter_bar(call, values, "comparaison")["response"]
