"""What every page module exposes: its metadata, its layout and its callbacks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from dash import Dash
from dash.development.base_component import Component

from dashboard.cache import CachedRepository


@dataclass(frozen=True, slots=True)
class PanelPage:
    """A page of the dashboard.

    Attributes:
        key: kebab-case key, prefix of the page's component ids.
        path: URL path.
        title: French title shown in the navigation bar and the browser tab.
        order: position in the navigation bar.
        nav: whether the navigation bar lists it.
        menu: a shorter label for the navigation bar (the title when empty).
    """

    key: str
    path: str
    title: str
    order: int
    nav: bool = True
    menu: str = ""


class Panel(Protocol):
    """A page module: ``PAGE``, ``layout(repo, path)`` and ``register_callbacks(app, repo)``."""

    PAGE: PanelPage

    def layout(self, repo: CachedRepository, path: str) -> Component:
        """The page's component tree, built without reading any figure (callbacks fill it)."""

    def register_callbacks(self, app: Dash, repo: CachedRepository) -> None:
        """Attach the page's callbacks to the app."""
