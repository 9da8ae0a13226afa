from __future__ import annotations

from dash import html

from dashboard import ids
from dashboard.components.filter_bar import checkbox_options, checklist_popover, choice_text


def test_choice_text_names_up_to_three_choices_then_counts() -> None:
    assert choice_text([]) == "Aucun"
    assert choice_text(["21 — Côte-d'Or"]) == "21 — Côte-d'Or"
    assert choice_text(["21 — Côte-d'Or", "85 — Vendée"]) == "21 — Côte-d'Or, 85 — Vendée"
    assert choice_text(["a", "b", "c", "d"]) == "4 sélectionnés"


def test_each_checkbox_gets_an_id_of_its_own() -> None:
    options = checkbox_options(ids.DEPARTEMENTS, [{"label": "21 — Côte-d'Or", "value": "21"}])
    assert options == [{"label": "21 — Côte-d'Or", "value": "21", "input_id": f"{ids.DEPARTEMENTS}-21"}]


def _find(component, wanted_id):
    if getattr(component, "id", None) == wanted_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str) and (found := _find(child, wanted_id)):
            return found
    return None


def test_the_list_button_is_named_by_the_label_and_described_by_the_choice() -> None:
    popover = checklist_popover("Départements", ids.DEPARTEMENTS, [], search="Rechercher un département")
    summary = _find(popover, f"{ids.DEPARTEMENTS}-open")
    assert isinstance(summary, html.Summary)
    props = summary.to_plotly_json()["props"]
    assert props["aria-labelledby"] == f"{ids.DEPARTEMENTS}-label"
    assert props["aria-describedby"] == ids.DEPARTEMENTS_VALUE
    assert _find(popover, f"{ids.DEPARTEMENTS}-label").children == "Départements"
    # The search field has a label of its own, read by screen readers.
    labels = [c for c in _find(popover, f"{ids.DEPARTEMENTS}-panel").children if isinstance(c, html.Label)]
    assert [(label.children, label.htmlFor) for label in labels] == [
        ("Rechercher un département", ids.DEPARTEMENTS_SEARCH)
    ]
