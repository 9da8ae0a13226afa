"""The import page with catalog files and workbooks, and the catalog page, over HTTP.

This module builds its own app on an empty store (the shared session app keeps the embedded data intact).
"""

from __future__ import annotations

import base64
import io

import pytest
from openpyxl import Workbook, load_workbook

from dashboard import ids
from dashboard.data import journal
from dashboard.panels import committee
from dashboard.panels.indicator_page import indicator_href
from tests.app.view_tree import graphs, texts
from tests.helpers import answer, app_with_accounts, data_url, first_visit, sign_in

CATALOG_HEADER = "code;libellé;définition;thème;unité;sommable;sens;graphique;synonymes"
DECROCHE = (
    "taux_decroche_test;Taux de décroché (essai);Appels décrochés par un conseiller, en % des appels reçus.;"
    "canaux_contact;%;non;hausse;taux;Taux de décroché essai"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """Overrides the shared app: an empty store this module may write to, with two accounts."""
    return app_with_accounts(tmp_path_factory.mktemp("catalog-app"))


def test_an_editor_imports_a_catalog_file_sees_it_on_the_catalog_page_then_undoes_it(
    call, client, store, app
):
    sign_in(client, "alice")
    contents = data_url((CATALOG_HEADER + "\n" + DECROCHE + "\n").encode())
    preview = answer(call("update_upload_preview", [contents, "catalogue.csv"]))
    shown = " ".join(texts(preview[ids.UPLOAD_REPORT]["children"]))
    assert "1 indicateur(s) nouveau(x)" in shown
    assert "taux_decroche_test" in shown
    assert "Rien n'est encore écrit" in shown
    assert preview[ids.UPLOAD_CONFIRM]["disabled"] is False
    sha = preview[ids.UPLOAD_SHA]["data"]

    done = answer(call("update_import_confirm", [1, contents, "catalogue.csv", sha]))
    assert "catalogue importé" in " ".join(texts(done[ids.UPLOAD_RESULT]["children"]))

    # The catalog page shows the new indicator with no restart.
    page = answer(call("update_page", ["/indicateurs"]))
    assert "Taux de décroché (essai)" in texts(page[ids.PAGE]["children"])
    entry = answer(call("update_page", [indicator_href("taux_decroche_test")]))
    entry_texts = texts(entry[ids.PAGE]["children"])
    assert "Appels décrochés par un conseiller, en % des appels reçus." in entry_texts
    assert "pourcentage (%)" in entry_texts

    history = answer(call("update_catalog_history", [True, None, None]))
    option = history[ids.CATALOG_UNDO_SELECT]["options"][0]
    assert "catalogue.csv" in option["label"]
    undone = answer(call("update_catalog_undo", [1, option["value"]]))
    assert "annulée" in " ".join(texts(undone[ids.CATALOG_UNDO_RESULT]["children"]))
    page = answer(call("update_page", ["/indicateurs"]))
    assert "Taux de décroché (essai)" not in texts(page[ids.PAGE]["children"])
    assert list(journal.entries(store)["action"])[:2] == ["annulation catalogue", "catalogue"]


def test_a_workbook_shows_each_name_mapping_before_writing(call, client, store):
    sign_in(client, "alice")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["departement", "caisse", "annee", "indicateur", "valeur", "source"])
    sheet.append(["21", "cpam-21", 2031, "TAUX DE DECROCHÉ ESSAI", "88,5", "Rapport d'activité 2031"])
    catalog = workbook.create_sheet("indicateurs")
    catalog.append(CATALOG_HEADER.split(";"))
    catalog.append(DECROCHE.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    contents = data_url(
        buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    version = store.data_version()
    preview = answer(call("update_upload_preview", [contents, "chiffres.xlsx"]))
    cells = texts(preview[ids.UPLOAD_REPORT]["children"])
    assert "TAUX DE DECROCHÉ ESSAI" in cells
    assert "taux_decroche_test" in cells
    assert store.data_version() == version
    sha = preview[ids.UPLOAD_SHA]["data"]
    done = answer(call("update_import_confirm", [1, contents, "chiffres.xlsx", sha]))
    assert "importé" in " ".join(texts(done[ids.UPLOAD_RESULT]["children"]))
    entry = answer(call("update_page", [indicator_href("taux_decroche_test")]))
    assert "CPAM de la Côte-d'Or : 2031" in texts(entry[ids.PAGE]["children"])


def test_a_bad_catalog_file_lists_its_errors_and_cannot_be_confirmed(call, client):
    sign_in(client, "alice")
    bad = DECROCHE.replace(";%;non;", ";%;oui;").replace("canaux_contact", "telephonie")
    contents = data_url((CATALOG_HEADER + "\n" + bad + "\n").encode())
    preview = answer(call("update_upload_preview", [contents, "catalogue.csv"]))
    cells = texts(preview[ids.UPLOAD_REPORT]["children"])
    assert "thème" in cells or "theme" in cells
    assert any("ne s'additionne pas" in c for c in cells)
    assert preview[ids.UPLOAD_CONFIRM]["disabled"] is True


def test_a_viewer_cannot_undo_a_catalog_change(call, client):
    sign_in(client, "victor")
    assert call("update_catalog_undo", [1, 1]).status_code == 403


def test_the_catalog_search_ignores_accents_and_case(call, client):
    result = answer(call("update_indicator_search", ["ATTENTE"]))
    shown = texts(result[ids.INDICATOR_LIST]["children"])
    assert "Temps d'attente moyen au 3646" in shown
    assert "Demandes des assurés" not in shown
    assert "pour « ATTENTE »" in result[ids.INDICATOR_COUNT]["children"]
    result = answer(call("update_indicator_search", ["bénéficiaires AME"]))
    assert "Bénéficiaires de l'aide médicale de l'État" in texts(result[ids.INDICATOR_LIST]["children"])
    forged = answer(call("update_indicator_search", [{"x": 1}]))
    assert "Demandes des assurés" in texts(forged[ids.INDICATOR_LIST]["children"])


def test_the_prefilled_template_holds_a_row_per_unknown_name_of_the_dropped_file(call, client):
    sign_in(client, "alice")
    figures = "departement;caisse;annee;indicateur;valeur;source\n21;cpam-21;2031;Appels perdus essai;12;R\n"
    contents = data_url(figures.encode())
    preview = answer(call("update_upload_preview", [contents, "chiffres.csv"]))
    assert "Appels perdus essai" in " ".join(texts(preview[ids.UPLOAD_REPORT]["children"]))
    payload = call.payload("update_catalog_download", [None, 1, contents, "chiffres.csv"])
    payload["changedPropIds"] = [f"{ids.CATALOG_TEMPLATE}.n_clicks"]
    download = answer(client.post("/_dash-update-component", json=payload))
    payload = download[ids.CATALOG_DOWNLOAD]["data"]
    assert payload["filename"] == "modele-catalogue.xlsx"
    sheet = load_workbook(io.BytesIO(base64.b64decode(payload["content"]))).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == ["appels_perdus_essai", "Appels perdus essai"]


def test_an_indicator_added_by_a_workbook_shows_on_its_theme_page_the_overview_and_the_dossier(call, client):
    sign_in(client, "alice")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["departement", "caisse", "annee", "indicateur", "valeur", "source"])
    sheet.append(["21", "cpam-21", 2029, "rappels_test", "1 200", "Rapport d'activité 2029"])
    sheet.append(["21", "cpam-21", 2030, "rappels_test", "1 450", "Rapport d'activité 2030"])
    catalog = workbook.create_sheet("indicateurs")
    catalog.append(CATALOG_HEADER.split(";"))
    catalog.append(
        [
            "rappels_test",
            "Rappels des assurés (essai)",
            "Appels rendus aux assurés qui l'ont demandé.",
            "canaux_contact",
            "nombre",
            "oui",
            "hausse",
            "volume",
            "Rappels essai",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    contents = data_url(
        buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    preview = answer(call("update_upload_preview", [contents, "rappels.xlsx"]))
    sha = preview[ids.UPLOAD_SHA]["data"]
    answer(call("update_import_confirm", [1, contents, "rappels.xlsx", sha]))
    search = "?annee=2030&comparaison=2029&departements=21"

    # Its theme page draws both years (no package change, no restart).
    page = answer(call("update_theme_page", [first_visit(search), True, "/canaux"]))
    titles = [figure["layout"]["title"]["text"] for figure in graphs(page[ids.THEME_BODY]["children"])]
    assert any("Rappels des assurés (essai)" in t for t in titles)
    # The overview lists it with the theme's other published figures.
    overview = answer(call("update_overview", [first_visit(search), True]))
    assert any(t.startswith("Canaux de contact") for t in texts(overview[ids.OVERVIEW_CARDS]["children"]))
    # The committee dossier ticks its chart by default.
    payload = call.payload("update_committee_choice", [None, None, None, first_visit(search), True, None])
    group = {"type": "committee-figures", "group": "canaux"}
    payload["state"] = [[{"id": group, "property": "id", "value": group}]]
    payload["outputs"] = [
        [{"id": group, "property": "value"}],
        {"id": committee.LEFT_OUT, "property": "children"},
    ]
    payload["changedPropIds"] = [f"{ids.FILTER_CHANGE}.data"]
    ticked = answer(call.client.post("/_dash-update-component", json=payload))
    ticked.pop(committee.LEFT_OUT)
    assert "contact-channels/rappels_test" in next(iter(ticked.values()))["value"]
