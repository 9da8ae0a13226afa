"""The validation layout Dash needs, reduced to what it checks: every component that has an id.

Dash 4 embeds the app's ``validation_layout`` in the HTML of every page load (the ``_dash-config``
script), so that the browser can check the callbacks against it. Built from every page's full layout it
weighed 280 kB of JSON per page load (texts, dropdown options, tables) and cost about 10 ms of server
CPU to serialise each time. Dash only checks that each callback's ids exist on a component of the right
type, so one bare component per id, with its required properties, is enough.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from dash import html
from dash.development.base_component import Component


def _with_ids(tree: Any) -> Iterator[Component]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(node)
        elif isinstance(node, Component):
            if getattr(node, "id", None) is not None:
                yield node
            for name in node._prop_names:  # children, and any other property that holds components
                value = getattr(node, name, None)
                if isinstance(value, Component | list | tuple):
                    stack.append(value)


def _bare(component: Component) -> Component:
    """The same component type with its id only (and its required properties, when it has any)."""
    kind = type(component)
    try:
        return kind(id=getattr(component, "id"))  # noqa: B009 - Component declares no id attribute
    except TypeError:  # a required property (dcc.Link's href…): keep every property but the children
        props = {k: v for k, v in component.to_plotly_json()["props"].items() if k != "children"}
        return kind(**props)


def id_skeleton(*layouts: Component) -> html.Div:
    """One bare component per id found in the layouts, in a flat list (the first of duplicates kept)."""
    seen: set[str] = set()
    bare = []
    for layout in layouts:
        for component in _with_ids(layout):
            key = json.dumps(getattr(component, "id"), sort_keys=True)  # noqa: B009
            if key not in seen:
                seen.add(key)
                bare.append(_bare(component))
    return html.Div(bare)
