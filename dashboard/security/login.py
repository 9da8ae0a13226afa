"""Routes of the password sign-in: GET/POST /connexion and POST /deconnexion (anti-forgery token on both)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask import Flask, Response, redirect, request, session

from dashboard.data import journal
from dashboard.data.accounts import get_account
from dashboard.data.store import StoreError
from dashboard.security.auth import (
    check_csrf,
    csrf_token,
    password_fingerprint,
    security_context,
    valid_name,
)
from dashboard.security.pages import login_page, sso_page
from dashboard.security.passwords import verify_password

logger = logging.getLogger(__name__)

SESSION_LIFETIME = timedelta(hours=8)
DEFAULT_NEXT = "/import"
_LOCAL_PATH = re.compile(r"^/(?!/)[A-Za-z0-9/_\-]{0,100}$")


def safe_next(value: object) -> str:
    """A local path to go back to after signing in; anything else (another site, a script) goes to /import."""
    return value if isinstance(value, str) and _LOCAL_PATH.match(value) else DEFAULT_NEXT


def _html(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _sign_in() -> Response:
    check_csrf(request.form.get("csrf"))
    name = request.form.get("nom", "").strip()
    password = request.form.get("mot_de_passe", "")
    next_path = safe_next(request.form.get("suivant"))
    account = get_account(security_context().store, name) if valid_name(name) else None
    if not verify_password(account.mot_de_passe if account else None, password) or account is None:
        logger.warning("connexion refusée pour « %s »", name[:120])
        return _html(
            login_page(
                csrf=csrf_token(),
                next_path=next_path,
                error="Nom ou mot de passe incorrect.",
                name=name[:120],
            ),
            401,
        )
    session.clear()  # a fresh session on sign-in: no fixation
    session.permanent = True
    session["utilisateur"] = account.nom
    session["empreinte"] = password_fingerprint(account.mot_de_passe)
    csrf_token()
    try:
        journal.append(security_context().store, utilisateur=account.nom, action="connexion")
    except StoreError:
        logger.exception("journal indisponible pour la connexion de %s", account.nom)
    return redirect(next_path, code=303)  # type: ignore[return-value]  # werkzeug's Response


def register_login_routes(server: Flask) -> None:
    """Add the sign-in and sign-out routes to the Flask server."""
    server.config["PERMANENT_SESSION_LIFETIME"] = SESSION_LIFETIME

    @server.route("/connexion", methods=["GET", "POST"])
    def connexion() -> Response:
        settings = security_context().settings
        if settings.auth_header:
            return _html(sso_page(settings.auth_header), 200 if request.method == "GET" else 405)
        if request.method == "POST":
            return _sign_in()
        return _html(login_page(csrf=csrf_token(), next_path=safe_next(request.args.get("suivant"))))

    @server.route("/deconnexion", methods=["POST"])
    def deconnexion() -> Response:
        check_csrf(request.form.get("csrf"))
        session.clear()
        return redirect("/", code=303)  # type: ignore[return-value]  # werkzeug's Response
