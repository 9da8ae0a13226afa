"""The import page in a real browser: a new file always clears the previous report and its confirmation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard import ids

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
HEADER = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"


@pytest.fixture(scope="module")
def editor(server) -> str:
    """An editor account in the served store (created with the command line, as an administrator would)."""
    env = {**os.environ, "TDB_DATABASE_URL": f"sqlite:///{server.log.parent / 'store.sqlite3'}"}
    subprocess.run(
        [sys.executable, "-m", "dashboard", "users", "add", "ines", "--role", "editor", "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return "ines"


def _sign_in(session, editor: str) -> Page:
    page = session.new_page()
    page.goto(session.server.url("/connexion?suivant=/import"))  # a plain page: no Dash to settle
    page.get_by_label("Nom d'utilisateur").fill(editor)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/import")
    return session.open("/import", page)  # settled: every callback of the page has run


def _drop(page: Page, name: str, content: bytes) -> None:
    page.locator(f"#{ids.UPLOAD} input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    )


def test_a_new_file_clears_the_previous_report_and_confirmation(session, editor) -> None:
    page = _sign_in(session, editor)
    report = page.locator(f"#{ids.UPLOAD_REPORT}")
    confirm = page.get_by_role("button", name="Confirmer l'import")

    good = f"{HEADER}\n21;cpam-21;2044;demandes_total;1 234;;;Rapport 2044;;\n".encode()
    _drop(page, "bon.csv", good)
    expect(report).to_contain_text("Aperçu de « bon.csv »")
    expect(confirm).to_be_enabled()

    # Over the size limit: the server would cut the request short (413) and answer nothing.
    _drop(page, "gros.csv", good + b"x" * (6 * 1024 * 1024))
    expect(report).to_contain_text("« gros.csv » dépasse la limite de 5 Mio")
    expect(report).not_to_contain_text("bon.csv")
    expect(confirm).to_be_disabled()

    _drop(page, "bon.csv", good)
    expect(confirm).to_be_enabled()
    _drop(page, "classeur.xlsm", b"PK\x03\x04" + b"\0" * 100)  # once refused silently by the browser
    expect(report).to_contain_text("les classeurs à macros .xlsm ne sont pas acceptés")
    expect(report).not_to_contain_text("Aperçu de « bon.csv »")
    expect(confirm).to_be_disabled()

    _drop(page, "bon.csv", good)
    expect(confirm).to_be_enabled()
    _drop(page, "vide.csv", f"{HEADER}\n21;cpam-21;2044;demandes_total;;;;R;;\n".encode())
    expect(report).to_contain_text("aucun chiffre à importer")
    expect(confirm).to_be_disabled()
    assert not session.watch.page_errors
