"""The catalog on the command line: export, template, import (alone or with figures), history, undo."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dashboard.cli import main
from dashboard.data.catalog import Catalog
from dashboard.data.catalog_store import read_catalog
from dashboard.data.referentiel import load_referentiel
from dashboard.data.repository import Repository
from dashboard.data.shipped_catalog import load_catalog
from dashboard.data.store import Store

HEADER = "code;libellé;définition;thème;unité;sommable;sens;graphique;synonymes"
ROW = (
    "appels_perdus_3646;Appels perdus au 3646;Appels reçus au 3646 raccrochés par l'appelant avant réponse."
    ";canaux_contact;nombre;oui;baisse;volume;Appels perdus | Appels abandonnés"
)


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    empty = tmp_path / "vide"
    empty.mkdir()
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("TDB_DATABASE_URL", url)
    monkeypatch.setenv("TDB_DATA_DIR", str(empty))
    monkeypatch.chdir(tmp_path)
    return url


def _catalog(url: str) -> Catalog:
    store = Store(url)
    with store.read() as conn:
        found = read_catalog(conn, load_catalog().themes)
    store.dispose()
    assert found is not None
    return found


def _figures(url: str, code: str):
    store = Store(url)
    frame = Repository(store, load_catalog(), load_referentiel()).observations(indicators=[code])
    store.dispose()
    return frame


def test_export_then_import_back_changes_nothing(database, tmp_path, capsys):
    assert main(["catalogue", "export", "--sortie", "catalogue.csv"]) == 0
    assert "Catalogue écrit" in capsys.readouterr().out
    assert main(["catalogue", "import", "catalogue.csv"]) == 0
    assert "rien n'a changé" in capsys.readouterr().out
    assert main(["catalogue", "export", "--sortie", "catalogue.xlsx"]) == 0
    sheet = load_workbook(tmp_path / "catalogue.xlsx").worksheets[0]
    assert sheet.title == "indicateurs"
    assert sheet.cell(row=2, column=1).value == "demandes_total"


def test_a_catalog_import_then_figures_by_name_then_undo(database, tmp_path, capsys):
    Path("nouveaux.csv").write_text(HEADER + "\n" + ROW + "\n", encoding="utf-8")
    assert main(["catalogue", "import", "--apercu", "nouveaux.csv"]) == 0
    out = capsys.readouterr().out
    assert "indicateur nouveau : appels_perdus_3646" in out
    assert "appels_perdus_3646" not in _catalog(database)
    assert main(["catalogue", "import", "nouveaux.csv", "--auteur", "Mme Durand"]) == 0
    assert "appels_perdus_3646" in _catalog(database)

    Path("chiffres.csv").write_text(
        "departement;caisse;annee;indicateur;valeur;source\n21;cpam-21;2024;Appels abandonnés;12 400;R\n",
        encoding="utf-8",
    )
    assert main(["import", "chiffres.csv"]) == 0
    out = capsys.readouterr().out
    assert "« Appels abandonnés » → appels_perdus_3646" in out
    assert _figures(database, "appels_perdus_3646")["valeur"].tolist() == [12400.0]

    assert main(["catalogue", "historique"]) == 0
    history = capsys.readouterr().out
    assert "nouveaux.csv — Mme Durand" in history
    number = history.split("n° ", 1)[1].split(" ", 1)[0]
    assert main(["catalogue", "annuler", number]) == 1  # figures now use the new indicator
    assert "annulez d'abord ces imports" in capsys.readouterr().err


def test_a_workbook_with_figures_and_an_indicators_sheet_goes_in_at_once(database, capsys):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["departement", "caisse", "annee", "indicateur", "valeur", "source"])
    sheet.append(["21", "cpam-21", 2024, "appels perdus", 12400, "Rapport 2024"])
    catalog = workbook.create_sheet("Indicateurs")
    catalog.append(HEADER.split(";"))
    catalog.append(ROW.split(";"))
    workbook.save("chiffres.xlsx")
    assert main(["import", "chiffres.xlsx"]) == 0
    out = capsys.readouterr().out
    assert "indicateur nouveau : appels_perdus_3646" in out
    assert "« appels perdus » → appels_perdus_3646" in out
    assert "appels_perdus_3646" in {i.code for i in _catalog(database).by_theme("canaux_contact")}
    assert _figures(database, "appels_perdus_3646")["valeur"].tolist() == [12400.0]


def test_a_template_is_prefilled_from_the_unknown_names_of_a_figure_file(database, capsys):
    Path("chiffres.csv").write_text(
        "departement;caisse;annee;indicateur;valeur;source\n21;cpam-21;2024;Appels perdus;12 400;Rapport\n",
        encoding="utf-8",
    )
    assert main(["import", "chiffres.csv"]) == 1
    assert main(["catalogue", "template", "--depuis", "chiffres.csv", "--sortie", "modele.xlsx"]) == 0
    assert "1 ligne(s) pré-remplie(s)" in capsys.readouterr().out
    sheet = load_workbook(io.BytesIO(Path("modele.xlsx").read_bytes())).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == ["appels_perdus", "Appels perdus"]


def test_a_bad_catalog_file_exits_with_an_error_and_each_reason(database, capsys):
    Path("mauvais.csv").write_text(
        HEADER + "\n" + ROW.replace("canaux_contact", "inconnu") + "\n", encoding="utf-8"
    )
    assert main(["catalogue", "import", "mauvais.csv"]) == 1
    out = capsys.readouterr().out
    assert "refusé" in out
    assert "Ligne 2, colonne « theme »" in out
