"""Every component id, in one place: layouts, callbacks and browser tests import them."""

from __future__ import annotations

from typing import Any

URL = "url"
PAGE = "page-content"
NOTICE = "filter-notice"
YEAR = "filter-year"
COMPARISON = "filter-comparison"
DEPARTEMENTS = "filter-departements"
DEPARTEMENTS_ALL = "filter-departements-all"
DEPARTEMENTS_SEARCH = "filter-departements-search"
DEPARTEMENTS_VALUE = "filter-departements-value"
CAISSES = "filter-caisses"
CAISSES_VALUE = "filter-caisses-value"
CAISSES_GROUP = "filter-caisses-group"
# The filter bar's last change, which the pages draw from, and the values the server last corrected.
FILTER_CHANGE = "filter-change"
FILTER_ECHO = "filter-echo"
SKIP_TO_CHARTS = "skip-to-charts"
NAV = "navbar"
PAGE_TITLE = "page-title"

THEME_BODY = "theme-body"
THEME_TABLE = "theme-table"
THEME_TABLE_WRAP = "theme-table-wrap"
THEME_TABLE_NOTE = "theme-table-note"
NAV_THEMES = "nav-themes"

OVERVIEW_CARDS = "overview-cards"
OVERVIEW_THEMES = "overview-themes"
DATA_TABLE = "data-table"
DATA_COUNT = "data-count"
DATA_COVERAGE = "data-coverage"
DATA_SEARCH = "data-search"
DOWNLOAD_CSV = "data-download-csv"
DOWNLOAD_XLSX = "data-download-xlsx"
DOWNLOAD = "data-download"
COMPARE_INDICATOR = "compare-indicator"

# The import page (/import): drop a file, read the report and the preview, confirm; history and undo.
UPLOAD = "upload-file"
UPLOAD_REPORT = "upload-report"
UPLOAD_CONFIRM = "upload-confirm"
UPLOAD_SHA = "upload-sha"
UPLOAD_RESULT = "upload-result"
UPLOAD_LIMIT = "upload-limit"
IMPORT_HISTORY = "import-history"
UNDO_SELECT = "undo-select"
UNDO_CONFIRM = "undo-confirm"
UNDO_BUTTON = "undo-button"
UNDO_RESULT = "undo-result"
# The catalog on the import page: history, undo, export and the pre-filled template.
CATALOG_HISTORY = "catalog-history"
CATALOG_UNDO_SELECT = "catalog-undo-select"
CATALOG_UNDO_CONFIRM = "catalog-undo-confirm"
CATALOG_UNDO_BUTTON = "catalog-undo-button"
CATALOG_UNDO_RESULT = "catalog-undo-result"
CATALOG_EXPORT = "catalog-export"
CATALOG_TEMPLATE = "catalog-template"
CATALOG_DOWNLOAD = "catalog-download"
# The catalog page (/indicateurs).
INDICATOR_SEARCH = "indicator-search"
INDICATOR_LIST = "indicator-list"
INDICATOR_COUNT = "indicator-count"
# « Mes exports » on the Comité page: the tab's list of asked files (session storage), its display, its poll.
EXPORTS = "committee-exports"
EXPORTS_LIST = "committee-exports-list"
EXPORTS_POLL = "committee-exports-poll"


def figure(panel: str, chart: str) -> dict[str, str]:
    """A chart's graph, matched by panel callbacks with ``ALL``."""
    return {"type": "figure", "panel": panel, "chart": chart}


def figure_summary(panel: str, chart: str) -> dict[str, str]:
    """The one-sentence text alternative of a chart."""
    return {"type": "figure-summary", "panel": panel, "chart": chart}


def figure_table(panel: str, chart: str) -> dict[str, str]:
    """The « voir les données » table of a chart."""
    return {"type": "figure-table", "panel": panel, "chart": chart}


def figure_details(panel: str, chart: str) -> dict[str, str]:
    """The summary that opens a chart's « voir les données » table (its clicks fill the table)."""
    return {"type": "figure-details", "panel": panel, "chart": chart}


def figure_slot(panel: str, chart: str, selection: str) -> dict[str, str]:
    """The place of a chart drawn when it nears the window, for one selection (a token of its query)."""
    return {"type": "figure-slot", "panel": panel, "chart": chart, "sel": selection}


def figure_wanted(panel: str, chart: str, selection: str) -> dict[str, str]:
    """Where the browser asks for that chart once it nears the window (its data: the selection's query)."""
    return {"type": "figure-wanted", "panel": panel, "chart": chart, "sel": selection}


def export_button(fmt: str, panel: str, chart: str) -> dict[str, str]:
    """The button that downloads a chart as an image drawn by the browser (``fmt``: png or svg)."""
    return {"type": f"export-{fmt}", "panel": panel, "chart": chart}


def pattern(kind: str, panel: Any, chart: Any) -> dict[str, Any]:
    """A pattern-matching id (``chart`` is usually ``ALL``)."""
    return {"type": kind, "panel": panel, "chart": chart}
