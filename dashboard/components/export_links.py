"""Links to a chart's image drawn by the server (PDF, and PNG or SVG at slide or A4 size).

The links' addresses carry the current filters: ``assets/export_links.js`` completes a link's address from
the page's URL when it is used, so a filter change updates none of them. The Comparer page's links also
carry its indicator and are kept current by that page's callback.
"""

from __future__ import annotations

import json
from typing import Final

from dash import html

from dashboard.components import html_attrs

ROUTE: Final = "/export/figure"
LINK_TYPE: Final = "export-server"
# The Comparer page's links also carry the chosen indicator: they are kept current by its own callback.
COMPARE_LINK_TYPE: Final = "export-server-compare"
# (format, size, label): the first is shown as a button, the others in the « Autres formats » menu. A link's
# variant, in its id, is « format-size ».
VARIANTS: Final[tuple[tuple[str, str, str], ...]] = (
    ("pdf", "a4", "PDF"),
    ("pdf", "diapositive", "PDF, diapositive 16:9"),
    ("png", "diapositive", "PNG, diapositive 16:9"),
    ("svg", "diapositive", "SVG, diapositive 16:9"),
    ("png", "a4", "PNG, page A4 paysage"),
    ("svg", "a4", "SVG, page A4 paysage"),
)


def server_link_id(panel: str, chart: str, variant: str, link_type: str = LINK_TYPE) -> dict[str, str]:
    """The id of a server export link (matched with ``ALL`` by the callback that keeps its href current)."""
    return {"type": link_type, "panel": panel, "chart": chart, "variant": variant}


def figure_url(panel: str, chart: str, fmt: str, size: str, search: str = "") -> str:
    """The address of a chart's image drawn by the server, for the filters of a query string."""
    query = search.lstrip("?")
    return f"{ROUTE}/{panel}/{chart}.{fmt}?{query + '&' if query else ''}taille={size}"


def build_server_links(panel: str, chart: str, title: str, link_type: str = LINK_TYPE) -> html.Span:
    """The « PDF » link and the « Autres formats » menu of a chart card.

    On a theme page the menu's links are written by the browser when it is first opened, from its
    ``data-links`` (``assets/export_links.js``): a page mounts its cards anew on every filter change, and
    each component costs Dash's renderer a pass over the whole page. The Comparer's links stay components,
    as its callback rewrites them.
    """

    def link(fmt: str, size: str, label: str, class_name: str) -> html.A:
        address = figure_url(panel, chart, fmt, size)
        completed = html_attrs(data_export=address) if link_type == LINK_TYPE else {}
        return html.A(
            label,
            id=server_link_id(panel, chart, f"{fmt}-{size}", link_type),
            href=address,
            download="",
            className=class_name,
            title=_link_title(label, title),
            **completed,
        )

    first, *others = VARIANTS
    summary = html.Summary("Autres formats", className="btn btn-sm btn-outline-secondary")
    if link_type == LINK_TYPE:
        written = [
            {"href": figure_url(panel, chart, fmt, size), "label": label, "title": _link_title(label, title)}
            for fmt, size, label in others
        ]
        menu: list[html.Summary | html.Ul] = [summary]
        attrs = html_attrs(data_links=json.dumps(written, ensure_ascii=False))
    else:
        menu = [summary, html.Ul([html.Li(link(*variant, "dropdown-item")) for variant in others])]
        attrs = {}
    return html.Span(
        [
            link(*first, "btn btn-sm btn-outline-primary"),
            html.Details(
                menu,
                className="export-more",
                **html_attrs(aria_label=f"Autres formats d'image : {title}"),
                **attrs,
            ),
        ],
        className="export-server",
    )


def _link_title(label: str, title: str) -> str:
    return f"{label} — image dessinée par le serveur : {title}"
