"""Bad input, as a forger or a careless upload would send it: each case is refused clearly, nothing written.

Callbacks are public endpoints: these requests go to POST /_dash-update-component exactly as a browser's
would, with values no form offers. "Nothing written" is checked on the store's data version, its figure
count and the journal.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from dashboard import ids
from dashboard.data import schema
from dashboard.data.accounts import save_account
from dashboard.security.login import REFUSED
from dashboard.security.passwords import hash_password
from tests.app.view_tree import texts, with_class
from tests.helpers import (
    PASSWORD,
    controls_change,
    data_url,
    first_visit,
    match_body,
    shown_controls,
    sign_in,
    zip_bomb,
)

HEADER = "departement;caisse;annee;indicateur;valeur;source;url;commentaire"
GOOD_ROW = "21;cpam-21;2024;demandes_total;3 872 394;Rapport;;"
DEFAULT_QUERY = "?annee=2024&comparaison=2023&departements=21"


@pytest.fixture(scope="module")
def store(app):
    return app.server.extensions["tdb_security"].store


@pytest.fixture(scope="module", autouse=True)
def editor(store):
    save_account(store, "edith", "editor", hash_password(PASSWORD))


# Signing in journals itself (« connexion »): whether ``editor_client`` runs before or after the snapshot,
# it is not what the test does, so those entries are left out of the comparison.
SIGN_IN_ACTIONS = ("connexion", REFUSED)


@pytest.fixture
def nothing_written(store):
    """Fails the test if the store changed during it (figures, imports, the journal beyond sign-ins)."""

    def snapshot():
        log = schema.audit_log
        with store.read() as conn:
            counts = tuple(
                conn.scalar(select(func.count()).select_from(table))
                for table in (schema.observations, schema.imports, schema.replaced_values)
            )
            journal = conn.scalar(
                select(func.count()).select_from(log).where(log.c.action.not_in(SIGN_IN_ACTIONS))
            )
        return store.data_version(), counts, journal

    before = snapshot()
    yield
    assert snapshot() == before


@pytest.fixture
def editor_client(client):
    assert sign_in(client, "edith").status_code == 303
    return client


def _no_traceback(response) -> str:
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    assert 'File "' not in text
    return text


def _payload(call, name, values, **kwargs) -> dict:
    return call.payload(name, values, **kwargs)


def _post(client, body) -> object:
    return client.post("/_dash-update-component", json=body)


# --- The shared filter callback: values outside the options, wrong types, huge lists ------------------

FILTER_CASES = {
    "year_unknown": (1900, None, ["21"], []),
    "year_text_injection": ("2024; DROP TABLE observations", None, ["21"], []),
    "year_float": (2024.5, None, ["21"], []),
    "year_bool": (True, None, ["21"], []),
    "year_dict": ({"$gt": 0}, None, ["21"], []),
    "year_list": ([2024, 2023], None, ["21"], []),
    "comparison_unknown": (2024, 1850, ["21"], []),
    "comparison_object": (2024, {"a": 1}, ["21"], []),
    "departements_not_a_list": (2024, None, "21", []),
    "departements_unknown": (2024, None, ["999", "<script>alert(1)</script>"], []),
    "departements_wrong_types": (2024, None, [21, None, {"x": 1}, ["21"]], []),
    "departements_huge": (2024, None, ["21"] * 100_000, []),
    "caisses_unknown": (2024, None, ["21"], ["cpam-inconnue", "../../etc/passwd"]),
    "caisses_other_departement": (2024, None, ["21"], ["cpam-85"]),
    "caisses_huge": (2024, None, ["21"], [f"cpam-{i}" for i in range(50_000)]),
    "everything_null": (None, None, None, None),
}


def _filter_bar(call, client, values, changed: Any = "annee"):
    """The filter callback as the filter bar triggers it (not the URL): the values path is exercised."""
    body = _payload(call, "update_filters", [DEFAULT_QUERY, controls_change(values, changed)])
    body["changedPropIds"] = [f"{ids.FILTER_CHANGE}.data"]
    return _post(client, body)


@pytest.mark.parametrize("values", FILTER_CASES.values(), ids=FILTER_CASES.keys())
@pytest.mark.parametrize("changed", ["annee", "departements", None, {"$ne": 1}])
def test_forged_filter_values_fall_back_to_allowed_ones(call, client, nothing_written, values, changed):
    response = _filter_bar(call, client, values, changed)
    _no_traceback(response)
    assert response.status_code == 200
    shown = shown_controls(values, response.get_json())
    assert isinstance(shown["annee"], int)
    assert 2000 <= shown["annee"] <= 2100
    assert 1 <= len(shown["departements"]) <= 12
    assert all(re.fullmatch(r"\d{2,3}|2[AB]", d) for d in shown["departements"])
    assert all(isinstance(c, str) and c.startswith(("cpam-", "cgss-", "css-")) for c in shown["caisses"])
    assert "cpam-85" not in shown["caisses"] or "85" in shown["departements"]


@pytest.mark.parametrize(
    "change",
    [None, 12, "?annee=2020", [], {"values": "2024"}, {"search": 12}, {"values": {"annee": {"x": 1}}}],
    ids=["null", "number", "text", "list", "values_text", "search_number", "values_nested"],
)
def test_a_forged_change_shape_shows_the_default_selection(call, client, nothing_written, change):
    body = _payload(call, "update_filters", [DEFAULT_QUERY, change])
    body["changedPropIds"] = [f"{ids.FILTER_CHANGE}.data"]
    response = _post(client, body)
    _no_traceback(response)
    assert response.status_code == 200
    assert shown_controls((None, None, None, None), response.get_json())["departements"] == ["21"]


def test_a_refused_filter_value_is_explained_in_french(call, client):
    result = _filter_bar(call, client, (1900, None, ["21"], [])).get_json()["response"]
    notice = json.dumps(result[ids.NOTICE]["children"], ensure_ascii=False)
    assert "sans données" in notice


@pytest.mark.parametrize(
    "trigger", [f"{ids.FILTER_CHANGE}.data", f"{ids.URL}.search"], ids=["visit", "history"]
)
def test_a_forged_url_query_falls_back_with_a_notice(call, client, nothing_written, trigger):
    # A first visit hands the address to the bar as a change; back and forward change the address alone.
    search = "?annee=<script>&departements=" + ",".join(["ZZ"] * 500) + "&caisses=x" * 200
    body = _payload(call, "update_filters", [search, first_visit(search)])
    body["changedPropIds"] = [trigger]
    response = _post(client, body)
    assert response.status_code == 200
    assert "Adresse trop longue" in json.dumps(response.get_json()["response"], ensure_ascii=False)


# --- The request itself: unknown callbacks, ids, properties, shapes --------------------------------------


def _filters_body(call) -> dict:
    return _payload(call, "update_filters", [DEFAULT_QUERY, first_visit(DEFAULT_QUERY)])


def _mutations(call) -> dict[str, dict]:
    body = _filters_body(call)
    cases: dict[str, dict] = {}
    cases["unknown_callback"] = {**body, "output": "page-content.children..evil"}
    cases["output_not_a_string"] = {**body, "output": ["x"]}
    cases["unknown_input_id"] = {
        **body,
        "inputs": [{**body["inputs"][0], "id": "admin-panel"}, *body["inputs"][1:]],
    }
    cases["wrong_property"] = {
        **body,
        "inputs": [{**body["inputs"][0], "property": "href"}, *body["inputs"][1:]],
    }
    cases["missing_input"] = {**body, "inputs": body["inputs"][:-1]}
    cases["extra_input"] = {**body, "inputs": [*body["inputs"], body["inputs"][0]]}
    cases["inputs_not_a_list"] = {**body, "inputs": {"a": 1}}
    cases["input_not_an_object"] = {**body, "inputs": ["url", *body["inputs"][1:]]}
    cases["outputs_swapped"] = {**body, "outputs": list(reversed(body["outputs"]))}
    cases["changed_props_huge"] = {**body, "changedPropIds": ["url.search"] * 1000}
    cases["body_is_a_list"] = [body]
    return cases


@pytest.mark.parametrize(
    "case",
    [
        "unknown_callback",
        "output_not_a_string",
        "unknown_input_id",
        "wrong_property",
        "missing_input",
        "extra_input",
        "inputs_not_a_list",
        "input_not_an_object",
        "outputs_swapped",
        "changed_props_huge",
        "body_is_a_list",
    ],
)
def test_a_malformed_callback_request_is_refused_with_400(call, client, nothing_written, case):
    response = _post(client, _mutations(call)[case])
    text = _no_traceback(response)
    assert response.status_code == 400
    assert text.startswith("Requête refusée")


def test_a_non_json_callback_request_is_refused(client, nothing_written):
    response = client.post("/_dash-update-component", data="output=x", content_type="text/plain")
    _no_traceback(response)
    assert response.status_code == 400


def test_a_request_over_the_size_limit_gets_413(client, nothing_written):
    response = client.post(
        "/_dash-update-component",
        data=b"{" + b" " * (8 * 1024 * 1024) + b"}",
        content_type="application/json",
    )
    text = _no_traceback(response)
    assert response.status_code == 413
    assert "taille maximale" in text


# --- Theme pages: unknown chart ids, wrong types, forged searches and paths --------------------------------


def _table_body(app, details_id, search=DEFAULT_QUERY, pathname="/canaux"):
    return match_body(
        app,
        "update_figure_table",
        details_id,
        output_type="figure-table",
        state=[(ids.FILTER_CHANGE, "data", first_visit(search)), ("url", "pathname", pathname)],
    )


@pytest.mark.parametrize(
    ("chart", "status"),
    [("inconnu", 204), ("<img src=x onerror=alert(1)>", 204), ("x" * 5000, 400)],
    ids=["unknown_chart", "markup_chart", "long_chart"],
)
def test_chart_table_of_a_chart_no_page_shows_is_refused(app, client, nothing_written, chart, status):
    details = {"chart": chart, "panel": "contact-channels", "type": "figure-details"}
    response = _post(client, _table_body(app, details))
    _no_traceback(response)
    assert response.status_code == status  # 204: no update; 400: refused before running (id too long)


def test_chart_table_with_a_wildcard_value_of_the_wrong_type_is_refused(app, client, nothing_written):
    details = {"chart": {"$ne": None}, "panel": "contact-channels", "type": "figure-details"}
    response = _post(client, _table_body(app, details))
    _no_traceback(response)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "change",
    [12, {"a": 1}, first_visit("?annee=1800&departements=999"), controls_change((1800, None, "99", None))],
)
def test_theme_page_with_a_forged_change_shows_the_default_selection(call, nothing_written, change):
    response = call("update_theme_page", [change, True, "/canaux"])
    _no_traceback(response)
    assert response.status_code == 200
    subtitle = next(v["children"] for k, v in response.get_json()["response"].items() if "page-subtitle" in k)
    assert subtitle.startswith("CPAM de la Côte-d'Or — ")


@pytest.mark.parametrize("pathname", [["/"], "/autres/<script>", None])
def test_theme_page_with_a_forged_path_draws_nothing(call, nothing_written, pathname):
    response = call("update_theme_page", [first_visit(DEFAULT_QUERY), True, pathname])
    _no_traceback(response)
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("pathname", "title"),
    [
        (None, "Vue d'ensemble"),
        (42, "Vue d'ensemble"),
        ({"p": 1}, "Vue d'ensemble"),
        ("/import/../../etc/passwd", "Page introuvable"),
        ("/" + "x" * 5000, "Page introuvable"),
    ],
)
def test_router_with_forged_paths_answers_a_page(call, nothing_written, pathname, title):
    response = call("update_page", [pathname])
    _no_traceback(response)
    assert response.status_code == 200
    page = response.get_json()["response"]["page-content"]["children"]
    assert texts(with_class(page, "page-title")) == [title]


# --- The upload page: forged payloads and bad files --------------------------------------------------------


def _preview(call, contents, filename="chiffres.csv"):
    return call("update_upload_preview", [contents, filename])


def _report_text(response) -> str:
    _no_traceback(response)
    assert response.status_code == 200, response.get_data(as_text=True)
    result = response.get_json()["response"]
    assert result[ids.UPLOAD_CONFIRM]["disabled"] is True
    assert result[ids.UPLOAD_SHA]["data"] is None
    return json.dumps(result[ids.UPLOAD_REPORT], ensure_ascii=False)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
BAD_FILES = {
    "empty_file": (b"", "chiffres.csv", "Le fichier est vide"),
    "header_only": (HEADER.encode(), "chiffres.csv", "aucune ligne de données"),
    "renamed_png": (PNG + b"\0" * 200, "chiffres.csv", "contenu binaire"),
    "png_named_xlsx": (PNG, "chiffres.xlsx", "pas un classeur Excel"),
    "plain_zip_named_xlsx": (b"PK\x03\x04" + b"\0" * 100, "chiffres.xlsx", "pas un classeur Excel"),
    "xlsx_named_csv": (b"PK\x03\x04" + b"\0" * 100, "chiffres.csv", "extension .xlsx"),
    "executable_extension": (f"{HEADER}\n{GOOD_ROW}\n".encode(), "chiffres.exe", "Format non pris en charge"),
    "utf16_file": (f"{HEADER}\n{GOOD_ROW}\n".encode("utf-16"), "chiffres.csv", "UTF-16"),
    "oversized_file": (b"a;" * (5 * 1024 * 1024 // 2 + 100), "chiffres.csv", "dépasse la limite"),
    "unknown_columns": (b"nom;prenom\nDupont;Jean\n", "chiffres.csv", "colonne obligatoire absente"),
    "javascript_url": (
        f"{HEADER}\n21;cpam-21;2024;demandes_total;1;Rapport;javascript:alert(1);\n".encode(),
        "chiffres.csv",
        "attendu une adresse web commençant par http",
    ),
    "control_characters": (
        f"{HEADER}\n21;cpam-21;2024;demandes_total;1;Rapport\x07\x1b[31m;;\n".encode(),
        "chiffres.csv",
        "caractères de contrôle",
    ),
    "formula_value": (
        f"{HEADER}\n21;cpam-21;2024;demandes_total;=1+1;R;;\n".encode(),
        "chiffres.csv",
        "pas un nombre",
    ),
}


@pytest.mark.parametrize(("data", "filename", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_with_a_french_reason(
    call, editor_client, nothing_written, data, filename, message
):
    assert message in _report_text(_preview(call, data_url(data), filename))


def test_an_xlsx_zip_bomb_is_refused_before_inflating(call, editor_client, nothing_written):
    bomb = zip_bomb(20)
    assert len(bomb) < 100_000
    assert "anormalement volumineux" in _report_text(_preview(call, data_url(bomb), "bombe.xlsx"))


FORGED_UPLOADS = {
    "contents_number": (12345, "chiffres.csv", "Contenu de fichier invalide"),
    "contents_list": (["data:text/csv;base64,QQ=="], "chiffres.csv", "Contenu de fichier invalide"),
    "contents_dict": ({"data": "x"}, "chiffres.csv", "Contenu de fichier invalide"),
    "contents_not_a_data_url": ("departement;caisse", "chiffres.csv", "Contenu de fichier invalide"),
    "contents_javascript_url": ("javascript:alert(1)", "chiffres.csv", "Contenu de fichier invalide"),
    "contents_bad_base64": ("data:text/csv;base64,@@@not base64@@@", "chiffres.csv", "base64 invalide"),
    "filename_missing": ("data:text/csv;base64,QQ==", None, "Nom de fichier"),
    "filename_number": ("data:text/csv;base64,QQ==", 42, "Nom de fichier"),
    "filename_control_chars": ("data:text/csv;base64,QQ==", "a\r\nb.csv", "Nom de fichier"),
    "filename_too_long": ("data:text/csv;base64,QQ==", "a" * 300 + ".csv", "Nom de fichier"),
}


@pytest.mark.parametrize(
    ("contents", "filename", "message"), FORGED_UPLOADS.values(), ids=FORGED_UPLOADS.keys()
)
def test_a_forged_upload_payload_is_refused(
    call, editor_client, nothing_written, contents, filename, message
):
    assert message in _report_text(_preview(call, contents, filename))


def test_a_path_in_the_file_name_is_reduced_to_the_bare_name(call, editor_client, nothing_written):
    data = data_url(f"{HEADER}\n21;cpam-21;2036;demandes_total;1;R;;\n".encode())
    response = _preview(call, data, "../../../etc/passwd.csv")
    text = json.dumps(response.get_json()["response"], ensure_ascii=False)
    assert "« passwd.csv »" in text
    assert "../" not in text


def test_html_in_a_source_comes_back_as_plain_text(call, editor_client, nothing_written):
    source = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    data = data_url(f"{HEADER}\n21;cpam-21;2037;demandes_total;1;{source};;\n".encode())
    result = _preview(call, data, "x.csv").get_json()["response"]
    cells = json.dumps(result[ids.UPLOAD_REPORT], ensure_ascii=False)
    assert json.dumps(source, ensure_ascii=False) in cells  # a string child: React renders it as text
    assert '"type": "Img"' not in cells
    assert '"type": "Script"' not in cells


CONFIRM_CASES = {
    "no_preview": (None,),
    "sha_of_another_file": ("0" * 64,),
    "sha_wrong_type": ({"sha": 1},),
}


@pytest.mark.parametrize("previewed", [c[0] for c in CONFIRM_CASES.values()], ids=CONFIRM_CASES.keys())
def test_confirming_without_the_matching_preview_writes_nothing(
    call, editor_client, nothing_written, previewed
):
    data = data_url(f"{HEADER}\n21;cpam-21;2038;demandes_total;1;R;;\n".encode())
    response = call("update_import_confirm", [1, data, "x.csv", previewed])
    _no_traceback(response)
    assert response.status_code == 200
    assert "n'est pas celui de l'aperçu" in json.dumps(response.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("contents", [None, 42, "data:text/csv;base64,!!!"])
def test_confirming_a_forged_file_writes_nothing(call, editor_client, nothing_written, contents):
    response = call("update_import_confirm", [1, contents, "x.csv", "0" * 64])
    _no_traceback(response)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "import_id", [None, "1; DROP TABLE imports", -1, 0, True, 1.5, [1], {"id": 1}, 10**30, 99999]
)
def test_undo_with_a_forged_import_id_is_refused(call, editor_client, nothing_written, import_id):
    response = call("update_undo", [1, import_id])
    _no_traceback(response)
    assert response.status_code == 200
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "Choisissez d'abord" in text or "n'existe pas" in text


@pytest.mark.parametrize("clicks", [None, 0, -3, "x", True, [1], {"n": 1}])
def test_undo_or_confirm_without_a_real_click_does_nothing(call, editor_client, nothing_written, clicks):
    # Import n° 1 exists (the embedded figures): only a genuine click count may undo it.
    assert call("update_undo", [clicks, 1]).status_code == 204
    assert call("update_import_confirm", [clicks, None, None, None]).status_code == 204


def test_a_viewer_forging_the_import_callback_is_refused_and_nothing_is_written(
    call, client, nothing_written
):
    data = data_url(f"{HEADER}\n21;cpam-21;2039;demandes_total;1;R;;\n".encode())
    preview = call("update_upload_preview", [data, "x.csv"])
    confirm = call("update_import_confirm", [1, data, "x.csv", "0" * 64])
    undo = call("update_undo", [1, 1])
    assert (preview.status_code, confirm.status_code, undo.status_code) == (403, 403, 403)


def test_a_forged_session_cookie_is_a_viewer(call, client, nothing_written):
    client.set_cookie("tdb_session", "eyJ1dGlsaXNhdGV1ciI6ImVkaXRoIn0.forged.signature")
    data = data_url(f"{HEADER}\n21;cpam-21;2039;demandes_total;1;R;;\n".encode())
    assert call("update_upload_preview", [data, "x.csv"]).status_code == 403


def test_a_callback_posted_from_another_site_is_refused(call, editor_client, nothing_written):
    body = _payload(call, "update_undo", [1, 1])
    response = editor_client.post(
        "/_dash-update-component", json=body, headers={"Origin": "https://evil.example"}
    )
    _no_traceback(response)
    assert response.status_code == 403


# --- Hostile files through the upload page: each refused or read in French, the preview says so -------------

ENGLISH = re.compile(
    r"Traceback|\b\w*(Error|Exception)\b|"
    r"\b(the|is|are|of|invalid|expected|field|larger|literal|unexpected|must|value|error|full)\b",
    re.IGNORECASE,
)
FULL_HEADER = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"
FULL_ROW = "21;cpam-21;2041;demandes_total;3 872 394;;;Rapport 2041;;"


def _sheet_xlsx(rows_xml: str, dimension: str) -> bytes:
    """A workbook written by hand, so that its sheet says exactly what a hostile file says."""
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Chiffres" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _xml_row(number: int, values: list[str], raw: dict[int, str] | None = None) -> str:
    cells = []
    for index, value in enumerate(values):
        ref = f"{chr(65 + index)}{number}"
        if raw and index in raw:
            cells.append(f'<c r="{ref}">{raw[index]}</c>')
        elif value:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _far_cell_xlsx(dimension: str) -> bytes:
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _sheet_xlsx(
        _xml_row(1, FULL_HEADER.split(";")) + _xml_row(2, FULL_ROW.split(";")) + far, dimension
    )


def _formula_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(FULL_HEADER.split(";"))
    workbook.active.append(["21", "cpam-21", "2041", "demandes_total", "=2*3", None, None, "R", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(*rows: str, header: str = FULL_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


HOSTILE_FILES = {
    "inf_numeric_cell": (
        _sheet_xlsx(
            _xml_row(1, FULL_HEADER.split(";")) + _xml_row(2, FULL_ROW.split(";"), {4: "<v>INF</v>"}),
            "A1:J2",
        ),
        "inf.xlsx",
        "Ligne 2 : une cellule du classeur est illisible",
    ),
    "formulas_without_values": (_formula_xlsx(), "formules.xlsx", "formule enregistrée sans sa valeur"),
    "stray_quote": (
        _csv('21;cpam-21;2041;demandes_total;1;;;"Rapport;;', "21;cpam-21;2042;demandes_total;2;;;R;;"),
        "guillemet.csv",
        "un guillemet ouvre une cellule sans jamais la fermer",
    ),
    "huge_field": (
        _csv(f"21;cpam-21;2041;demandes_total;1;;;{'x' * 140_000};;"),
        "champ.csv",
        "Ligne 2 : une cellule dépasse",
    ),
    "value_of_400_digits": (
        _csv(f"21;cpam-21;2041;demandes_total;{'9' * 400};;;R;;"),
        "infini.csv",
        "nombre hors limites",
    ),
    "blank_rows": (_csv(";;;;;;;;;", ";;;;;;;;;"), "vide.csv", "aucune ligne de données"),
    "rows_without_values": (
        _csv("21;cpam-21;2041;demandes_total;;;;R;;"),
        "sans-valeur.csv",
        "aucun chiffre à importer",
    ),
    "semicolon_header_comma_rows": (
        _csv(FULL_ROW.replace(";", ",").replace("3 872 394", "1")),
        "separateurs.csv",
        "les cellules sont séparées par une virgule",
    ),
    "superscript_year": (
        _csv("21;cpam-21;²⁰²⁴;demandes_total;1;;;R;;"),
        "annee.csv",
        "attendu une année sur quatre chiffres",
    ),
    "fullwidth_year": (
        _csv("21;cpam-21;２０２４;demandes_total;1;;;R;;"),
        "annee.csv",
        "attendu une année sur quatre chiffres",
    ),
    "percent_on_a_count": (
        _csv("21;cpam-21;2041;demandes_total;12 %;;;R;;"),
        "pourcent.csv",
        "le signe % ne va pas avec cet indicateur",
    ),
    "macro_workbook": (_formula_xlsx(), "chiffres.xlsm", "les classeurs à macros .xlsm ne sont pas acceptés"),
    "no_extension": (_csv(FULL_ROW), "chiffres", "Format non pris en charge"),
    "just_over_the_limit": (
        b"a" * (5 * 1024 * 1024 + 1),
        "gros.csv",
        "Le fichier pèse 5,1 Mio ; la limite est 5 Mio",
    ),
    "cell_under_no_header": (
        _csv(FULL_ROW + ";note"),
        "note.csv",
        "cellule remplie sous une colonne sans nom",
    ),
}


@pytest.mark.parametrize(("data", "filename", "message"), HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_a_hostile_file_is_refused_in_french_before_confirmation(
    call, editor_client, nothing_written, data, filename, message
):
    text = _report_text(_preview(call, data_url(data), filename))
    assert message in text
    assert "refusé" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:M1048576"])
def test_a_sheet_claiming_a_huge_range_previews_its_real_rows(
    call, editor_client, nothing_written, dimension
):
    response = _preview(call, data_url(_far_cell_xlsx(dimension)), "dimension.xlsx")
    _no_traceback(response)
    result = response.get_json()["response"]
    text = json.dumps(result[ids.UPLOAD_REPORT], ensure_ascii=False)
    assert "1 ligne(s) valides" in text
    assert "1048576" in text  # the stray cell's row, named in the warnings
    assert "dépasse" not in text
    assert result[ids.UPLOAD_CONFIRM]["disabled"] is False


@pytest.mark.parametrize("header", [FULL_HEADER + ";;", FULL_HEADER + ";;;"])
def test_empty_trailing_header_columns_preview_as_importable(call, editor_client, nothing_written, header):
    data = _csv(FULL_ROW.replace("2041", "2043") + ";;", header=header)
    result = _preview(call, data_url(data), "excel.csv").get_json()["response"]
    text = json.dumps(result[ids.UPLOAD_REPORT], ensure_ascii=False)
    assert "colonne en double" not in text
    assert "1 ligne(s) valides" in text
    assert result[ids.UPLOAD_CONFIRM]["disabled"] is False


def test_an_unexpected_error_in_the_preview_clears_the_report_and_the_confirmation(
    call, editor_client, nothing_written, monkeypatch
):
    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("dashboard.panels.upload.import_upload", broken)
    text = _report_text(_preview(call, data_url(_csv(FULL_ROW)), "x.csv"))
    assert "erreur inattendue ; rien n'a été écrit" in text
    assert not ENGLISH.search(text)


def test_an_unknown_component_suite_file_is_404(client):
    for path in ("/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/nope.js"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Traceback" not in _no_traceback(response)


def test_json_nested_100000_deep_is_refused_with_400(client, nothing_written):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "trop imbriqué" in _no_traceback(response)


EVERY_REFUSAL = {
    **{f"bad_{k}": (data_url(v[0]), v[1]) for k, v in BAD_FILES.items()},
    **{f"forged_{k}": (v[0], v[1]) for k, v in FORGED_UPLOADS.items()},
    **{f"hostile_{k}": (data_url(v[0]), v[1]) for k, v in HOSTILE_FILES.items()},
    "every_error_at_once": (
        data_url((Path(__file__).parents[1] / "files" / "every_error_at_once.csv").read_bytes()),
        "every_error_at_once.csv",
    ),
}


@pytest.mark.parametrize(("contents", "filename"), EVERY_REFUSAL.values(), ids=EVERY_REFUSAL.keys())
def test_every_refusal_reads_in_french_without_library_text(
    call, editor_client, nothing_written, contents, filename
):
    result = _preview(call, contents, filename).get_json()["response"]
    report = result[ids.UPLOAD_REPORT]
    said = " ".join(_strings(report))
    assert said
    assert not ENGLISH.search(said), ENGLISH.search(said)
    assert not re.search(r"\bValue error\b|\bint\(\)|\bfloat\(|'[a-z_]+' object", said)
    assert result[ids.UPLOAD_CONFIRM]["disabled"] is True


def _strings(node) -> list[str]:
    """Every text a person reads in a serialised component tree (ids and class names left out)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [text for child in node for text in _strings(child)]
    if isinstance(node, dict):
        props = node.get("props", node)
        return _strings(props.get("children")) if isinstance(props, dict) else []
    return []
