"""The navigation bar, built from the pages' metadata."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.components import html_attrs


def nav_link_id(key: str) -> dict[str, str]:
    """The id of a page's link (its href carries the current filters)."""
    return {"type": "nav-link", "page": key}


def build_navbar(pages: list[tuple[str, str, str]], other_themes: list[tuple[str, str]]) -> html.Header:
    """Links to every page (key, path, title) and a menu of the other themes (code, label)."""
    links = [
        dbc.NavItem(dbc.NavLink(title, href=path, id=nav_link_id(key), active="exact"))
        for key, path, title in pages
    ]
    if other_themes:
        links.append(
            dbc.DropdownMenu(
                [
                    dbc.DropdownMenuItem(label, href=f"/autres/{code}", id=nav_link_id(f"theme-{code}"))
                    for code, label in other_themes
                ],
                label="Autres thèmes",
                nav=True,
                in_navbar=True,
                align_end=True,
            )
        )
    return html.Header(
        dbc.Navbar(
            dbc.Container(
                [
                    html.A("Qualité de service des CPAM", href="/", className="navbar-brand app-brand"),
                    html.Nav(
                        dbc.Nav(links, navbar=True, className="ms-auto flex-wrap"),
                        **html_attrs(aria_label="Pages"),
                    ),
                ],
                fluid=True,
            ),
            dark=True,
            className="app-navbar",
        ),
        id=ids.NAV,
    )
