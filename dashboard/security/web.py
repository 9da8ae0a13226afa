"""Request and response hooks: size limit, headers and CSP, same-origin writes, callback checks, errors.

Error pages and messages are French and never show a stack trace (it goes to the server log).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, request
from werkzeug.exceptions import HTTPException

from dashboard.data.store import Store, StoreBusy, StoreError
from dashboard.security.auth import EXTENSION, SecurityContext
from dashboard.security.login import register_login_routes
from dashboard.security.pages import error_page
from dashboard.security.payload import PayloadError, check_callback_request
from dashboard.settings import Settings

logger = logging.getLogger(__name__)

CALLBACK_PATH = "/_dash-update-component"
_MESSAGES = {
    400: ("Requête refusée", "La requête est mal formée ou contient des valeurs inattendues."),
    403: ("Accès refusé", "Cette action n'est pas permise avec vos droits."),
    404: ("Page introuvable", "Cette adresse ne correspond à aucune page du tableau de bord."),
    405: ("Méthode refusée", "Cette adresse ne s'utilise pas ainsi."),
    413: ("Fichier trop volumineux", "La requête dépasse la taille maximale acceptée par le serveur."),
    415: ("Format refusé", "Le contenu envoyé n'est pas dans le format attendu."),
    500: (
        "Erreur du serveur",
        "Une erreur inattendue s'est produite ; rien n'a été modifié. Réessayez plus tard.",
    ),
}


def content_security_policy(app: Dash) -> str:
    """The CSP the dashboard runs under: its own scripts plus the hashes of Dash's inline ones.

    ``img-src`` also allows ``blob:``: plotly draws a PNG export from a blob URL of the chart's SVG.
    """
    scripts = " ".join(["'self'", *app.csp_hashes()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",  # Dash and plotly set style attributes and <style> elements
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _error_response(status: int, message: str | None = None) -> Response:
    title, default = _MESSAGES.get(status, _MESSAGES[500] if status >= 500 else _MESSAGES[400])
    text = message or default
    if request.path == CALLBACK_PATH or request.accept_mimetypes.best == "application/json":
        return Response(text, status=status, mimetype="text/plain")
    return Response(error_page(title, text), status=status, mimetype="text/html")


def _same_origin() -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return origin != "null" and parts.netloc == request.host


def install_security(app: Dash, settings: Settings, store: Store) -> None:
    """Attach the security baseline to the app's Flask server (call once every callback is registered)."""
    server = app.server
    server.secret_key = settings.secret_key
    server.config.update(
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.mode == "production",
        SESSION_COOKIE_NAME="tdb_session",
        PROPAGATE_EXCEPTIONS=False,
    )
    server.extensions[EXTENSION] = SecurityContext(settings, store)
    register_login_routes(server)
    csp = content_security_policy(app)
    production = settings.mode == "production"

    @server.before_request
    def _guard() -> Response | None:
        if production and server.debug:
            logger.error("mode débogage actif en production : requêtes refusées")
            return _error_response(500, "Le serveur est mal configuré (débogage actif en production).")
        if request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin():
            return _error_response(403, "Requête venue d'un autre site : refusée.")
        if request.method == "POST" and request.path == CALLBACK_PATH:
            try:
                body = request.get_json(silent=True)
            except RecursionError:  # JSON nested thousands deep: Python's parser gives up
                logger.warning("callback refusé (JSON trop imbriqué) depuis %s", request.remote_addr)
                return _error_response(400, "Requête refusée : contenu JSON trop imbriqué.")
            try:
                check_callback_request(app, body)
            except PayloadError as err:
                logger.warning("callback refusé (%s) depuis %s", err, request.remote_addr)
                return _error_response(400, f"Requête refusée : {err}.")
        return None

    @server.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = csp
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        if production:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    @server.errorhandler(HTTPException)
    def _http_error(err: HTTPException) -> Response:
        status = err.code or 500
        # Our own aborts carry a French description; werkzeug's defaults are English and replaced.
        own = err.description if err.description and err.description != type(err).description else None
        return _error_response(status, own)

    @server.errorhandler(StoreError)
    def _store_error(err: StoreError) -> Response:
        logger.error("base de données : %s", err)
        return _error_response(503 if isinstance(err, StoreBusy) else 500, str(err))

    @server.errorhandler(DependencyException)
    def _unknown_component_file(err: DependencyException) -> Response:
        # An unknown /_dash-component-suites/ path is a missing file, not a server error.
        logger.info("fichier de composant inconnu : %s", request.path[:200])
        return _error_response(404, "Ce fichier n'existe pas.")

    @server.errorhandler(Exception)
    def _unexpected(err: Exception) -> Response:
        logger.exception("erreur inattendue sur %s %s", request.method, request.path, exc_info=err)
        return _error_response(500)
