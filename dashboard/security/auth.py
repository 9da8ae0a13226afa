"""Who is asking: nobody (a viewer), a password session, or the single sign-on header; and what they may do.

Viewing needs no account. Writing (import, undo) needs the editor role, checked on the server inside every
callback and route that writes: never derived from the request payload, only from the signed session
cookie or, in single sign-on mode, from the header the reverse proxy sets.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from typing import Literal

from flask import abort, current_app, g, has_request_context, request, session

from dashboard.data.accounts import Role, get_account, session_account
from dashboard.data.store import Store
from dashboard.settings import Settings

logger = logging.getLogger(__name__)

Via = Literal["anonyme", "session", "entete"]
EXTENSION = "tdb_security"
_NAME = re.compile(r"^[\w.@+\- ]{1,120}$")
_EDITOR_WORDS = {"editor", "editeur", "éditeur"}
ROLE_LABELS = {"viewer": "lecteur", "editor": "éditeur"}
SESSION_TOKEN = "jeton"  # the cookie's key for the server-side session token


@dataclass(frozen=True, slots=True)
class User:
    """The person behind a request."""

    name: str | None
    role: Role
    via: Via

    @property
    def can_edit(self) -> bool:
        """True for the editor role: import and undo."""
        return self.role == "editor"

    @property
    def label(self) -> str:
        """How the journal names this person."""
        return self.name or "anonyme"


ANONYMOUS = User(None, "viewer", "anonyme")


@dataclass(frozen=True, slots=True)
class SecurityContext:
    """What the request hooks need, kept in ``app.extensions``."""

    settings: Settings
    store: Store


def security_context() -> SecurityContext:
    """The context installed by ``install_security`` on the current Flask app."""
    context: SecurityContext = current_app.extensions[EXTENSION]
    return context


def valid_name(name: str) -> bool:
    """An account name: letters, digits, and . @ + - _ or spaces; 120 characters at most."""
    return bool(_NAME.match(name)) and name == name.strip()


def _header(name: str) -> str:
    """A request header as the person wrote it.

    HTTP headers travel as bytes that the WSGI server decodes as latin-1; a proxy that sends UTF-8
    (« éditeur », « Hélène ») arrives as « Ã©diteur ». Undo that when the bytes are valid UTF-8.
    """
    value = request.headers.get(name, "")
    try:
        return value.encode("latin-1").decode("utf-8").strip()
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value.strip()


def _from_header(context: SecurityContext) -> User:
    settings = context.settings
    assert settings.auth_header is not None
    name = _header(settings.auth_header)
    if not name or not valid_name(name):
        return ANONYMOUS
    if settings.auth_role_header is not None:
        role_text = _header(settings.auth_role_header).lower()
        roles = {part.strip() for part in role_text.split(",")}
        return User(name, "editor" if roles & _EDITOR_WORDS else "viewer", "entete")
    account = get_account(context.store, name)
    return User(name, account.role if account is not None else "viewer", "entete")


def _from_session(context: SecurityContext) -> User:
    # The cookie is signed, but a signature is not enough: the development key is public, and a copied
    # cookie outlives its sign-out. The token must name a live session in the store.
    token = session.get(SESSION_TOKEN)
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return ANONYMOUS
    account = session_account(context.store, token)
    if account is None or account.mot_de_passe is None:  # single sign-on accounts never hold a session
        return ANONYMOUS
    return User(account.nom, account.role, "session")


def current_user() -> User:
    """The person behind the current request (anonymous outside a request, or without credentials)."""
    if not has_request_context() or EXTENSION not in current_app.extensions:
        return ANONYMOUS
    cached = g.get("tdb_user")
    if isinstance(cached, User):
        return cached
    context = security_context()
    user = _from_header(context) if context.settings.auth_header else _from_session(context)
    g.tdb_user = user
    return user


def require_editor() -> User:
    """The current user if an editor; otherwise the request ends with 403 and nothing is written."""
    user = current_user()
    if not user.can_edit:
        logger.warning(
            "écriture refusée à %s sur %s", user.label, request.path if has_request_context() else ""
        )
        abort(
            403, description="Action réservée aux comptes éditeurs : connectez-vous avec un compte éditeur."
        )
    return user


def csrf_token() -> str:
    """The session's anti-forgery token, put in every form that posts to the server."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf(sent: object) -> None:
    """End the request with 400 unless the form carried the session's token."""
    expected = session.get("csrf")
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not secrets.compare_digest(sent, expected)
    ):
        abort(400, description="Formulaire expiré ou falsifié : rechargez la page et recommencez.")
