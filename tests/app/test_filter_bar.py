"""The filter bar's callback answers what the native controls send and what their buttons show."""

from __future__ import annotations

from dashboard import ids


def _filter_bar(call, values, changed):
    body = call.payload("update_filters", ["?annee=2024&comparaison=2023&departements=21", *values])
    body["changedPropIds"] = [changed]
    return call.client.post("/_dash-update-component", json=body).get_json()["response"]


def test_a_year_sent_as_text_by_the_native_select_is_understood(call) -> None:
    result = _filter_bar(call, ("2020", "2023", ["21"], []), f"{ids.YEAR}.value")
    assert result[ids.YEAR]["value"] == 2020
    assert result[ids.COMPARISON]["value"] == 2019  # the comparison follows the year


def test_the_lists_buttons_show_the_chosen_departements_and_caisses(call) -> None:
    result = _filter_bar(call, (2024, 2023, ["21", "85"], []), f"{ids.DEPARTEMENTS}.value")
    assert result[ids.DEPARTEMENTS_VALUE]["children"] == "21 — Côte-d'Or, 85 — Vendée"
    assert result[ids.CAISSES_VALUE]["children"] == "CPAM de la Côte-d'Or, CPAM de la Vendée"
    assert result[ids.CAISSES_GROUP]["hidden"] is False
    # Each caisse's checkbox has an id its label points to.
    assert {o["input_id"] for o in result[ids.CAISSES]["options"]} == {
        f"{ids.CAISSES}-{o['value']}" for o in result[ids.CAISSES]["options"]
    }
