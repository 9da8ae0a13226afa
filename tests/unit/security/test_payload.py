"""The shape check of callback requests, on a tiny app: what a browser sends passes, the rest is refused."""

import pytest
from dash import ALL, Dash, Input, Output, State, html

from dashboard.security.payload import MAX_MATCHES, PayloadError, check_callback_request


@pytest.fixture(scope="module")
def app() -> Dash:
    app = Dash(__name__)
    app.layout = html.Div([html.Div(id="in"), html.Div(id="out")])

    @app.callback(
        Output("out", "children"),
        Output({"type": "card", "key": ALL}, "children"),
        Input("in", "children"),
        State({"type": "card", "key": ALL}, "id"),
    )
    def update_cards(value, card_ids):
        return value, [value for _ in card_ids]

    return app


def _body(app: Dash, cards=("a", "b")) -> dict:
    key = next(iter(app.callback_map))
    return {
        "output": key,
        "outputs": [
            {"id": "out", "property": "children"},
            [{"id": {"type": "card", "key": k}, "property": "children"} for k in cards],
        ],
        "inputs": [{"id": "in", "property": "children", "value": "x"}],
        "state": [[{"id": {"type": "card", "key": k}, "property": "id", "value": {}} for k in cards]],
        "changedPropIds": ["in.children"],
    }


def test_what_a_browser_sends_passes(app):
    check_callback_request(app, _body(app))
    body = _body(app)
    del body["inputs"][0]["value"]  # a property never set is left out by the renderer
    check_callback_request(app, body)


def _mutated(app, change) -> dict:
    body = _body(app)
    change(body)
    return body


CASES = {
    "not_an_object": lambda b: b.clear(),
    "unknown_output": lambda b: b.update(output="nope.children"),
    "wrong_input_id": lambda b: b["inputs"][0].update(id="other"),
    "wrong_input_property": lambda b: b["inputs"][0].update(property="style"),
    "pattern_key_missing": lambda b: b["state"][0][0]["id"].pop("key"),
    "pattern_type_changed": lambda b: b["state"][0][0]["id"].update(type="admin"),
    "pattern_value_is_an_object": lambda b: b["state"][0][0]["id"].update(key={"$ne": 1}),
    "pattern_value_too_long": lambda b: b["state"][0][0]["id"].update(key="k" * 500),
    "pattern_list_not_a_list": lambda b: b["state"].__setitem__(0, {"id": "x"}),
    "too_many_matches": lambda b: b["state"].__setitem__(
        0, [{"id": {"type": "card", "key": str(i)}, "property": "id"} for i in range(MAX_MATCHES + 1)]
    ),
    "outputs_missing": lambda b: b.pop("outputs"),
    "changed_not_a_list": lambda b: b.update(changedPropIds="in.children"),
}


@pytest.mark.parametrize("change", CASES.values(), ids=CASES.keys())
def test_a_forged_shape_is_refused(app, change):
    with pytest.raises(PayloadError):
        check_callback_request(app, _mutated(app, change) if change is not CASES["not_an_object"] else [])
