"""The callback requests a browser sends, rebuilt without a browser: first visits and filter changes.

Payloads are derived from the app's own callback map and from the layouts it serves (the frame from
/_dash-layout, the page from the router callback), the way Dash's renderer builds them: every input and
state takes the value the component holds, and a pattern-matching ``ALL`` dependency lists every matching
component. They work over Flask's test client (in-process timings) and over HTTP (load on gunicorn).
"""

from __future__ import annotations

import json
import random
from collections.abc import Awaitable, Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from dash import Dash

from dashboard import ids

Post = Callable[[dict[str, Any]], dict[str, Any]]  # a payload in, the decoded "response" out
Get = Callable[[str], Any]  # a path in, the decoded JSON out
AsyncPost = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
AsyncGet = Callable[[str], Awaitable[Any]]
# What the browser asks for next: ("post", callback body) or ("get", path); the answer is sent back in.
Request = tuple[str, Any]
Steps = Generator[Request, Any, list["Call"]]

# What a director visits: every page of the navigation bar and one theme of « autres thèmes ».
CHANGE = f"{ids.FILTER_CHANGE}.data"
# The filter bar's controls, by the field of a change (dashboard.filters.control_values).
CONTROLS = {
    "annee": ids.YEAR,
    "comparaison": ids.COMPARISON,
    "departements": ids.DEPARTEMENTS,
    "caisses": ids.CAISSES,
}
PAGES = (
    "/",
    "/canaux",
    "/teleservices",
    "/css",
    "/action-sociale",
    "/mediation",
    "/autres/delais",
    "/donnees",
    "/comparer",
)


def answer_of(decoded: dict[str, Any]) -> dict[str, Any]:
    """What an answer sets in the page, by component: its outputs and the properties set on the side."""
    outputs, side = decoded.get("response", {}), decoded.get("sideUpdate", {})
    return {key: {**outputs.get(key, {}), **side.get(key, {})} for key in outputs.keys() | side.keys()}


@dataclass(frozen=True)
class Call:
    """One POST /_dash-update-component: the callback's name (for the report) and its body."""

    name: str
    body: dict[str, Any]


def _components(tree: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Every (id, props) of a serialised component tree."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and "props" in node:
            props = node["props"]
            if "id" in props:
                yield props["id"], props
            for value in props.values():
                if isinstance(value, dict | list):
                    stack.append(value)


def _decode_id(raw: str) -> Any:
    return json.loads(raw) if raw.startswith("{") else raw


def _matches(pattern: Any, candidate: Any) -> bool:
    if not isinstance(pattern, dict):
        return bool(pattern == candidate)
    if not isinstance(candidate, dict) or set(candidate) != set(pattern):
        return False
    return all(v == ["ALL"] or candidate[k] == v for k, v in pattern.items())


def _is_many(pattern: Any) -> bool:
    return isinstance(pattern, dict) and ["ALL"] in pattern.values()


def _id_text(component_id: Any) -> str:
    return (
        json.dumps(component_id, separators=(",", ":"), sort_keys=True)
        if isinstance(component_id, dict)
        else str(component_id)
    )


_BY_NAME: dict[tuple[int, str], list[tuple[str, dict[str, Any]]]] = {}


def _callbacks_named(app: Dash, name: str) -> list[tuple[str, dict[str, Any]]]:
    """The app's callbacks whose function has that name (several panels share a function name)."""
    found = _BY_NAME.get((id(app), name))
    if found is None:
        found = [
            (key, spec)
            for key, spec in app.callback_map.items()
            if getattr(spec.get("callback"), "__name__", None) == name
        ]
        _BY_NAME[(id(app), name)] = found
    return found


@dataclass
class Browser:
    """What the renderer knows of the page: the values of every component on screen."""

    app: Dash
    post: Post
    get: Get
    frame: dict[Any, dict[str, Any]] = field(default_factory=dict)
    page: dict[Any, dict[str, Any]] = field(default_factory=dict)
    path: str = "/"
    search: str = ""
    _parsed: list[dict[str, Any]] = field(default_factory=list)
    _parsed_for: tuple[int, ...] = ()

    def _value(self, component_id: Any, prop: str) -> Any:
        if component_id == ids.URL:
            return {"pathname": self.path, "search": self.search, "href": None}.get(prop)
        key = _id_text(component_id)
        props = self.page.get(key) or self.frame.get(key) or {}
        return component_id if prop == "id" else props.get(prop)

    def _present(self, pattern: Any) -> list[Any]:
        return [i for i in self._dict_ids() if _matches(pattern, i)]

    def _dict_ids(self) -> list[dict[str, Any]]:
        """The pattern-matching ids on screen, parsed once per layout (a load test calls this a lot)."""
        shown = (id(self.frame), id(self.page), len(self.frame), len(self.page))
        if self._parsed_for != shown:
            self._parsed = [json.loads(k) for k in (*self.frame, *self.page) if k.startswith("{")]
            self._parsed_for = shown
        return self._parsed

    def payload(self, name: str, changed: str) -> dict[str, Any] | None:
        """The body of one callback with the page's current values (None if its components are absent)."""
        for key, spec in _callbacks_named(self.app, name):
            deps = [*spec["inputs"], *spec["state"]]
            items: list[Any] = []
            present = True
            for dep in deps:
                pattern = _decode_id(dep["id"])
                if _is_many(pattern):
                    found = self._present(pattern)
                    items.append(
                        [
                            {"id": i, "property": dep["property"], "value": self._value(i, dep["property"])}
                            for i in found
                        ]
                    )
                elif pattern == ids.URL or _id_text(pattern) in self.frame or _id_text(pattern) in self.page:
                    items.append(
                        {
                            "id": pattern,
                            "property": dep["property"],
                            "value": self._value(pattern, dep["property"]),
                        }
                    )
                else:
                    present = False
                    break
            if not present:
                continue
            outputs: list[Any] = []
            for output in spec["output"] if isinstance(spec["output"], list) else [spec["output"]]:
                pattern = _decode_id(output.component_id_str())
                prop = output.component_property
                if _is_many(pattern):
                    outputs.append([{"id": i, "property": prop} for i in self._present(pattern)])
                else:
                    outputs.append({"id": pattern, "property": prop})
            n = len(spec["inputs"])
            return {
                "output": key,
                "outputs": outputs if key.startswith("..") else outputs[0],
                "inputs": items[:n],
                "state": items[n:],
                "changedPropIds": [changed],
            }
        return None

    def _page_callbacks(self) -> list[str]:
        """The callbacks fired by the page's own components (its ready signal)."""
        names = []
        for spec in self.app.callback_map.values():
            inputs = [_decode_id(i["id"]) for i in spec["inputs"]]
            if any(
                isinstance(i, dict) and i.get("type") == "page-ready" and _id_text(i) in self.page
                for i in inputs
            ):
                names.append(spec["callback"].__name__)
        return names

    def _run(self, name: str, changed: str) -> Generator[Request, Any, Call | None]:
        body = self.payload(name, changed)
        if body is None:
            return None
        answer = yield ("post", body)
        for key, props in answer.items():
            if key == ids.URL and "search" in props:
                self.search = props["search"]
            elif key in self.frame:
                self.frame[key].update(props)
                correction = props.get("data") if key == ids.FILTER_ECHO else None
                if correction and correction.get("from") in (None, self.frame[ids.FILTER_CHANGE].get("data")):
                    # The browser sets the bar's corrected controls (assets/filters.js correct); their own
                    # change is recognised there and sends nothing.
                    for name, control in CONTROLS.items():
                        self.frame[control]["value"] = correction["to"][name]
            elif key in self.page:
                self.page[key].update(props)
        return Call(name, body)

    def visit_steps(self, path: str, search: str) -> Steps:
        """A first visit: the frame's layout, the filters from the URL, the routed page and its callbacks.

        The requests are yielded one by one and their answers sent back, so the same sequence runs over
        any client (``visit`` below, or an asynchronous load generator).
        """
        self.path, self.search = path, search
        found = {_id_text(i): dict(p) for i, p in _components((yield ("get", "/_dash-layout")))}
        shown = found[ids.PAGE].get("children")
        self.page = {_id_text(i): dict(p) for i, p in _components(shown)} if shown else {}
        self.frame = {k: v for k, v in found.items() if k not in self.page}
        # The browser hands the address to the filter bar and the pages (assets/filters.js).
        self.frame[ids.FILTER_CHANGE]["data"] = {"search": search}
        calls = [(yield from self._run("update_filters", CHANGE))]
        calls.append((yield from self._run("update_theme_menu", CHANGE)))
        if not shown:  # the layout comes without the page: the router fills it
            body = self.payload("update_page", "url.pathname")
            assert body is not None
            routed = yield ("post", body)
            self.page = {_id_text(i): dict(p) for i, p in _components(routed[ids.PAGE]["children"])}
            calls.append(Call("update_page", body))
        for name in self._page_callbacks():
            calls.append((yield from self._run(name, "page-ready.data")))
        return [c for c in calls if c is not None]

    def choose_steps(self, control: str, value: Any) -> Steps:
        """A filter change: the pages, the theme menu and the filter bar resolve it at once (one round trip).

        The browser hands the controls' values to both (assets/filters.js); the bar's corrections of the
        controls come back already resolved by the pages, so the browser sends nothing more for them.
        """
        self.frame[control]["value"] = value
        values = {field: self.frame[c].get("value") for field, c in CONTROLS.items()}
        used = {ids.YEAR: "annee", ids.DEPARTEMENTS: "departements"}.get(control)
        self.frame[ids.FILTER_CHANGE]["data"] = {"values": values, "changed": used}
        calls = []
        for name in self._page_callbacks():
            calls.append((yield from self._run(name, CHANGE)))
        calls.append((yield from self._run("update_filters", CHANGE)))
        calls.append((yield from self._run("update_theme_menu", CHANGE)))
        return [c for c in calls if c is not None]

    def _drive(self, steps: Steps) -> list[Call]:
        try:
            request = next(steps)
            while True:
                kind, what = request
                request = steps.send(self.post(what) if kind == "post" else self.get(what))
        except StopIteration as done:
            return list(done.value)

    def visit(self, path: str, search: str) -> list[Call]:
        """A first visit, through the browser's own ``post`` and ``get``."""
        return self._drive(self.visit_steps(path, search))

    def choose(self, control: str, value: Any) -> list[Call]:
        """A filter change, through the browser's own ``post`` and ``get``."""
        return self._drive(self.choose_steps(control, value))


async def drive_async(steps: Steps, post: AsyncPost, get: AsyncGet) -> list[Call]:
    """Run a visit or a filter change over an asynchronous client."""
    try:
        request = next(steps)
        while True:
            kind, what = request
            request = steps.send(await (post(what) if kind == "post" else get(what)))
    except StopIteration as done:
        return list(done.value)


def filter_changes(years: list[int], departements: list[str], n: int, seed: int = 7) -> list[tuple[str, Any]]:
    """A director's clicks: mostly one year or one département at a time, sometimes two départements."""
    rng = random.Random(seed)
    changes: list[tuple[str, Any]] = []
    for i in range(n):
        if i % 2 == 0:
            changes.append((ids.YEAR, rng.choice(years)))
        elif rng.random() < 0.25:
            changes.append((ids.DEPARTEMENTS, rng.sample(departements, 2)))
        else:
            changes.append((ids.DEPARTEMENTS, [rng.choice(departements)]))
    return changes
