"""Every page of the dashboard, in one tuple: the shell registers them and the navigation bar lists them."""

from __future__ import annotations

from types import ModuleType
from typing import cast

from dashboard.panels import (
    accessibility,
    committee,
    compare,
    contact_channels,
    css,
    data_table,
    mediation,
    other_themes,
    overview,
    presentation,
    social_action,
    teleservices,
    upload,
)
from dashboard.panels.page import Panel, PanelPage

_MODULES: tuple[ModuleType, ...] = (
    overview,
    contact_channels,
    teleservices,
    css,
    social_action,
    mediation,
    other_themes,
    data_table,
    compare,
    committee,
    presentation,
    accessibility,
    upload,
)
PANELS: tuple[Panel, ...] = tuple(cast(Panel, module) for module in _MODULES)


def page_for_path(path: str) -> tuple[Panel, str]:
    """The page that serves an address; an unknown one gets the « page introuvable » page."""
    clean = "/" + path.strip("/") if path.strip("/") else "/"
    for panel in PANELS:
        if clean == panel.PAGE.path or (panel.PAGE.path != "/" and clean.startswith(panel.PAGE.path + "/")):
            return panel, clean
    return cast(Panel, _NotFound()), clean


class _NotFound:
    """The page of an unknown address."""

    PAGE = PanelPage(key="not-found", path="", title="Page introuvable", order=99, nav=False)

    def layout(self, repo: object, path: str) -> object:
        return accessibility.not_found(path)

    def register_callbacks(self, app: object, repo: object) -> None:
        del app, repo


__all__ = ["PANELS", "Panel", "PanelPage", "page_for_path"]
