"""assets/dash_resets.js holds back the renderer's resets that change nothing: it mirrors how the installed
renderer forgets a component's updates. Another version of the renderer that forgets otherwise fails here,
before a page draws stale components."""

from __future__ import annotations

import re
from pathlib import Path

import dash

# The renderer's unminified build, from the same sources as the served one.
RENDERER = Path(dash.__file__).parent / "dash-renderer" / "build" / "dash_renderer.dev.js"
GUARD = Path(__file__).resolve().parents[2] / "assets" / "dash_resets.js"
MODULE = r"\(0,\s*[\w$]+\.(?:default|\w+)\)|\(0,\s*[\w$]+\[\"default\"\]\)"


def _source() -> str:
    return RENDERER.read_text(encoding="utf-8")


def test_a_path_is_keyed_by_its_items_joined_by_commas() -> None:
    found = re.search(r"function stringifyPath\((\w+)\) \{\s*return (.+?);\s*\}", _source())
    assert found, "stringifyPath a disparu du moteur de Dash"
    argument, body = found.groups()
    assert re.fullmatch(rf"(?:{MODULE})\(',', {argument}\)", body), body  # ramda's join(',')
    assert 'path.join(",")' in GUARD.read_text(encoding="utf-8")


def test_a_reset_forgets_every_update_whose_key_starts_with_the_path() -> None:
    source = _source()
    # Named in the list of actions, made once, handled by one reducer; sent by the component wrapper alone.
    assert source.count("RESET_COMPONENT_STATE") == 3
    assert source.count(".resetComponentState)(") == 1
    start = source.index("action.type === 'RESET_COMPONENT_STATE'")
    branch = source[start : start + 600]
    assert re.search(r"var prefixStr = \(0,\s*[\w$]+\.stringifyPath\)\(itempath\);", branch), branch
    assert "return !key.startsWith(prefixStr);" in branch
    assert "Object.entries(state)" in branch  # the updates counted by path (layoutHashes), nothing else
    assert "key.startsWith(prefix)" in GUARD.read_text(encoding="utf-8")


def test_updates_are_counted_under_the_same_key() -> None:
    source = _source()
    start = source.index("var layoutHashes = function layoutHashes()")
    reducer = source[start : source.index("function mainReducer()", start)]
    assert re.search(r"var strPath = \(0,\s*[\w$]+\.stringifyPath\)\(actionPath\);", reducer), reducer
    # The store's part the guard reads holds those counts.
    parts = source[source.index("function mainReducer()") :][:1500]
    assert re.search(r"\blayoutHashes,", parts), parts


def test_the_renderer_names_its_store_where_the_guard_takes_it() -> None:
    assert "window.store = _this.__store;" in _source()
    assert 'Object.defineProperty(window, "store"' in GUARD.read_text(encoding="utf-8")
