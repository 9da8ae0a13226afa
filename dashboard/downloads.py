"""Files made on the server, over plain HTTP: one chart as PNG, SVG or PDF, and a finished dossier.

``GET /export/figure/<page>/<chart>.<png|svg|pdf>?<filters>&taille=diapositive|a4`` draws one chart for the
filters exactly as its page does. Every input is checked against an allow-list (page and chart keys from
the figure index, formats, sizes, query keys, filters through ``parse_filters``); anything else gets a
French 400 or 404, and a machine without Chromium a French 503 that says what to install.

``GET /export/dossier/<job id>`` sends the file of a finished background export (see ``panels.committee``).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

from dash import ALL, ClientsideFunction, Dash, Input, Output, State
from flask import Flask, Response, request

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.components.export_links import ROUTE
from dashboard.export.images import FORMATS, MIMETYPES, SIZES, ExportFailed, ExportUnavailable, ImageRenderer
from dashboard.export.jobs import JobRunner
from dashboard.export.provenance import file_stem, stamp
from dashboard.export.services import ExportServices, export_services
from dashboard.filters import MAX_QUERY_LENGTH, parse_filters
from dashboard.panels.figure_index import draw, figure_index, provenance, view_url

FILTER_KEYS: Final = frozenset({"annee", "comparaison", "departements", "caisses"})
SIZE_KEY: Final = "taille"


def _refuse(status: int, message: str) -> Response:
    return Response(message, status=status, mimetype="text/plain", headers={"Cache-Control": "no-store"})


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _figure_route(server: Flask, repo: CachedRepository) -> None:
    @server.get(f"{ROUTE}/<panel>/<filename>")
    def export_figure(panel: str, filename: str) -> Response:
        chart, _, fmt = filename.rpartition(".")
        item = figure_index(repo).get(f"{panel}/{chart}")
        if item is None:
            return _refuse(404, "Graphique inconnu : vérifiez l'adresse (page et graphique).")
        if fmt not in FORMATS:
            return _refuse(404, "Format inconnu : png, svg ou pdf.")
        if len(request.query_string) > MAX_QUERY_LENGTH:
            return _refuse(400, "Adresse trop longue.")
        unknown = sorted(set(request.args) - FILTER_KEYS - {SIZE_KEY})
        if unknown:
            return _refuse(400, f"Paramètre inconnu : « {unknown[0][:30]} ».")
        size = SIZES.get(request.args.get(SIZE_KEY, "diapositive"))
        if size is None:
            return _refuse(400, "Taille inconnue : « diapositive » ou « a4 ».")
        query = urlencode([(k, v) for k in FILTER_KEYS for v in request.args.getlist(k)])
        filters, notices = parse_filters(query, repo.choices())
        if notices:
            return _refuse(400, " ".join(["Filtres refusés :", *notices]))
        services = export_services(server)  # looked up per request: tests swap in a renderer
        try:
            services.renderer.check()
            built, _ = draw(repo, filters, item)
            data = services.renderer.render_size(built.figure, fmt, size)
        except (ExportUnavailable, ExportFailed) as err:
            return _refuse(503, str(err))
        prov = provenance(repo, filters, view_url(request.host_url, item.path, filters))
        stem = file_stem(
            item.section, list(filters.caisses), filters.annee, prov.data_version, chart, size.key
        )
        return _attachment(stamp(data, fmt, item.spec.title, prov), MIMETYPES[fmt], f"{stem}.{fmt}")


def _dossier_route(server: Flask) -> None:
    @server.get("/export/dossier/<job_id>")
    def export_dossier(job_id: str) -> Response:
        found = export_services(server).jobs.result(job_id)
        if found is None:
            return _refuse(
                404, "Export introuvable ou expiré : relancez-le depuis la page Comité de pilotage."
            )
        path, status = found
        return _attachment(path.read_bytes(), status.mimetype, status.filename)


def install_exports(
    app: Dash, repo: CachedRepository, *, renderer: ImageRenderer | None = None, jobs: JobRunner | None = None
) -> ExportServices:
    """Register the export routes and the links' callback once per app; return the app's services."""
    services = export_services(app.server, renderer=renderer, jobs=jobs)
    if "export_figure" in app.server.view_functions:
        return services
    _figure_route(app.server, repo)
    _dossier_route(app.server)
    # The server links of every chart card follow the filters (assets/export_links.js).
    link = {"type": "export-server", "panel": ALL, "chart": ALL, "variant": ALL}
    app.clientside_callback(
        ClientsideFunction(namespace="cpamServerExport", function_name="links"),
        Output(link, "href"),
        Input(ids.URL, "search"),
        State(link, "id"),
    )
    return services
