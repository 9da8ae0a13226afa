"""The filters shared by every page: year, comparison year, départements, caisses.

Native controls only, so that each is named by its label and nothing hidden takes the focus: the two
years are ``<select>`` elements; the départements and the caisses are lists of checkboxes in a disclosure
(``<details>``) whose button shows the current choice. ``assets/filters.js`` closes an open list on
Escape or on a click elsewhere, and filters the départements as the person types. It also hands each
change to the pages at once (store ``FILTER_CHANGE``) and sets the controls the server corrects
(store ``FILTER_ECHO``).
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import ids
from dashboard.components import html_attrs
from dashboard.filters import Choices


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


def choice_text(labels: list[str], empty: str = "Aucun") -> str:
    """What a list's button shows: the labels chosen, or a count past three."""
    if not labels:
        return empty
    if len(labels) > 3:
        return f"{len(labels)} sélectionnés"
    return ", ".join(labels)


def checkbox_options(control_id: str, options: list[dict[str, str]]) -> list[dict[str, str]]:
    """Options of a list of checkboxes, each input with an id of its own (its label points to it)."""
    return [{**option, "input_id": f"{control_id}-{option['value']}"} for option in options]


def _select(label: str, control_id: str, options: list[dict[str, Any]]) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=control_id, className="form-label"),
            dbc.Select(id=control_id, options=options, class_name="filter-select"),
        ],
        className="filter-field filter-narrow",
    )


def checklist_popover(
    label: str, control_id: str, options: list[dict[str, str]], search: str = ""
) -> Component:
    """A disclosure named by its label, showing the choice, opening on checkboxes (and a search field).

    Ids derived from ``control_id``: ``-open`` the button (``<summary>``), ``-value`` the choice it shows,
    ``-panel`` the list, ``-search`` the search field, ``-popover`` the ``<details>`` itself.
    """
    label_id = f"{control_id}-label"
    panel: list[Component] = []
    if search:
        panel += [
            html.Label(search, htmlFor=f"{control_id}-search", className="visually-hidden"),
            dbc.Input(
                id=f"{control_id}-search",
                type="search",
                placeholder=search,
                autocomplete="off",
                size="sm",
                class_name="filter-search",
            ),
        ]
    panel.append(
        dbc.Checklist(
            id=control_id,
            options=checkbox_options(control_id, options),
            value=[],
            class_name="filter-checklist",
        )
    )
    return html.Div(
        [
            html.Span(label, id=label_id, className="form-label"),
            html.Details(
                [
                    html.Summary(
                        html.Span(id=f"{control_id}-value", className="filter-value"),
                        id=f"{control_id}-open",
                        className="form-select filter-summary",
                        **html_attrs(aria_labelledby=label_id, aria_describedby=f"{control_id}-value"),
                    ),
                    html.Div(
                        panel,
                        id=f"{control_id}-panel",
                        className="filter-panel",
                        role="group",
                        **html_attrs(aria_labelledby=label_id),
                    ),
                ],
                id=f"{control_id}-popover",
                className="filter-popover",
            ),
        ],
        className="filter-field filter-wide",
    )


def build_filter_bar(choices: Choices) -> html.Section:
    """The bar; its values are set from the URL, and corrected, by the shell's callback."""
    return html.Section(
        [
            html.H2("Filtres", className="visually-hidden"),
            html.Div(
                [
                    _select("Année", ids.YEAR, year_options(choices)),
                    _select("Comparer avec", ids.COMPARISON, []),
                    checklist_popover(
                        "Départements",
                        ids.DEPARTEMENTS,
                        departement_options(choices),
                        search="Rechercher un département",
                    ),
                    # The full list, for the search field to filter without asking the server.
                    dcc.Store(
                        id=ids.DEPARTEMENTS_ALL,
                        data=checkbox_options(ids.DEPARTEMENTS, departement_options(choices)),
                    ),
                    html.Div(
                        checklist_popover("Caisses", ids.CAISSES, []),
                        id=ids.CAISSES_GROUP,
                        hidden=True,
                    ),
                ],
                className="filter-row",
            ),
            html.Div(id=ids.NOTICE, role="status", **html_attrs(aria_live="polite")),
            # The last change, which the pages draw from (assets/filters.js), and the values the server
            # last corrected, so that the correction's own change does not draw the pages again.
            dcc.Store(id=ids.FILTER_CHANGE),
            dcc.Store(id=ids.FILTER_ECHO),
            # After the filters, a keyboard user can jump over the key figures (each card's definition
            # is a stop) to the charts; assets/a11y.js shows it only on a page with charts and moves the
            # focus to the first one.
            html.A(
                "Aller aux graphiques",
                id=ids.SKIP_TO_CHARTS,
                href="#page-content",
                hidden=True,
                className="skip-link",
            ),
        ],
        className="filter-bar",
        **html_attrs(aria_label="Filtres"),
    )
