"""Données: every figure behind the filters, sortable and searchable, downloadable as CSV and XLSX."""

from __future__ import annotations

import re
from typing import Any, cast
from urllib.parse import quote, urlsplit

import pandas as pd
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.dash_table.DataTable import DataTable
from dash.dash_table.Format import Format, Group, Scheme, Trim
from dash.development.base_component import Component

from dashboard import ids
from dashboard.analysis import HEADERS, MAX_SEARCH, readable_table, records, search_rows
from dashboard.cache import CachedRepository
from dashboard.components.coverage import build_coverage_table
from dashboard.export.tables import to_csv_bytes, to_xlsx_bytes
from dashboard.filters import Filters, to_query
from dashboard.formatting import DECIMAL_SEPARATOR, THOUSANDS_SEPARATOR, format_number
from dashboard.panels.common import (
    caisse_names,
    changed_filters,
    page_header,
    page_inputs,
    page_state,
    selection_label,
    subtitle_id,
)
from dashboard.panels.page import PanelPage
from dashboard.security.audit import audit
from dashboard.theme import TABLE_CELL_STYLE, TABLE_HEADER_STYLE, export_filename

PAGE = PanelPage(key="data", path="/donnees", title="Données", order=8)

_SHOWN: tuple[str, ...] = (
    "departement",
    "caisse_nom",
    "annee",
    "libelle",
    "valeur",
    "unite",
    "qualificatif",
    "periode",
)
_SHOWN += ("nature", "annee_reference", "derivation", "source", "commentaire")
# Kept as they are in a link target; anything else (parentheses, brackets, spaces, quotes) is %-encoded.
_URL_SAFE = "/:?#&=%~+,;@$-._"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>])")


def _columns() -> list[dict[str, Any]]:
    columns: list[dict[str, Any]] = []
    for key in _SHOWN:
        spec: dict[str, Any] = {"name": HEADERS[key], "id": key}
        if key == "valeur":
            spec |= {
                "type": "numeric",
                "format": Format(group=Group.yes, precision=2, scheme=Scheme.fixed, trim=Trim.yes)
                .group_delimiter(THOUSANDS_SEPARATOR)
                .decimal_delimiter(DECIMAL_SEPARATOR),
            }
        if key == "source":
            spec["presentation"] = "markdown"
        columns.append(spec)
    return columns


def safe_link_target(url: str) -> str | None:
    """The address as a markdown link target, or None when it is not a plain web address.

    The stored URL comes from an imported file: every character that could end the link's target and start
    more markdown (parentheses, brackets, spaces, quotes, angle brackets, ``!``…) is percent-encoded, so
    one cell shows one link, to that address and nowhere else.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url, safe=_URL_SAFE)


def _source_cell(title: str, url: str) -> str:
    """The source as text, and a link only to a validated web address (both come from imported files)."""
    safe_title = _MARKDOWN_SPECIAL.sub(r"\\\1", title)
    target = safe_link_target(url or "")
    return f"[{safe_title}]({target})" if target else safe_title


def layout(repo: CachedRepository, path: str) -> Component:
    """The table and the download buttons."""
    return html.Div(
        [
            page_header(
                PAGE.key,
                "Données",
                "Tous les chiffres derrière les filtres, avec leur qualificatif, leur période, "
                "leur nature et leur source. Cliquez sur un en-tête pour trier ; "
                "tapez dans la ligne grise pour filtrer.",
            ),
            html.Div(
                [
                    html.Button("Télécharger en CSV", id=ids.DOWNLOAD_CSV, className="btn btn-primary me-2"),
                    html.Button(
                        "Télécharger en Excel", id=ids.DOWNLOAD_XLSX, className="btn btn-outline-primary"
                    ),
                    dcc.Download(id=ids.DOWNLOAD),
                ],
                className="download-bar",
            ),
            html.H2("Couverture des données", className="section-title"),
            html.Div(id=ids.DATA_COVERAGE, className="coverage"),
            html.H2("Chiffres", className="section-title"),
            html.Div(
                [
                    html.Label("Rechercher", htmlFor=ids.DATA_SEARCH, className="form-label"),
                    dcc.Input(
                        id=ids.DATA_SEARCH,
                        type="search",
                        value="",
                        debounce=True,
                        maxLength=MAX_SEARCH,
                        placeholder="indicateur, caisse, source… (Entrée pour chercher)",
                        className="form-control",
                    ),
                ],
                className="data-search",
            ),
            html.P(id=ids.DATA_COUNT, className="data-count", role="status"),
            DataTable(
                id=ids.DATA_TABLE,
                columns=cast(Any, _columns()),
                data=[],
                sort_action="native",
                page_action="native",
                page_size=25,
                markdown_options={"link_target": "_blank", "html": False},
                style_table={"overflowX": "auto"},
                style_cell={**TABLE_CELL_STYLE, "minWidth": "90px"},
                style_cell_conditional=[
                    {"if": {"column_id": "valeur"}, "textAlign": "right"},
                    {"if": {"column_id": "libelle"}, "minWidth": "220px"},
                    {"if": {"column_id": "source"}, "minWidth": "320px"},
                    {"if": {"column_id": "commentaire"}, "minWidth": "220px"},
                ],
                style_header=TABLE_HEADER_STYLE,
            ),
        ]
    )


def _table_view(repo: CachedRepository, filters: Filters) -> tuple[pd.DataFrame, Any, str]:
    """Readable rows, coverage matrix and subtitle of the table page for the selection."""
    table = readable_table(repo.observations(caisses=filters.caisses, years=filters.years), repo.catalog)
    # Figures per caisse and year, counted by the store (the per-theme coverage would read every figure).
    coverage = build_coverage_table(
        repo.counts_by_caisse_year(), filters.caisses, repo.choices().years, caisse_names(repo)
    )
    return table, coverage, selection_label(filters, repo)


def _shown_rows(table: pd.DataFrame) -> list[dict[Any, Any]]:
    rows = table.assign(
        source=[_source_cell(t, u) for t, u in zip(table["source"], table["url"], strict=True)]
    )
    return records(rows[list(_SHOWN)])


def _count_text(n: int, searched: str = "") -> str:
    if not n:
        return (
            f"Aucun chiffre ne contient « {searched} »."
            if searched
            else "Aucun chiffre publié pour ces filtres."
        )
    text = f"{format_number(n)} chiffre{'s' if n > 1 else ''}"
    return f"{text} contenant « {searched} »" if searched else text


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """The table follows the filters; the buttons send the same rows as files."""

    @app.callback(
        Output(ids.DATA_TABLE, "data"),
        Output(ids.DATA_COUNT, "children"),
        Output(ids.DATA_COVERAGE, "children"),
        Output(subtitle_id(PAGE.key), "children"),
        *page_inputs(PAGE.key),
        Input(ids.DATA_SEARCH, "value"),
    )
    def update_data_table(change: Any, _ready: Any, words: Any) -> tuple[Any, ...]:
        filters = changed_filters(change, repo)
        # Computed once per data version and selection (the rows and the coverage matrix).
        table, coverage, subtitle = repo.cached(
            f"data-table:{to_query(filters)}", lambda: _table_view(repo, filters)
        )
        searched = words.strip()[:MAX_SEARCH] if isinstance(words, str) else ""
        found = search_rows(table, searched)
        return _shown_rows(found), _count_text(len(found), searched), coverage, subtitle

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_CSV, "n_clicks"),
        Input(ids.DOWNLOAD_XLSX, "n_clicks"),
        page_state(),
        State(ids.DATA_SEARCH, "value"),
        prevent_initial_call=True,
    )
    def update_download(csv_clicks: Any, xlsx_clicks: Any, change: Any, words: Any) -> Any:
        if ctx.triggered_id not in (ids.DOWNLOAD_CSV, ids.DOWNLOAD_XLSX):
            return no_update
        filters = changed_filters(change, repo)
        frame = repo.observations(caisses=filters.caisses, years=filters.years)
        table = search_rows(readable_table(frame, repo.catalog), words)  # the file holds what the page shows
        name = export_filename("donnees", list(filters.caisses), filters.annee)
        label = selection_label(filters, repo)
        if ctx.triggered_id == ids.DOWNLOAD_CSV:
            audit(repo, "export", f"données CSV — {name}.csv — {label} — {len(table)} ligne(s)")
            return dcc.send_bytes(to_csv_bytes(table), f"{name}.csv")
        audit(repo, "export", f"données XLSX — {name}.xlsx — {label} — {len(table)} ligne(s)")
        title = f"Chiffres publiés — {label} — version des données {repo.data_version()}"
        return dcc.send_bytes(to_xlsx_bytes(table, title=title), f"{name}.xlsx")
