"""Routes of the password sign-in: GET/POST /connexion and POST /deconnexion (anti-forgery token on both)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask import Flask, Response, redirect, request, session

from dashboard.data import journal
from dashboard.data.accounts import close_session, get_account, open_session
from dashboard.data.store import Store, StoreError
from dashboard.security.auth import (
    SESSION_TOKEN,
    check_csrf,
    csrf_token,
    security_context,
    valid_name,
)
from dashboard.security.pages import login_page, sso_page
from dashboard.security.passwords import verify_password

logger = logging.getLogger(__name__)

SESSION_LIFETIME = timedelta(hours=8)
# Password guessing: after MAX_FAILURES refusals for one name from one address within FAILURE_WINDOW,
# that name is refused from that address (without checking the password) until the oldest ages out.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
REFUSED = "connexion refusée"
DEFAULT_NEXT = "/import"
_LOCAL_PATH = re.compile(r"^/(?!/)[A-Za-z0-9/_\-]{0,100}$")


def safe_next(value: object) -> str:
    """A local path to go back to after signing in; anything else (another site, a script) goes to /import."""
    return value if isinstance(value, str) and _LOCAL_PATH.match(value) else DEFAULT_NEXT


def _html(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _recent_failures(store: Store, name: str, address: str) -> int:
    try:
        return journal.count_recent(
            store, action=REFUSED, within=FAILURE_WINDOW, utilisateur=name, detail=address
        )
    except StoreError:  # a busy or unreadable journal must not lock everyone out
        logger.exception("journal illisible : tentatives de connexion non comptées")
        return 0


def _record_failure(store: Store, name: str, address: str) -> None:
    try:
        journal.append(store, utilisateur=name, action=REFUSED, detail=address)
    except StoreError:
        logger.exception("journal indisponible : connexion refusée pour « %s » non journalisée", name[:120])


def _sign_in() -> Response:
    check_csrf(request.form.get("csrf"))
    typed = request.form.get("nom", "").strip()
    name = typed[:120]  # as journaled and shown back; the account is looked up by what was typed
    password = request.form.get("mot_de_passe", "")
    next_path = safe_next(request.form.get("suivant"))
    store = security_context().store
    address = request.remote_addr or "inconnue"
    # Counted per name and address, not per address alone: behind the caisse's reverse proxy every
    # person shares the proxy's address, and one mistyping colleague must not lock the others out.
    if _recent_failures(store, name, address) >= MAX_FAILURES:
        logger.warning("connexion bloquée pour « %s » depuis %s", name, address)
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        error = (
            f"Trop de tentatives de connexion pour « {name} » : réessayez d'ici {minutes} minutes, ou "
            "demandez à l'administrateur de vérifier votre compte."
        )
        response = _html(login_page(csrf=csrf_token(), next_path=next_path, error=error, name=name), 429)
        response.headers["Retry-After"] = str(int(FAILURE_WINDOW.total_seconds()))
        return response
    account = get_account(store, typed) if valid_name(typed) else None
    if not verify_password(account.mot_de_passe if account else None, password) or account is None:
        logger.warning("connexion refusée pour « %s »", name)
        _record_failure(store, name, address)
        return _html(
            login_page(
                csrf=csrf_token(),
                next_path=next_path,
                error="Nom ou mot de passe incorrect.",
                name=name,
            ),
            401,
        )
    session.clear()  # a fresh session on sign-in: no fixation
    session.permanent = True
    try:
        session[SESSION_TOKEN] = open_session(store, account.nom, SESSION_LIFETIME)
    except StoreError as err:  # a read-only or full store cannot record the session: say so
        session.clear()
        error = f"Connexion impossible pour le moment. {err}"
        return _html(login_page(csrf=csrf_token(), next_path=next_path, error=error, name=name), 503)
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
        token = session.get(SESSION_TOKEN)
        if isinstance(token, str):
            close_session(security_context().store, token)  # a copy of the cookie ends here too
        session.clear()
        return redirect("/", code=303)  # type: ignore[return-value]  # werkzeug's Response
