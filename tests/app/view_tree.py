"""Read what a person sees in a component tree that a callback answered (serialised Dash components)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every serialised component in a tree (depth first)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict) and "props" in node:
            yield node
            stack.append(node["props"].get("children"))


def texts(tree: Any) -> list[str]:
    """Every string shown in a tree, in reading order."""
    found: list[str] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            stack.append(node.get("props", {}).get("children"))
    return found


def graphs(tree: Any) -> list[dict[str, Any]]:
    """The figures of every graph in a tree."""
    return [n["props"]["figure"] for n in nodes(tree) if n.get("type") == "Graph"]


def with_class(tree: Any, name: str) -> list[dict[str, Any]]:
    """Components whose class list holds a name."""
    return [n for n in nodes(tree) if name in str(n["props"].get("className", "")).split()]
