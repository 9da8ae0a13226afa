"""The validation layout keeps every id of the pages, and nothing else that Dash would send for nothing."""

from __future__ import annotations

import json

from dash import dcc, html

from dashboard.skeleton import id_skeleton


def _page() -> html.Div:
    return html.Div(
        [
            html.H1("Titre sans id"),
            dcc.Dropdown(id="choix", options=[{"label": f"option {i}", "value": i} for i in range(200)]),
            html.Div([dcc.Graph(id={"type": "figure", "panel": "p", "chart": "c"})], id="cadre"),
            dcc.Link("Lien", href="/canaux", id="lien"),  # href is required: kept
        ]
    )


def test_every_id_is_kept_once_as_a_bare_component():
    skeleton = id_skeleton(_page(), _page())
    kept = sorted(json.dumps([type(c).__name__, c.id], sort_keys=True) for c in skeleton.children)
    expected = [
        ["Div", "cadre"],
        ["Dropdown", "choix"],
        ["Graph", {"chart": "c", "panel": "p", "type": "figure"}],
        ["Link", "lien"],
    ]
    assert kept == sorted(json.dumps(e, sort_keys=True) for e in expected)
    assert all(getattr(c, "children", None) is None for c in skeleton.children)


def test_texts_and_options_are_left_out():
    text = json.dumps(id_skeleton(_page()).to_plotly_json(), default=lambda c: c.to_plotly_json())
    assert "option 199" not in text
    assert "Titre sans id" not in text
    assert "/canaux" in text  # a required property stays
