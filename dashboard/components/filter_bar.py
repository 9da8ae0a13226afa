"""The filters shared by every page: year, comparison year, départements, caisses."""

from __future__ import annotations

from typing import Any, cast

from dash import dcc, html
from dash.development.base_component import Component

from dashboard import ids
from dashboard.components import html_attrs
from dashboard.filters import Choices

# Dash's dropdowns speak English by default ("2 selected", "Search").
DROPDOWN_LABELS: dict[str, str] = {
    "select_all": "Tout sélectionner",
    "deselect_all": "Tout désélectionner",
    "selected_count": "{num_selected} sélectionnés",
    "search": "Rechercher",
    "clear_search": "Effacer la recherche",
    "clear_selection": "Effacer la sélection",
    "no_options_found": "Aucun résultat",
}


def year_options(choices: Choices) -> list[dict[str, Any]]:
    """Only years that hold figures."""
    return [{"label": str(y), "value": y} for y in reversed(choices.years)]


def comparison_options(choices: Choices, year: int) -> list[dict[str, Any]]:
    """An earlier year with figures, or none: a comparison looks back from the year shown."""
    none: list[dict[str, Any]] = [{"label": "Aucune", "value": "aucune"}]
    return none + [{"label": str(y), "value": y} for y in reversed(choices.years) if y < year]


def departement_options(choices: Choices) -> list[dict[str, str]]:
    """« 21 — Côte-d'Or », for every département."""
    return [{"label": d.label, "value": d.code} for d in choices.departements]


def build_filter_bar(choices: Choices) -> html.Section:
    """The bar; its values are set from the URL by the shell's callback."""

    def field(label: str, control_id: str, control: Component, width: str) -> html.Div:
        return html.Div(
            [html.Label(label, htmlFor=control_id, className="form-label"), control],
            className=f"filter-field {width}",
        )

    return html.Section(
        [
            html.H2("Filtres", className="visually-hidden"),
            html.Div(
                [
                    field(
                        "Année",
                        ids.YEAR,
                        dcc.Dropdown(
                            id=ids.YEAR, options=year_options(choices), clearable=False, searchable=False
                        ),
                        "filter-narrow",
                    ),
                    field(
                        "Comparer avec",
                        ids.COMPARISON,
                        dcc.Dropdown(
                            id=ids.COMPARISON,
                            labels=cast(Any, DROPDOWN_LABELS),
                            clearable=False,
                            searchable=False,
                        ),
                        "filter-narrow",
                    ),
                    field(
                        "Départements",
                        ids.DEPARTEMENTS,
                        dcc.Dropdown(
                            id=ids.DEPARTEMENTS,
                            labels=cast(Any, DROPDOWN_LABELS),
                            options=departement_options(choices),
                            multi=True,
                            clearable=False,
                            placeholder="Choisir un ou plusieurs départements",
                        ),
                        "filter-wide",
                    ),
                    html.Div(
                        field(
                            "Caisses",
                            ids.CAISSES,
                            dcc.Dropdown(
                                id=ids.CAISSES, labels=cast(Any, DROPDOWN_LABELS), multi=True, clearable=False
                            ),
                            "filter-wide",
                        ),
                        id=ids.CAISSES_GROUP,
                        hidden=True,
                    ),
                ],
                className="filter-row",
            ),
            html.Div(id=ids.NOTICE, role="status", **html_attrs(aria_live="polite")),
        ],
        className="filter-bar",
        **html_attrs(aria_label="Filtres"),
    )
