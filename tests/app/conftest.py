"""The app built once per session on a temporary store filled with the embedded data; callbacks are called
over HTTP with Flask's test client, exactly as a browser (or a forged request) would."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dashboard import ids
from dashboard.settings import Settings
from dashboard.shell import create_app
from tests.helpers import first_visit, store_of


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("app") / "store.sqlite3"
    return create_app(Settings(database_url=f"sqlite:///{db}"))


@pytest.fixture
def store(app):
    """The store behind the app (the root ``store`` fixture is a separate temporary one)."""
    return store_of(app)


@pytest.fixture
def client(app):
    return app.server.test_client()


def _spec_id(raw: str) -> Any:
    return json.loads(raw) if raw.startswith("{") else raw


def _concrete(spec_id: Any, charts: list[str]) -> list[dict[str, Any]]:
    """Concrete ids for a wildcard ``ALL`` id, one per chart key."""
    return [{**spec_id, "chart": chart} for chart in charts]


def _id_text(component_id: Any) -> str:
    return json.dumps(component_id, separators=(",", ":")) if isinstance(component_id, dict) else component_id


class DashCaller:
    """Call a registered callback by its function name over POST /_dash-update-component."""

    def __init__(self, app, client) -> None:
        self.app = app
        self.client = client

    def entry(self, name: str, panel: str | None = None) -> tuple[str, dict[str, Any]]:
        for key, spec in self.app.callback_map.items():
            function = spec.get("callback")  # clientside callbacks have none
            if getattr(function, "__name__", None) == name and (panel is None or f'"panel":"{panel}"' in key):
                return key, spec
        raise KeyError(name)

    def payload(
        self, name: str, values: list[Any], *, panel: str | None = None, charts: list[str] = ()
    ) -> dict:
        key, spec = self.entry(name, panel)
        outputs = []
        for output in spec["output"] if isinstance(spec["output"], list) else [spec["output"]]:
            spec_id = _spec_id(output.component_id_str())
            if isinstance(spec_id, dict) and ["ALL"] in spec_id.values():
                outputs.append(
                    [{"id": i, "property": output.component_property} for i in _concrete(spec_id, charts)]
                )
            else:
                outputs.append({"id": spec_id, "property": output.component_property})
        items = []
        for item, value in zip([*spec["inputs"], *spec["state"]], values, strict=True):
            spec_id = _spec_id(item["id"])
            if isinstance(spec_id, dict) and ["ALL"] in spec_id.values():
                items.append(
                    [{"id": i, "property": item["property"], "value": i} for i in _concrete(spec_id, charts)]
                )
            else:
                items.append({"id": spec_id, "property": item["property"], "value": value})
        n_inputs = len(spec["inputs"])
        first = items[0] if isinstance(items[0], dict) else items[0][0]
        return {
            "output": key,
            "outputs": outputs if len(outputs) > 1 or key.startswith("..") else outputs[0],
            "inputs": items[:n_inputs],
            "state": items[n_inputs:],
            "changedPropIds": [f"{_id_text(first['id'])}.{first['property']}"],
        }

    def __call__(self, name: str, values: list[Any], *, panel: str | None = None, charts: list[str] = ()):
        return self.client.post(
            "/_dash-update-component", json=self.payload(name, values, panel=panel, charts=charts)
        )


def committee_export_payload(
    app,
    trigger: str,
    chosen: list[str],
    *,
    job: Any = None,
    search: str,
    mine: list[Any] | None = None,
    save: bool = False,
) -> dict[str, Any]:
    """The body the browser POSTs for the committee's export callback (a file button or a progress poll)."""
    from dashboard.panels import committee
    from dashboard.panels.my_exports import EXPORTS
    from dashboard.panels.since import SAVE_COMMITTEE

    key, spec = DashCaller(app, None).entry("update_committee_export")
    groups = sorted({c.split("/")[0] for c in chosen}) or ["canaux"]
    clicks = [committee.export_button_id(kind) for kind in ("pptx", "pdf", "zip")]
    inputs: list[Any] = [
        {"id": button, "property": "n_clicks", "value": 1 if button == trigger else None} for button in clicks
    ]
    inputs.append({"id": committee.POLL, "property": "n_intervals", "value": 1})
    state = [
        [{"id": committee.checklist_id(g), "property": "value", "value": chosen} for g in groups],
        {"id": ids.FILTER_CHANGE, "property": "data", "value": first_visit(search)},
        {"id": committee.JOB, "property": "data", "value": job},
        {"id": EXPORTS, "property": "data", "value": mine or []},
        {"id": SAVE_COMMITTEE, "property": "value", "value": ["enregistrer"] if save else []},
    ]
    return {
        "output": key,
        "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{trigger}.{'n_intervals' if trigger == committee.POLL else 'n_clicks'}"],
    }


@pytest.fixture
def call(app, client) -> DashCaller:
    return DashCaller(app, client)
