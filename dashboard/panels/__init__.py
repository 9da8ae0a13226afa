"""Every page of the dashboard, in one tuple: the shell registers them and the navigation bar lists them.

The theme pages are not listed one by one: they are rows of the page table (``themes.csv``), all served by
``theme_page``.
"""

from __future__ import annotations

from types import ModuleType
from typing import cast

from dashboard.data.catalog import Catalog
from dashboard.panels import (
    accessibility,
    committee,
    compare,
    data_table,
    indicator_page,
    overview,
    presentation,
    theme_page,
    upload,
)
from dashboard.panels.page import Panel, PanelPage

_MODULES: tuple[ModuleType, ...] = (
    overview,
    theme_page,
    data_table,
    compare,
    committee,
    presentation,
    indicator_page,
    accessibility,
    upload,
)
PANELS: tuple[Panel, ...] = tuple(cast(Panel, module) for module in _MODULES)


def page_for_path(path: str, catalog: Catalog) -> tuple[Panel, str]:
    """The page that serves an address; an unknown one gets the « page introuvable » page."""
    clean = "/" + path.strip("/") if path.strip("/") else "/"
    if theme_page.serves(catalog, clean):
        return cast(Panel, theme_page), clean
    if indicator_page.serves(catalog, clean):
        return cast(Panel, indicator_page), clean
    for panel in PANELS:
        if panel is not theme_page and clean == panel.PAGE.path:
            return panel, clean
    return cast(Panel, _NotFound()), clean


def known_path(path: str, catalog: Catalog) -> bool:
    """Whether a page exists at this address (an unknown one answers 404)."""
    return not isinstance(page_for_path(path, catalog)[0], _NotFound)


class _NotFound:
    """The page of an unknown address."""

    PAGE = PanelPage(key="not-found", path="", title="Page introuvable", order=99, nav=False)

    def layout(self, repo: object, path: str) -> object:
        return accessibility.not_found(path)

    def register_callbacks(self, app: object, repo: object) -> None:
        del app, repo


__all__ = ["PANELS", "Panel", "PanelPage", "known_path", "page_for_path"]
