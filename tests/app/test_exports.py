"""Server-side exports over HTTP: the figure route's allow-lists, the committee dossier, the presentation."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from io import BytesIO
from typing import Any

import pytest
from pptx import Presentation
from pypdf import PdfReader

from dashboard import ids
from dashboard.data import journal
from dashboard.data.history import undo_import
from dashboard.data.importer import import_bytes
from dashboard.data.referentiel import load_referentiel
from dashboard.data.shipped_catalog import load_catalog
from dashboard.export.images import ImageRenderer
from dashboard.export.jobs import JobRunner
from dashboard.export.projector import MIN_TEXT_PX, smallest_text_px
from dashboard.export.services import EXTENSION, ExportServices, export_services
from dashboard.ids import EXPORTS, EXPORTS_LIST, EXPORTS_POLL
from dashboard.panels import committee, presentation
from dashboard.panels.since import SINCE_VIEW
from dashboard.security.auth import EXTENSION as SECURITY
from tests.app.conftest import committee_export_payload
from tests.app.view_tree import graphs, nodes, texts, with_class
from tests.helpers import first_visit, png_size

FILTERS = "annee=2024&departements=21"
ROUTE = "/export/figure/contact-channels/demandes_total"


@pytest.fixture
def without_chromium(app, tmp_path, monkeypatch):
    """The app as on a server where Chromium is not installed."""
    services = ExportServices(ImageRenderer(tmp_path / "chromium-absent"), JobRunner(tmp_path / "jobs"))
    monkeypatch.setitem(app.server.extensions, EXTENSION, services)
    return services


# ------------------------------------------------------------------------------------------ figure route


@pytest.mark.chromium
def test_png_route_sends_an_a4_image_named_after_filters_and_data_version(client):
    response = client.get(f"{ROUTE}.png?{FILTERS}&taille=a4")

    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert png_size(response.data) == (2246, 1588)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(
        'attachment; filename="canaux-de-contact_cpam-21_2024_demandes_total_a4_donnees-v'
    )
    assert b"?annee=2024&comparaison=2023&departements=21" in response.data  # provenance in a text chunk


@pytest.mark.chromium
def test_svg_route_draws_the_chart_as_the_page_does(client):
    response = client.get(f"{ROUTE}.svg?{FILTERS}")

    assert response.status_code == 200
    root = ET.fromstring(response.data)
    texts = " ".join(root.itertext())
    assert "Demandes des assurés" in texts
    assert "CPAM de la Côte-d'Or — 2024" in texts
    assert "3\u00a0872\u00a0394" in texts


@pytest.mark.chromium
def test_pdf_route_is_one_a4_landscape_page(client):
    response = client.get(f"{ROUTE}.pdf?{FILTERS}&taille=a4")

    assert response.status_code == 200
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 596)
    assert "Version des données" in reader.metadata.subject


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/export/figure/inconnu/demandes_total.png", 404, "Graphique inconnu"),
        ("/export/figure/contact-channels/inconnu.png", 404, "Graphique inconnu"),
        ("/export/figure/contact-channels/%3Cscript%3E.png", 404, "Graphique inconnu"),
        (f"{ROUTE}.gif", 404, "Format inconnu"),
        (f"{ROUTE}", 404, "Graphique inconnu"),
        (f"{ROUTE}.png?taille=a3", 400, "Taille inconnue"),
        (f"{ROUTE}.png?format=png", 400, "Paramètre inconnu"),
        (f"{ROUTE}.png?annee=1900", 400, "Filtres refusés"),
        (f"{ROUTE}.png?departements=999", 400, "Département « 999 » inconnu"),
        (f"{ROUTE}.png?caisses=" + "x" * 2100, 400, "Adresse trop longue"),
    ],
)
def test_anything_outside_the_allow_lists_is_refused_in_french(client, path, status, words):
    response = client.get(path)

    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_without_chromium_the_route_says_what_to_install(client, without_chromium):
    response = client.get(f"{ROUTE}.png?{FILTERS}")

    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "Chromium est introuvable" in text
    assert "apt-get install chromium" in text


def test_provenance_of_a_browser_drawn_image_names_the_data_version_and_the_view(client):
    response = client.get(f"/export/provenance?{FILTERS}&page=/canaux")

    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body["data_version"], int)
    assert f"Version des données : {body['data_version']}" in body["description"]
    assert "http://localhost/canaux?annee=2024&comparaison=2023&departements=21" in body["description"]
    forged = client.get(f"/export/provenance?{FILTERS}&page=https://ailleurs.example/x").get_json()
    assert "ailleurs.example" not in forged["description"]
    assert client.get("/export/provenance?annee=1900").status_code == 400


def test_chart_cards_link_to_the_server_pdf(call):
    result = call("update_theme_page", [first_visit(f"?{FILTERS}"), True, "/canaux"]).get_json()["response"]
    hrefs = [n["props"].get("href") for n in nodes(result["theme-body"]["children"])]
    assert "/export/figure/contact-channels/parts-demandes_total.pdf?taille=a4" in hrefs
    # The « Autres formats » links, written by the browser when the menu opens (assets/export_links.js).
    menus = [n for n in nodes(result["theme-body"]["children"]) if n["props"].get("data-links")]
    written = json.loads(
        next(m for m in menus if "parts-demandes_total" in m["props"]["data-links"])["props"]["data-links"]
    )
    assert [w["href"] for w in written] == [
        f"/export/figure/contact-channels/parts-demandes_total.{fmt}?taille={size}"
        for fmt, size in (
            ("pdf", "diapositive"),
            ("png", "diapositive"),
            ("svg", "diapositive"),
            ("png", "a4"),
            ("svg", "a4"),
        )
    ]
    assert written[0]["label"] == "PDF, diapositive 16:9"
    assert written[0]["title"].startswith("PDF, diapositive 16:9 — image dessinée par le serveur : ")


@pytest.mark.chromium
@pytest.mark.parametrize("chart", ["classement", "evolution"])
def test_comparer_export_links_draw_the_chart_of_the_chosen_indicator(client, chart):
    response = client.get(
        f"/export/figure/compare/{chart}.svg?{FILTERS}&indicateur=appels_3646_recus&taille=diapositive"
    )

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="comparer_cpam-21_2024_appels_3646_recus_{chart}_diapositive_donnees-v'
    )
    texts = " ".join(ET.fromstring(response.data).itertext())
    assert "Appels reçus au 3646" in texts


@pytest.mark.parametrize(
    ("address", "status", "message"),
    [
        ("/export/figure/compare/autre.png?annee=2024", 404, "Graphique inconnu"),
        ("/export/figure/compare/classement.png?indicateur=pas_un_code", 400, "Indicateur inconnu"),
        ("/export/figure/contact-channels/demandes_total.png?indicateur=x", 400, "Paramètre inconnu"),
    ],
)
def test_comparer_export_refuses_unknown_values_in_french(client, address, status, message):
    response = client.get(address)

    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_comparer_page_links_carry_their_own_type(call):
    page = json.dumps(call("update_page", ["/comparer"]).get_json())

    assert '"type": "export-server-compare"' in page
    assert '"href": "/export/figure/compare/classement.pdf?taille=a4"' in page


@pytest.mark.chromium
def test_every_chart_image_is_written_to_the_audit_journal(client, app):
    client.get(f"{ROUTE}.svg?{FILTERS}")

    entries = journal.entries(app.server.extensions[SECURITY].store, limit=5)
    assert any(
        action == "export" and "canaux-de-contact_cpam-21_2024_demandes_total" in detail
        for action, detail in zip(entries["action"], entries["detail"], strict=True)
    )


def _journaled(app, words: str) -> bool:
    entries = journal.entries(app.server.extensions[SECURITY].store, limit=5)
    return any(
        action == "export" and words in detail
        for action, detail in zip(entries["action"], entries["detail"], strict=True)
    )


def test_an_image_drawn_by_the_browser_is_written_to_the_audit_journal(client, app):
    name = "canaux-de-contact_cpam-21_2024_demandes_total_donnees-v4"
    answer = client.post(f"/export/journal?{FILTERS}&page=/canaux&format=svg&fichier={name}")
    assert answer.status_code == 204
    assert _journaled(app, f"image SVG dessinée par le navigateur — {name}.svg — CPAM de la Côte-d'Or")


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("format=gif&fichier=x", "Image inconnue"),
        ("format=png&fichier=../../etc", "Image inconnue"),
        ("format=png&fichier=x&couleur=rouge", "Paramètre inconnu"),
    ],
)
def test_the_journal_of_browser_images_refuses_what_it_does_not_know(client, app, query, words):
    answer = client.post(f"/export/journal?{FILTERS}&{query}")
    assert answer.status_code == 400
    assert words in answer.get_data(as_text=True)
    assert not _journaled(app, "gif")


def test_a_data_table_download_is_written_to_the_audit_journal(call, app):
    answer = call("update_download", [1, None, first_visit(f"?{FILTERS}"), ""])  # the CSV button
    assert answer.status_code == 200
    assert _journaled(app, "données CSV — donnees_cpam-21_2024")


# ------------------------------------------------------------------------------------------ committee


def _callback(app, name: str) -> tuple[str, dict[str, Any]]:
    return next(
        (key, spec)
        for key, spec in app.callback_map.items()
        if getattr(spec.get("callback"), "__name__", None) == name
    )


def _export(
    client,
    app,
    trigger: str,
    chosen: list[str],
    *,
    job: Any = None,
    search: str = f"?{FILTERS}",
    mine=None,
    save: bool = False,
):
    """POST the committee's export callback as the browser does (a button click or a progress poll)."""
    payload = committee_export_payload(app, trigger, chosen, job=job, search=search, mine=mine, save=save)
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return response.get_json()["response"]


CHOSEN = ["contact-channels/demandes_total", "contact-channels/appels_3646_recus"]


@pytest.mark.parametrize(
    ("search", "expected", "absent"),
    [
        ("?annee=2024&departements=21", "contact-channels/parts-demandes_total", None),
        (
            "?annee=2020&departements=85",
            "mediation/mediation_saisines",
            "contact-channels/parts-demandes_total",
        ),
    ],
)
def test_committee_page_ticks_by_default_the_charts_the_selection_published(call, search, expected, absent):
    page = json.dumps(call("update_page", ["/comite"]).get_json(), ensure_ascii=False)
    assert "Dossier comité de pilotage" in page
    groups = sorted(set(re.findall(r'"group": "([a-z0-9-]+)"', page)))
    payload = call.payload("update_committee_choice", [None, None, None, first_visit(search), True, None])
    payload["state"] = [
        [
            {"id": committee.checklist_id(g), "property": "id", "value": committee.checklist_id(g)}
            for g in groups
        ]
    ]
    payload["outputs"] = [
        [{"id": committee.checklist_id(g), "property": "value"} for g in groups],
        {"id": committee.LEFT_OUT, "property": "children"},
    ]
    payload["changedPropIds"] = [f"{ids.FILTER_CHANGE}.data"]
    response = call.client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    answer = response.get_json()["response"]
    aside = json.dumps(answer.pop(committee.LEFT_OUT)["children"], ensure_ascii=False)
    ticked = {v for values in answer.values() for v in values["value"]}
    assert expected in ticked
    assert "laissé(s) de côté pour cette sélection" in aside
    if absent is not None:
        assert absent not in ticked
        # The chart left out is listed, under the reason it was left out for.
        title = "Répartition : demandes des assurés"
        assert title in aside.split("Sans aucun chiffre publié pour cette sélection")[1]


def test_ticked_charts_with_nothing_published_stay_out_of_the_dossier_and_the_status_says_so(client, app):
    vendee_2020 = "?annee=2020&departements=85"
    chosen = ["contact-channels/demandes_total", "mediation/mediation_saisines"]
    started = _export(client, app, committee.export_button_id("pptx"), chosen, search=vendee_2020)
    assert started[committee.STATUS]["children"] == (
        "Préparation de 1 graphique(s) en cours… 1 graphique(s) coché(s) sans chiffre publié n'y sont pas."
    )
    job = started[committee.JOB]["data"]
    export_services(app.server).jobs.wait(job["id"], timeout=60)
    polled = _export(client, app, committee.POLL, chosen, job=job, search=vendee_2020)
    deck = Presentation(BytesIO(client.get(polled[committee.LINK]["href"]).data))
    assert [s.shapes.title.text for s in deck.slides][1:] == ["Saisines du médiateur"]

    nothing = _export(client, app, committee.export_button_id("pptx"), chosen[:1], search=vendee_2020)
    assert nothing[committee.STATUS]["children"] == (
        "Aucun des graphiques cochés n'a de chiffre publié pour cette sélection."
    )
    assert nothing[committee.JOB]["data"] is None


def test_deck_is_made_in_the_background_then_downloaded(client, app):
    started = _export(client, app, committee.export_button_id("pptx"), CHOSEN)
    job = started[committee.JOB]["data"]
    assert started[committee.POLL]["disabled"] is False

    export_services(app.server).jobs.wait(job["id"], timeout=60)
    polled = _export(client, app, committee.POLL, CHOSEN, job=job)
    assert polled[committee.STATUS]["children"] == "Fichier prêt."
    assert polled[committee.LINK]["hidden"] is False
    href = polled[committee.LINK]["href"]

    response = client.get(href)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="comite-de-pilotage_cpam-21_2024'
    )
    deck = Presentation(BytesIO(response.data))
    assert [s.shapes.title.text for s in deck.slides] == [
        "Dossier comité de pilotage",
        "Demandes des assurés",
        "Appels reçus au 3646",
    ]
    links = [
        r.hyperlink.address
        for shape in deck.slides[1].shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    ]
    assert links == ["http://localhost/canaux?annee=2024&comparaison=2023&departements=21"]


def test_forged_chart_keys_are_ignored(client, app):
    answer = _export(client, app, committee.export_button_id("zip"), ["autre/../../x", "contact-channels/x"])

    assert answer[committee.STATUS]["children"] == "Cochez au moins un graphique."
    assert answer[committee.JOB]["data"] is None


def _my_exports(client, app, mine) -> dict[str, Any]:
    key, spec = _callback(app, "update_committee_my_exports")
    payload = {
        "output": key,
        "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
        "inputs": [
            {"id": EXPORTS, "property": "data", "value": mine},
            {"id": EXPORTS_POLL, "property": "n_intervals", "value": 1},
        ],
        "changedPropIds": [f"{EXPORTS}.data"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return response.get_json()["response"]


def test_a_prepared_file_is_listed_in_my_exports_with_its_download_and_expiry(client, app):
    started = _export(client, app, committee.export_button_id("pptx"), CHOSEN)
    mine = started[EXPORTS]["data"]
    job = started[committee.JOB]["data"]
    assert [entry["id"] for entry in mine] == [job["id"]]
    assert mine[0]["label"] == "Présentation PowerPoint (.pptx)"
    export_services(app.server).jobs.wait(job["id"], timeout=60)

    # Back on the page later: only the session's list is left, and it says where the file stands.
    listed = _my_exports(client, app, mine)
    text = json.dumps(listed[EXPORTS_LIST]["children"], ensure_ascii=False)
    assert "Prêt" in text
    assert f"/export/dossier/{job['id']}" in text
    assert "Disponible jusqu'au" in text
    assert listed[EXPORTS_POLL]["disabled"] is True


def test_my_exports_ignores_forged_entries(client, app):
    listed = _my_exports(client, app, [{"id": "../../etc/passwd", "label": "x", "started": "hier"}, 42, "x"])

    text = json.dumps(listed[EXPORTS_LIST]["children"], ensure_ascii=False)
    assert "Expiré" in text
    assert "/export/dossier/" not in text


def test_every_dossier_export_is_written_to_the_audit_journal(client, app):
    started = _export(client, app, committee.export_button_id("pptx"), CHOSEN)
    job = started[committee.JOB]["data"]
    export_services(app.server).jobs.wait(job["id"], timeout=60)

    entries = journal.entries(app.server.extensions[SECURITY].store, limit=20)
    exports = entries[entries["action"] == "export"]
    assert exports["detail"].str.contains("Présentation PowerPoint").any()
    assert exports["detail"].str.contains("comite-de-pilotage_cpam-21_2024").any()


VENDEE = "?annee=2020&comparaison=2019&departements=85"
VENDEE_CHARTS = ["mediation/mediation_saisines"]


def _deck_of(client, app, search: str, *, save: bool = False):
    started = _export(
        client, app, committee.export_button_id("pptx"), VENDEE_CHARTS, search=search, save=save
    )
    job = started[committee.JOB]["data"]
    assert export_services(app.server).jobs.wait(job["id"], timeout=60).state == "terminé"
    return Presentation(BytesIO(client.get(f"/export/dossier/{job['id']}").data))


def _since_view(client, app, search: str) -> str:
    key, _spec = _callback(app, "update_committee_since")
    payload = {
        "output": key,
        "outputs": {"id": SINCE_VIEW, "property": "children"},
        "inputs": [
            {"id": ids.FILTER_CHANGE, "property": "data", "value": first_visit(search)},
            {"id": {"type": "page-ready", "panel": "committee"}, "property": "data", "value": True},
            {"id": EXPORTS_POLL, "property": "n_intervals", "value": 1},
        ],
        "changedPropIds": [f"{ids.FILTER_CHANGE}.data"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return json.dumps(response.get_json()["response"], ensure_ascii=False)


def test_the_next_dossier_opens_with_what_changed_since_the_last_committee(client, app):
    store = app.server.extensions[SECURITY].store
    assert "Aucun comité" in _since_view(client, app, VENDEE)
    first = _deck_of(client, app, VENDEE, save=True)
    assert first.slides[1].shapes.title.text != "Depuis le dernier comité"

    header = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"
    corrected = "85;cpam-85;2020;mediation_saisines;700;;;Rapport annuel 2020, erratum;;"
    report = import_bytes(
        store,
        f"{header}\n{corrected}\n".encode(),
        "correction-vendee.csv",
        catalog=load_catalog(),
        referentiel=load_referentiel(),
        auteur="alice",
        max_bytes=1_000_000,
    )
    assert report.status == "importe", report.issues
    try:
        second = _deck_of(client, app, VENDEE)
        since = second.slides[1]
        assert since.shapes.title.text == "Depuis le dernier comité"
        table = next(s for s in since.shapes if s.has_table).table
        row = [table.cell(1, c).text for c in range(5)]
        assert row[0] == "Modifié"
        assert row[1] == "Saisines du médiateur — CPAM de la Vendée — 2020"
        assert (row[2], row[3]) == ("659", "700")
        assert f"import n° {report.import_id} « correction-vendee.csv »" in row[4]
        view = _since_view(client, app, VENDEE)
        assert "Saisines du médiateur — CPAM de la Vendée — 2020" in view
        assert "correction-vendee.csv" in view
    finally:
        assert undo_import(store, report.import_id, auteur="alice").status == "annule"
    assert "Aucun chiffre n'a changé depuis" in _since_view(client, app, VENDEE)


def test_the_deck_needs_no_chromium(client, app, without_chromium):
    started = _export(client, app, committee.export_button_id("pptx"), CHOSEN)
    job = started[committee.JOB]["data"]
    status = without_chromium.jobs.wait(job["id"], timeout=60)

    assert status.state == "terminé"


def test_without_chromium_the_dossier_says_what_to_install(client, app, without_chromium):
    answer = _export(client, app, committee.export_button_id("pdf"), CHOSEN)

    assert "apt-get install chromium" in answer[committee.STATUS]["children"]
    assert answer[committee.POLL]["disabled"] is True


@pytest.mark.parametrize("job_id", ["../../etc/passwd", "A" * 22, 42])
def test_unknown_job_reads_introuvable(client, app, job_id):
    answer = _export(client, app, committee.POLL, CHOSEN, job={"id": job_id, "kind": "pdf"})

    assert answer[committee.STATUS]["children"].startswith("Export introuvable")
    assert answer[committee.LINK]["hidden"] is True


@pytest.mark.parametrize("job_id", ["A" * 22, "pas-un-export", "%2E%2E"])
def test_unknown_dossier_file_is_404_in_french(client, job_id):
    response = client.get(f"/export/dossier/{job_id}")

    assert response.status_code == 404
    assert "Export introuvable ou expiré" in response.get_data(as_text=True)


# ------------------------------------------------------------------------------------------ presentation


@pytest.mark.parametrize(
    "search", ["?annee=2024&departements=21", "?annee=2020&departements=85", "?annee=2024&departements=21,85"]
)
def test_presentation_shows_only_screens_with_published_figures(call, search):
    response = call("update_presentation", [first_visit(search), True]).get_json()["response"]
    screens = response[presentation.SCREENS]["children"]
    cover, *themes = screens
    assert cover["props"]["data-title"] == "Couverture"
    assert themes, "each of these selections published figures"
    for screen in themes:
        cards = [
            t
            for n in with_class(screen, "kpi-value") + with_class(screen, "kpi-caisse-value")
            for t in texts(n)
        ]
        drawn = graphs(screen)
        assert drawn or any(t != "non publié" for t in cards), screen["props"]["data-title"]
    agenda = texts(cover)
    assert [s["props"]["data-title"] for s in themes] == agenda[-len(themes) :]
    assert response[presentation.COUNTER]["children"] == f"Écran 1 sur {len(screens)} : Couverture"


def test_presentation_charts_are_projector_sized_without_toolbar(call):
    response = call("update_presentation", [first_visit("?annee=2024&departements=21"), True]).get_json()[
        "response"
    ]
    screens = response[presentation.SCREENS]["children"]
    graph_nodes = [n for n in nodes(screens) if n.get("type") == "Graph"]

    assert graph_nodes
    for node in graph_nodes:
        assert smallest_text_px(node["props"]["figure"]) >= MIN_TEXT_PX
        assert node["props"]["config"]["displayModeBar"] is False
