"""Files made on the server, over plain HTTP: one chart as PNG, SVG or PDF, and a finished dossier.

``GET /export/figure/<page>/<chart>.<png|svg|pdf>?<filters>&taille=diapositive|a4`` draws one chart for the
filters exactly as its page does. Every input is checked against an allow-list (page and chart keys from
the figure index, formats, sizes, query keys, filters through ``parse_filters``); anything else gets a
French 400 or 404, and a machine without Chromium a French 503 that says what to install.

``GET /export/dossier/<job id>`` sends the file of a finished background export (see ``panels.committee``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, cast
from urllib.parse import urlencode

import plotly.graph_objects as go
from dash import Dash
from flask import Flask, Response, request

from dashboard.cache import CachedRepository
from dashboard.chart_index import figure_index
from dashboard.components.export_links import ROUTE
from dashboard.export.images import (
    FORMATS,
    MIMETYPES,
    SIZES,
    ExportFailed,
    ExportUnavailable,
    ImageFormat,
    ImageRenderer,
    ImageSize,
)
from dashboard.export.jobs import Jobs
from dashboard.export.projector import for_projector
from dashboard.export.provenance import file_stem, stamp
from dashboard.export.services import ExportServices, export_services
from dashboard.filters import MAX_QUERY_LENGTH, Filters, parse_filters
from dashboard.panels import compare
from dashboard.panels.figure_index import draw, provenance, view_url
from dashboard.security.audit import audit

FILTER_KEYS: Final = frozenset({"annee", "comparaison", "departements", "caisses"})
SIZE_KEY: Final = "taille"
INDICATOR_KEY: Final = "indicateur"  # Comparer only: the indicator its two charts show


def _refuse(status: int, message: str) -> Response:
    return Response(message, status=status, mimetype="text/plain", headers={"Cache-Control": "no-store"})


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _checked_request(repo: CachedRepository, extra: frozenset[str]) -> tuple[Filters, ImageSize] | Response:
    """The filters and size of an export address, or the French refusal of a bad one."""
    if len(request.query_string) > MAX_QUERY_LENGTH:
        return _refuse(400, "Adresse trop longue.")
    unknown = sorted(set(request.args) - FILTER_KEYS - {SIZE_KEY} - extra)
    if unknown:
        return _refuse(400, f"Paramètre inconnu : « {unknown[0][:30]} ».")
    size = SIZES.get(request.args.get(SIZE_KEY, "diapositive"))
    if size is None:
        return _refuse(400, "Taille inconnue : « diapositive » ou « a4 ».")
    query = urlencode([(k, v) for k in FILTER_KEYS for v in request.args.getlist(k)])
    filters, notices = parse_filters(query, repo.choices())
    if notices:
        return _refuse(400, " ".join(["Filtres refusés :", *notices]))
    return filters, size


def _send_image(
    server: Flask,
    repo: CachedRepository,
    draw_figure: Callable[[], Any],
    *,
    fmt: str,
    size: ImageSize,
    filters: Filters,
    title: str,
    section: str,
    path: str,
    parts: tuple[str, ...],
) -> Response:
    """Draw, stamp, name and journal one chart image."""
    services = export_services(server)  # looked up per request: tests swap in a renderer
    try:
        services.renderer.check()
        figure = draw_figure()
        plain = figure.to_plotly_json() if isinstance(figure, go.Figure) else figure
        data = services.renderer.render_size(for_projector(plain), cast(ImageFormat, fmt), size)
    except (ExportUnavailable, ExportFailed) as err:
        return _refuse(503, str(err))
    prov = provenance(repo, filters, view_url(request.host_url, path, filters))
    stem = file_stem(section, list(filters.caisses), filters.annee, prov.data_version, *parts, size.key)
    audit(repo, "export", f"image {fmt.upper()} — {stem}.{fmt} — {prov.selection}")
    return _attachment(stamp(data, fmt, title, prov), MIMETYPES[fmt], f"{stem}.{fmt}")


def _compare_export(server: Flask, repo: CachedRepository, chart: str, fmt: str) -> Response:
    checked = _checked_request(repo, frozenset({INDICATOR_KEY}))
    if isinstance(checked, Response):
        return checked
    filters, size = checked
    code = request.args.get(INDICATOR_KEY, compare.DEFAULT_INDICATOR)
    if code not in repo.catalog:
        return _refuse(400, f"Indicateur inconnu : « {code[:40]} ».")
    figure, title = compare.compare_chart(repo, filters, code, chart)
    return _send_image(
        server,
        repo,
        lambda: figure,
        fmt=fmt,
        size=size,
        filters=filters,
        title=title,
        section=compare.PAGE.title,
        path=compare.PAGE.path,
        parts=(code, chart),
    )


def _figure_route(server: Flask, repo: CachedRepository) -> None:
    @server.get(f"{ROUTE}/<panel>/<filename>")
    def export_figure(panel: str, filename: str) -> Response:
        chart, _, fmt = filename.rpartition(".")
        item = figure_index(repo.catalog).get(f"{panel}/{chart}")
        known = item is not None or (panel == compare.PAGE.key and chart in compare.CHARTS)
        if not known:
            return _refuse(404, "Graphique inconnu : vérifiez l'adresse (page et graphique).")
        if fmt not in FORMATS:
            return _refuse(404, "Format inconnu : png, svg ou pdf.")
        if item is None:
            return _compare_export(server, repo, chart, fmt)
        checked = _checked_request(repo, frozenset())
        if isinstance(checked, Response):
            return checked
        filters, size = checked
        return _send_image(
            server,
            repo,
            lambda: draw(repo, filters, item)[0].figure,
            fmt=fmt,
            size=size,
            filters=filters,
            title=item.spec.title,
            section=item.section,
            path=item.path,
            parts=(chart,),
        )


PAGE_KEY: Final = "page"


def _provenance_route(server: Flask, repo: CachedRepository) -> None:
    """What the browser writes into the charts it draws itself: data version and provenance."""

    @server.get("/export/provenance")
    def export_provenance() -> Response:
        checked = _checked_request(repo, frozenset({PAGE_KEY}))
        if isinstance(checked, Response):
            return checked
        filters, _ = checked
        paths = {item.path for item in figure_index(repo.catalog).values()} | {compare.PAGE.path}
        path = request.args.get(PAGE_KEY, "/")
        prov = provenance(repo, filters, view_url(request.host_url, path if path in paths else "/", filters))
        body = {"data_version": prov.data_version, "description": prov.description()}
        return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json", headers=_NO_STORE)


_NO_STORE: Final = {"Cache-Control": "no-store"}
_BROWSER_FORMATS: Final = frozenset({"png", "svg"})
FORMAT_KEY: Final = "format"
FILE_KEY: Final = "fichier"
_FILE_NAME: Final = re.compile(r"^[A-Za-z0-9._-]{1,160}$")


def _journal_route(server: Flask, repo: CachedRepository) -> None:
    """The browser reports each image it drew itself, so every export is in the audit journal."""

    @server.post("/export/journal")
    def export_journal() -> Response:
        checked = _checked_request(repo, frozenset({PAGE_KEY, FORMAT_KEY, FILE_KEY}))
        if isinstance(checked, Response):
            return checked
        filters, _ = checked
        fmt, name = request.args.get(FORMAT_KEY, ""), request.args.get(FILE_KEY, "")
        if fmt not in _BROWSER_FORMATS or not _FILE_NAME.match(name):
            return _refuse(400, "Image inconnue : format « png » ou « svg » et nom de fichier attendus.")
        selection = provenance(repo, filters, "").selection
        audit(repo, "export", f"image {fmt.upper()} dessinée par le navigateur — {name}.{fmt} — {selection}")
        return Response(status=204)


def _dossier_route(server: Flask) -> None:
    @server.get("/export/dossier/<job_id>")
    def export_dossier(job_id: str) -> Response:
        found = export_services(server).jobs.result(job_id)
        if found is None:
            return _refuse(
                404, "Export introuvable ou expiré : relancez-le depuis la page Comité de pilotage."
            )
        data, status = found
        return _attachment(data, status.mimetype, status.filename)


def install_exports(
    app: Dash,
    repo: CachedRepository,
    *,
    renderer: ImageRenderer | None = None,
    jobs: Jobs | None = None,
    deck_template: Path | None = None,
) -> ExportServices:
    """Register the export routes and the links' callback once per app; return the app's services."""
    services = export_services(app.server, renderer=renderer, jobs=jobs, deck_template=deck_template)
    if "export_figure" in app.server.view_functions:
        return services
    _figure_route(app.server, repo)
    _dossier_route(app.server)
    _provenance_route(app.server, repo)
    _journal_route(app.server, repo)
    # The server links of the chart cards get the filters when they are used (assets/export_links.js).
    return services
