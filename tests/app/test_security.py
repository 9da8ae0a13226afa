"""Security baseline over HTTP: headers and CSP, sign-in, single sign-on header mode, errors, production."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.data import journal, schema
from dashboard.data.accounts import delete_account, save_account
from dashboard.security.auth import EXTENSION, SecurityContext
from dashboard.security.login import FAILURE_WINDOW, MAX_FAILURES
from dashboard.security.passwords import hash_password
from dashboard.settings import DEV_SECRET_KEY, Settings
from dashboard.shell import create_app
from tests.helpers import PASSWORD, first_visit, form_token, sign_in

PROD_KEY = "p" * 48
NEW_PASSWORD = "un autre mot de passe solide"


@pytest.fixture(scope="module")
def store(app):
    store = app.server.extensions[EXTENSION].store
    save_account(store, "sam", "editor", hash_password(PASSWORD))
    return store


# --- Headers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/"),
        ("get", "/canaux"),
        ("get", "/connexion"),
        ("get", "/assets/app.css"),
        ("get", "/_dash-layout"),
    ],
)
def test_every_response_carries_the_security_headers(client, method, path):
    response = getattr(client, method)(path)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "img-src 'self' data:" in csp
    assert "connect-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    response.close()  # a static file is streamed


def test_error_responses_carry_the_headers_too(client):
    response = client.post("/_dash-update-component", json={"output": "nope"})
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers


def test_every_inline_script_of_the_page_is_allowed_by_its_hash(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", page, flags=re.S)
    executable = [body for attrs, body in inline if "application/json" not in attrs]
    assert executable  # Dash's renderer start-up
    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


# --- Sign-in ------------------------------------------------------------------------------------------------


def test_sign_in_with_the_right_password_then_sign_out(client, store):
    response = sign_in(client, "sam")
    assert response.status_code == 303
    assert response.headers["Location"] == "/import"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "connexion" in set(journal.entries(store)["action"])
    out = client.post("/deconnexion", data={"csrf": form_token(client)})
    assert out.status_code == 303


@pytest.mark.parametrize(
    ("name", "password"), [("sam", "mauvais mot de passe"), ("inconnu", PASSWORD), ("", "")]
)
def test_wrong_credentials_are_refused_in_french(client, store, name, password):
    response = sign_in(client, name, password)
    assert response.status_code == 401
    assert "Nom ou mot de passe incorrect." in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_sign_in_without_the_form_token_is_refused(client, store):
    client.get("/connexion")
    response = sign_in(client, "sam", token="faux")
    assert response.status_code == 400
    assert "Formulaire expiré ou falsifié" in response.get_data(as_text=True)


def test_sign_out_without_the_form_token_is_refused(client, store):
    sign_in(client, "sam")
    assert client.post("/deconnexion", data={}).status_code == 400


def test_password_guessing_is_stopped_after_five_failures(app, store):
    client = app.server.test_client()
    for _ in range(MAX_FAILURES):
        assert sign_in(client, "sam", "devinette", address="10.0.0.7").status_code == 401

    # Even the right password: nothing is tried.
    blocked = sign_in(client, "sam", PASSWORD, address="10.0.0.7")
    assert blocked.status_code == 429
    assert "Trop de tentatives de connexion pour « sam »" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) == FAILURE_WINDOW.total_seconds()
    with client.session_transaction() as signed:
        assert "utilisateur" not in signed

    # A colleague behind the same proxy, and sam from another address, still sign in.
    save_account(store, "lea", "editor", hash_password(PASSWORD))
    assert sign_in(app.server.test_client(), "lea", PASSWORD, address="10.0.0.7").status_code == 303
    assert sign_in(app.server.test_client(), "sam", PASSWORD, address="10.0.0.8").status_code == 303

    # Once the failures are older than the window, sam may try again from the first address.
    with store.write(bump_version=False) as conn:
        conn.execute(
            update(schema.audit_log)
            .where(schema.audit_log.c.detail == "10.0.0.7")
            .values(horodatage=datetime.now(UTC) - FAILURE_WINDOW - timedelta(minutes=1))
        )
    assert sign_in(client, "sam", PASSWORD, address="10.0.0.7").status_code == 303


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "javascript:alert(1)", "/ok\r\nX: y"]
)
def test_sign_in_never_redirects_outside_the_dashboard(client, store, target):
    response = sign_in(client, "sam", suivant=target)
    assert response.headers["Location"] == "/import"


def test_the_sign_in_page_escapes_what_was_typed(client, store):
    response = sign_in(client, '<script>alert("x")</script>', "x")
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_a_changed_password_ends_older_sessions(call, client, store):
    save_account(store, "rita", "editor", hash_password(PASSWORD))
    sign_in(client, "rita")
    assert call("update_import_history", [True, None, None]).status_code == 200
    save_account(store, "rita", "editor", hash_password("un tout autre mot de passe"))
    assert call("update_import_history", [True, None, None]).status_code == 204


def _is_editor(call, client) -> bool:
    """The import history answers editors only (204 for anyone else)."""
    body = call.payload("update_import_history", [True, None, None])
    status = client.post("/_dash-update-component", json=body).status_code
    assert status in (200, 204)
    return status == 200


def test_signing_out_ends_the_session_on_the_server(app, call, client, store):
    sign_in(client, "sam")
    copied = client.get_cookie("tdb_session").value
    assert _is_editor(call, client)
    assert client.post("/deconnexion", data={"csrf": form_token(client)}).status_code == 303
    thief = app.server.test_client()
    thief.set_cookie("tdb_session", copied)  # a copy taken before « Se déconnecter »
    assert not _is_editor(call, thief)


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("ursula", lambda store, name: delete_account(store, name)),
        ("victor", lambda store, name: save_account(store, name, "editor", hash_password(NEW_PASSWORD))),
    ],
    ids=["account_removed", "password_changed"],
)
def test_removing_an_account_or_changing_its_password_ends_every_session(
    app, call, client, store, name, change
):
    save_account(store, name, "editor", hash_password(PASSWORD))
    sign_in(client, name)
    other = app.server.test_client()
    sign_in(other, name)
    assert _is_editor(call, client)
    assert _is_editor(call, other)
    change(store, name)
    assert not _is_editor(call, client)
    assert not _is_editor(call, other)


def _forged_cookie(app, content: dict) -> str:
    """A cookie signed with the app's key: in development mode that key is public."""
    return app.server.session_interface.get_signing_serializer(app.server).dumps(content)


@pytest.mark.parametrize(
    "content",
    [
        # The old cookie of a single sign-on editor: its name and the digest of an empty password.
        {"utilisateur": "claire.sso", "empreinte": hashlib.sha256(b"").hexdigest()[:16]},
        {"utilisateur": "sam", "empreinte": "0" * 16},
        {"jeton": "x" * 43},
        {"jeton": ["x"]},
    ],
)
def test_a_cookie_signed_with_the_public_development_key_is_a_viewer(app, call, client, store, content):
    assert app.server.secret_key == DEV_SECRET_KEY
    save_account(store, "claire.sso", "editor", None)
    client.set_cookie("tdb_session", _forged_cookie(app, content))
    assert not _is_editor(call, client)


# --- Errors: French, never a stack trace ------------------------------------------------------------------


def test_an_unexpected_error_in_a_callback_is_a_french_500_without_traceback(call, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    # Every read goes through the cache, so this breaks a callback even for a selection already shown.
    monkeypatch.setattr(CachedRepository, "cached", broken)
    response = call("update_overview", [first_visit("?annee=2024&departements=21"), True])
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Une erreur inattendue s'est produite" in text
    assert "secret internal detail" not in text
    assert "Traceback" not in text


def test_an_unknown_route_method_is_a_french_page(client):
    response = client.put("/connexion")
    assert response.status_code == 405
    assert "Méthode refusée" in response.get_data(as_text=True)


# --- Single sign-on header mode -----------------------------------------------------------------------------


@pytest.fixture
def header_mode(app, store, monkeypatch):
    """Switch the shared app to the header mode for one test (the settings are read at each request)."""

    def use(role_header: str | None = None) -> None:
        settings = Settings(auth_header="X-Remote-User", auth_role_header=role_header)
        monkeypatch.setitem(app.server.extensions, EXTENSION, SecurityContext(settings, store))

    return use


def _preview(call, headers):
    body = call.payload("update_upload_preview", [None, "x.csv"])
    return call.client.post("/_dash-update-component", json=body, headers=headers)


def test_header_mode_takes_the_role_from_the_users_table(call, header_mode, store):
    header_mode()
    save_account(store, "claire.sso", "editor", None)
    assert _preview(call, {}).status_code == 403
    assert _preview(call, {"X-Remote-User": "inconnu"}).status_code == 403
    assert _preview(call, {"X-Remote-User": "claire.sso"}).status_code == 200
    assert _preview(call, {"X-Remote-User": "<script>"}).status_code == 403


def test_header_mode_reads_a_role_sent_in_utf8(call, header_mode):
    header_mode("X-Remote-Role")
    utf8 = "éditeur".encode().decode("latin-1")  # what the WSGI server makes of UTF-8 bytes
    assert _preview(call, {"X-Remote-User": "dora", "X-Remote-Role": utf8}).status_code == 200
    assert _preview(call, {"X-Remote-User": "dora", "X-Remote-Role": "éditeur"}).status_code == 200
    assert _preview(call, {"X-Remote-User": "dora", "X-Remote-Role": "lecteur"}).status_code == 403


def test_header_mode_reads_a_name_sent_in_utf8(call, header_mode, store):
    header_mode()
    save_account(store, "hélène", "editor", None)
    utf8 = "hélène".encode().decode("latin-1")
    assert _preview(call, {"X-Remote-User": utf8}).status_code == 200


def test_header_mode_with_a_role_header(call, header_mode):
    header_mode("X-Remote-Role")
    assert _preview(call, {"X-Remote-User": "dora", "X-Remote-Role": "lecteur"}).status_code == 403
    assert _preview(call, {"X-Remote-User": "dora", "X-Remote-Role": "editor"}).status_code == 200
    assert _preview(call, {"X-Remote-Role": "editor"}).status_code == 403  # a role without a user


def test_header_mode_disables_the_password_form(client, header_mode):
    header_mode()
    page = client.get("/connexion").get_data(as_text=True)
    assert "authentification unique" in page
    assert "mot_de_passe" not in page
    assert client.post("/connexion", data={"nom": "sam"}).status_code == 405


def test_header_mode_page_shows_the_signed_in_name(call, header_mode, store):
    header_mode()
    save_account(store, "claire.sso", "editor", None)
    body = call.payload("update_page", ["/import"])
    response = call.client.post("/_dash-update-component", json=body, headers={"X-Remote-User": "claire.sso"})
    assert "authentification unique : claire.sso (éditeur)" in json.dumps(
        response.get_json(), ensure_ascii=False
    )
    assert (
        response.get_json()["response"][ids.PAGE]["children"]["props"]["children"][-1]["props"]["hidden"]
        is False
    )


# --- Production ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def production_app(tmp_path_factory, app):
    folder = tmp_path_factory.mktemp("production")
    source = app.server.extensions[EXTENSION].store.engine.url.database
    shutil.copy(source, folder / "store.sqlite3")
    return create_app(
        Settings(database_url=f"sqlite:///{folder / 'store.sqlite3'}", mode="production", secret_key=PROD_KEY)
    )


def test_production_cookies_are_secure_and_https_is_required(production_app):
    client = production_app.server.test_client()
    response = client.get("/connexion")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_refuses_to_serve_in_debug_mode(production_app, monkeypatch):
    monkeypatch.setattr(production_app.server, "debug", True)
    response = production_app.server.test_client().get("/")
    assert response.status_code == 500
    assert "débogage actif en production" in response.get_data(as_text=True)


def test_production_start_up_refuses_the_default_key(monkeypatch):
    from dashboard.settings import SettingsError

    monkeypatch.setenv("TDB_MODE", "production")
    monkeypatch.delenv("TDB_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError, match="TDB_SECRET_KEY"):
        create_app()


# --- Imported text shown as text: a url cannot add links or images to the Données table -------------------

HOSTILE_URLS = {
    "closing_parenthesis_then_link": "https://example.org/x)[Se connecter](https://phishing.example/login)",
    "image": "https://example.org/x)![pixel](https://tracker.example/p.png)",
    "title_quote": 'https://example.org/x "titre")[a](https://evil.example',
    "angle_brackets": "https://example.org/<script>alert(1)</script>",
    "javascript": "javascript:alert(1)",
    "no_host": "https:///chemin",
}


@pytest.mark.parametrize("url", HOSTILE_URLS.values(), ids=HOSTILE_URLS.keys())
def test_a_url_cannot_add_links_or_images_to_the_data_table(url):
    from dashboard.panels.data_table import _source_cell

    cell = _source_cell("Rapport [annuel](x)", url)
    assert "![" not in cell
    assert cell.count("](") <= 1  # the source's own link at most; its title's brackets are escaped
    if "](" in cell:
        target = cell.split("](", 1)[1][:-1]
        assert target.startswith(("https://example.org/", "http://example.org/"))
        assert not re.search(r"[\s()\[\]<>\"'!]", target)


@pytest.mark.parametrize("url", [*HOSTILE_URLS.values()][3:])
def test_an_address_that_is_not_a_web_page_is_refused_at_import(url):
    from dashboard.data.validation import ObservationIn

    with pytest.raises(ValueError, match="attendu une adresse web"):
        ObservationIn._url(url)
