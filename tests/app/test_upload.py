"""The import page over HTTP: an editor previews, confirms, reads the history and undoes; a viewer cannot.

This module builds its own app on an empty store (the shared session app keeps the embedded data intact).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashboard import ids
from dashboard.data import journal, schema
from tests.app.view_tree import nodes, texts
from tests.helpers import answer, app_with_accounts, data_url, sign_in

HEADER = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """Overrides the shared app: an empty store this module may write to, with two accounts."""
    return app_with_accounts(tmp_path_factory.mktemp("upload-app"))


def csv(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def figure_count(store) -> int:
    with store.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(schema.observations)))


def test_editor_previews_confirms_and_undoes_an_import(call, client, store):
    assert sign_in(client, "alice").status_code == 303
    version = store.data_version()
    contents = data_url(csv("21;cpam-21;2031;demandes_total;3 872 394;;;Rapport 2031;;"))

    preview = answer(call("update_upload_preview", [contents, "chiffres-2031.csv"]))
    report = " ".join(texts(preview[ids.UPLOAD_REPORT]["children"]))
    assert "1 chiffre(s) nouveau(x)" in report
    assert "Rien n'est encore écrit" in report
    assert preview[ids.UPLOAD_CONFIRM]["disabled"] is False
    sha = preview[ids.UPLOAD_SHA]["data"]
    assert len(sha) == 64
    assert store.data_version() == version  # a preview writes nothing

    done = answer(call("update_import_confirm", [1, contents, "chiffres-2031.csv", sha]))
    assert "importé" in " ".join(texts(done[ids.UPLOAD_RESULT]["children"]))
    assert done[ids.UPLOAD]["contents"] is None
    assert store.data_version() == version + 1

    history = answer(call("update_import_history", [True, None, None]))
    row = history[ids.IMPORT_HISTORY]["data"][0]
    assert (row["auteur"], row["fichier"], row["sha256"], row["lignes"]) == (
        "alice",
        "chiffres-2031.csv",
        sha,
        1,
    )
    option = history[ids.UNDO_SELECT]["options"][0]

    # The list is a native select: the browser sends the chosen value as text.
    undone = answer(call("update_undo", [1, str(option["value"])]))
    assert "annulé" in " ".join(texts(undone[ids.UNDO_RESULT]["children"]))
    assert store.data_version() == version + 2
    actions = list(journal.entries(store)["action"])[:2]
    assert actions == ["annulation", "import"]


def test_preview_shows_before_and_after_of_a_changed_value(call, client, store):
    sign_in(client, "alice")
    first = data_url(csv("85;cpam-85;2032;beneficiaires_css;40 000;;;Première version;;"))
    sha = answer(call("update_upload_preview", [first, "a.csv"]))[ids.UPLOAD_SHA]["data"]
    call("update_import_confirm", [1, first, "a.csv", sha])

    second = data_url(csv("85;cpam-85;2032;beneficiaires_css;45 303;;;Version corrigée;;"))
    preview = answer(call("update_upload_preview", [second, "b.csv"]))
    cells = texts(preview[ids.UPLOAD_REPORT]["children"])
    assert "modifié" in cells
    assert "40\u00a0000" in cells
    assert "45\u00a0303" in cells
    assert "Version corrigée" in cells


def _years_a_new_visit_can_choose(client) -> list[str]:
    frame = client.get("/_dash-layout").get_json()
    year = next(n for n in nodes(frame) if n["props"].get("id") == ids.YEAR)
    return [str(o["value"]) for o in year["props"]["options"]]


def test_the_frame_of_a_new_visit_follows_an_import_and_its_undoing(call, client, store):
    # The frame's JSON is kept per data version: a write must show at the next visit, on every worker.
    assert sign_in(client, "alice").status_code == 303
    before = _years_a_new_visit_can_choose(client)
    assert "2036" not in before
    contents = data_url(csv("21;cpam-21;2036;demandes_total;12;;;Rapport 2036;;"))
    sha = answer(call("update_upload_preview", [contents, "chiffres-2036.csv"]))[ids.UPLOAD_SHA]["data"]
    answer(call("update_import_confirm", [1, contents, "chiffres-2036.csv", sha]))
    assert _years_a_new_visit_can_choose(client) == ["2036", *before]

    history = answer(call("update_import_history", [True, None, None]))
    answer(call("update_undo", [1, str(history[ids.UNDO_SELECT]["options"][0]["value"])]))
    assert _years_a_new_visit_can_choose(client) == before


def test_an_invalid_file_lists_every_error_and_cannot_be_confirmed(call, client, store):
    sign_in(client, "alice")
    count = figure_count(store)
    contents = data_url(
        csv(
            "21;cpam-21;2033;demandes_totale;1;;;R;;",
            "21;cpam-21;2033;demandes_total;huit;;;R;;",
            "21;cpam-21;2033;appels_3646_recus;5;;;R;javascript:alert(1);",
        )
    )
    preview = answer(call("update_upload_preview", [contents, "erreurs.csv"]))
    cells = texts(preview[ids.UPLOAD_REPORT]["children"])
    assert any("3 erreur(s)" in c for c in cells)
    assert {"2", "3", "4"} <= set(cells)  # line numbers
    assert {"indicateur", "valeur", "url"} <= set(cells)  # columns
    assert any("attendu une adresse web commençant par http://" in c for c in cells)
    assert preview[ids.UPLOAD_CONFIRM]["disabled"] is True
    assert preview[ids.UPLOAD_SHA]["data"] is None
    assert figure_count(store) == count


def test_confirming_a_file_other_than_the_previewed_one_is_refused(call, client, store):
    sign_in(client, "alice")
    count, version = figure_count(store), store.data_version()
    previewed = data_url(csv("21;cpam-21;2034;demandes_total;1;;;R;;"))
    other = data_url(csv("21;cpam-21;2034;demandes_total;2;;;R;;"))
    sha = answer(call("update_upload_preview", [previewed, "a.csv"]))[ids.UPLOAD_SHA]["data"]
    result = answer(call("update_import_confirm", [1, other, "a.csv", sha]))
    assert "n'est pas celui de l'aperçu" in " ".join(texts(result[ids.UPLOAD_RESULT]["children"]))
    assert (figure_count(store), store.data_version()) == (count, version)


@pytest.mark.parametrize("who", [None, "victor"])
def test_a_viewer_cannot_preview_import_undo_or_read_the_history(call, client, store, who):
    if who:
        sign_in(client, who)
    count, version = figure_count(store), store.data_version()
    contents = data_url(csv("21;cpam-21;2035;demandes_total;1;;;R;;"))
    sha = "0" * 64
    for name, values in [
        ("update_upload_preview", [contents, "a.csv"]),
        ("update_import_confirm", [1, contents, "a.csv", sha]),
        ("update_undo", [1, 1]),
    ]:
        response = call(name, values)
        assert response.status_code == 403, name
        assert "réservée aux comptes éditeurs" in response.get_data(as_text=True)
    assert call("update_import_history", [True, None, None]).status_code == 204
    assert (figure_count(store), store.data_version()) == (count, version)


def test_the_page_shows_viewers_a_sign_in_link_and_hides_the_upload(call, client):
    page = answer(call("update_page", ["/import"]))[ids.PAGE]["children"]
    assert "Se connecter" in texts(page)
    editor = page["props"]["children"][-1]
    assert editor["props"]["hidden"] is True


def test_the_page_shows_editors_their_name_and_the_upload(call, client):
    sign_in(client, "alice")
    page = answer(call("update_page", ["/import"]))[ids.PAGE]["children"]
    assert any("Connecté : alice (éditeur)" in t for t in texts(page))
    assert page["props"]["children"][-1]["props"]["hidden"] is False
