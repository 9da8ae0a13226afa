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
    shown = shown_controls(values, _filter_bar(call, values, "annee"))
    assert shown["annee"] == 2020
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
    assert answer["sideUpdate"] == {
        ids.COMPARISON: {"value": 2022},
        ids.FILTER_ECHO: {"data": {"from": controls_change(values, "annee"), "to": corrected}},
    }
    assert answer["response"][ids.URL]["search"] == "?annee=2023&comparaison=2022&departements=21"

    # The corrected values come back as a change of their own: nothing left to correct, nothing set.
    again = _filter_bar(call, tuple(corrected.values()), None)
    assert "sideUpdate" not in again
    assert shown_controls(tuple(corrected.values()), again) == corrected
