"""The navigation bar, built from the page table, and the « Autres thèmes » menu of a selection."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.components import html_attrs
from dashboard.formatting import format_published_count


def nav_link_id(key: str) -> dict[str, str]:
    """The id of a page's link (its href carries the current filters)."""
    return {"type": "nav-link", "page": key}


def build_theme_menu(
    with_figures: Sequence[tuple[str, str, int]], without: Sequence[tuple[str, str]]
) -> list[dbc.DropdownMenuItem]:
    """Themes with figures for the selection first, with their count; the others grouped apart."""
    items = [
        dbc.DropdownMenuItem(
            [
                label,
                html.Span(f" ({count})", className="menu-count", **html_attrs(aria_hidden="true")),
                html.Span(f" : {format_published_count(count)}", className="visually-hidden"),
            ],
            href=href,
        )
        for label, href, count in with_figures
    ]
    if without:
        items.append(dbc.DropdownMenuItem("Sans chiffre publié", header=True))
        items.extend(
            dbc.DropdownMenuItem(label, href=href, className="menu-empty") for label, href in without
        )
    return items


def build_navbar(pages: Sequence[tuple[str, str, str]]) -> html.Header:
    """Links to every page (key, path, label) and the « Autres thèmes » menu, filled for the selection."""
    links: list[dbc.NavItem | dbc.DropdownMenu] = [
        dbc.NavItem(dbc.NavLink(label, href=path, id=nav_link_id(key), active="exact"))
        for key, path, label in pages
    ]
    # After the theme pages of the main menu: the other themes, whose order depends on the selection.
    position = next((i for i, (key, _, _) in enumerate(pages) if not key.startswith("theme-") and i), 1)
    links.insert(
        position,
        dbc.DropdownMenu(
            [],
            id=ids.NAV_THEMES,
            label="Autres thèmes",
            nav=True,
            in_navbar=True,
            align_end=True,
            className="nav-themes",
        ),
    )
    return html.Header(
        dbc.Navbar(
            dbc.Container(
                [
                    html.A("Qualité de service des CPAM", href="/", className="navbar-brand app-brand"),
                    html.Nav(
                        dbc.Nav(links, navbar=True, className="ms-auto flex-nowrap"),
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
