"""A read-only database: the dashboard still shows every page; an import or an undo says why it cannot."""

from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.data.accounts import save_account
from dashboard.data.store import Store
from dashboard.security.passwords import hash_password
from dashboard.settings import Settings
from dashboard.shell import create_app
from tests.helpers import PASSWORD, data_url, first_visit, sign_in


@pytest.fixture(scope="module")
def signed_in_cookie(tmp_path_factory) -> tuple[str, str]:
    """A seeded store with an editor account, who signs in while the store is still writable."""
    path = tmp_path_factory.mktemp("read-only") / "store.sqlite3"
    writable = create_app(Settings(database_url=f"sqlite:///{path}"))
    store: Store = writable.server.extensions["tdb_security"].store
    save_account(store, "alice", "editor", hash_password(PASSWORD))
    client = writable.server.test_client()
    assert sign_in(client, "alice").status_code == 303
    cookie = client.get_cookie("tdb_session").value
    store.dispose()
    return str(path), cookie


@pytest.fixture(scope="module")
def app(signed_in_cookie):
    """Overrides the shared app: the same store, reopened read-only."""
    path, _ = signed_in_cookie
    return create_app(Settings(database_url=f"sqlite:///file:{path}?mode=ro&uri=true"))


@pytest.fixture
def editor(client, signed_in_cookie):
    client.set_cookie("tdb_session", signed_in_cookie[1])
    return client


def test_signing_in_on_a_read_only_store_says_why_it_cannot(client):
    response = sign_in(client, "alice")
    assert response.status_code == 503
    assert "La base de données est en lecture seule" in response.get_data(as_text=True)


def _text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_pages_still_show_figures(call, client):
    assert client.get("/").status_code == 200
    assert "3\u00a0872\u00a0394" in _text(
        call("update_overview", [first_visit("?annee=2024&departements=21"), True])
    )


def test_an_import_says_the_database_is_read_only(call, editor):
    csv = "departement;caisse;annee;indicateur;valeur;source\n21;cpam-21;2040;demandes_total;1;R\n"
    contents = data_url(csv)
    preview = call("update_upload_preview", [contents, "x.csv"])
    sha = preview.get_json()["response"][ids.UPLOAD_SHA]["data"]
    assert sha  # a preview only reads: it works
    result = _text(call("update_import_confirm", [1, contents, "x.csv", sha]))
    assert "La base de données est en lecture seule" in result


def test_an_undo_says_the_database_is_read_only(call, editor):
    assert "lecture seule" in _text(call("update_undo", [1, 1]))
