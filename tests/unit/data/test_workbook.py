"""Figures for indicators the catalog lacks go in with no change to the package, through both paths:
a workbook whose sheet « indicateurs » defines them, or a catalog import then the figures."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from dashboard.data import schema
from dashboard.data.catalog_store import catalog_history, seed_catalog, undo_catalog_import
from dashboard.data.history import undo_import
from dashboard.data.repository import Repository
from dashboard.data.store import Store
from dashboard.data.validation import name_mappings, unknown_indicators
from dashboard.data.workbook import import_upload

FIGURE_HEADER = ["departement", "caisse", "annee", "indicateur", "valeur", "source"]
CATALOG_HEADER = [
    "code",
    "libellé",
    "définition",
    "thème",
    "unité",
    "sommable",
    "sens",
    "graphique",
    "synonymes",
]
DECROCHE = [
    "taux_decroche",
    "Taux de décroché",
    "Appels décrochés par un conseiller, en % des appels reçus au 3646.",
    "Canaux de contact",  # a theme's name is accepted as well as its code
    "%",
    "non",
    "hausse",
    "taux",
    "Taux de décroché | Tx décroché",
]
RAPPELS = [
    "rappels_3646",
    "Rappels programmés au 3646",
    "Rendez-vous téléphoniques de rappel pris par les assurés au 3646.",
    "canaux_contact",
    "nombre",
    "oui",
    "neutre",
    "volume",
    "Rappels",
]


@pytest.fixture
def repo(store: Store, tiny_catalog, tiny_referentiel) -> Repository:
    seed_catalog(store, tiny_catalog)
    return Repository(store, tiny_catalog, tiny_referentiel)


def _workbook(figures: list[list[object]], indicators: list[list[str]] | None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Saisie"
    sheet.append(FIGURE_HEADER)
    for row in figures:
        sheet.append(row)
    if indicators is not None:
        catalog = workbook.create_sheet("Indicateurs")
        catalog.append(CATALOG_HEADER)
        for row in indicators:
            catalog.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(repo: Repository, data: bytes, name: str, *, dry_run: bool = False):
    return import_upload(
        repo.store,
        data,
        name,
        current=repo.catalog,
        referentiel=repo.referentiel,
        auteur="Mme Durand",
        max_bytes=5_000_000,
        dry_run=dry_run,
    )


def _counts(store: Store) -> tuple[int, int, int]:
    with store.read() as conn:
        return tuple(
            int(conn.scalar(select(func.count()).select_from(t)) or 0)
            for t in (schema.observations, schema.catalog_imports, schema.indicators)
        )


FIGURES = [
    ["21", "cpam-21", 2024, "TAUX DE DECROCHE", "88,5", "Rapport d'activité 2024"],
    ["21", "cpam-21", 2024, "Rappels", 12045, "Rapport d'activité 2024"],
]


def test_a_workbook_with_its_indicators_sheet_previews_then_lands_whole(repo):
    data = _workbook(FIGURES, [DECROCHE, RAPPELS])
    before = _counts(repo.store)
    preview = _upload(repo, data, "chiffres-2024.xlsx", dry_run=True)
    assert not preview.refused, [str(i) for i in preview.errors]
    assert [c.code for c in preview.catalog.plan.new] == ["taux_decroche", "rappels_3646"]
    assert len(preview.figures.nouvelles) == 2
    # Each name read as a code is shown before anything is written.
    assert name_mappings(preview.figures.issues, preview.catalog_used) == [
        ("TAUX DE DECROCHE", "taux_decroche"),
        ("Rappels", "rappels_3646"),
    ]
    assert _counts(repo.store) == before

    done = _upload(repo, data, "chiffres-2024.xlsx")
    assert done.figures.status == "importe"
    assert done.catalog.status == "importe"
    catalog = repo.catalog
    assert {"taux_decroche", "rappels_3646"} <= {i.code for i in catalog.by_theme("canaux_contact")}
    frame = repo.observations(indicators=["taux_decroche", "rappels_3646"])
    assert sorted(zip(frame["indicateur"], frame["valeur"], frame["unite"], strict=True)) == [
        ("rappels_3646", 12045.0, "nombre"),
        ("taux_decroche", 88.5, "%"),
    ]


def test_the_second_path_a_catalog_file_then_figures_by_name(repo):
    catalog_file = ";".join(CATALOG_HEADER) + "\n" + ";".join(DECROCHE) + "\n"
    first = _upload(repo, catalog_file.encode("utf-8"), "catalogue.csv")
    assert first.kind == "catalogue"
    assert first.catalog.status == "importe", [str(i) for i in first.errors]
    figures = (
        "departement;caisse;annee;indicateur;valeur;source\n21;cpam-21;2024;Tx décroché;91,2;Rapport 2024\n"
    )
    second = _upload(repo, figures.encode("utf-8"), "chiffres.csv")
    assert second.figures.status == "importe", [str(i) for i in second.errors]
    assert name_mappings(second.figures.issues, repo.catalog) == [("Tx décroché", "taux_decroche")]
    assert repo.observations(indicators=["taux_decroche"])["valeur"].tolist() == [91.2]


def test_a_bad_indicators_sheet_refuses_the_figures_too(repo):
    before = _counts(repo.store)
    bad = [*DECROCHE[:4], "%", "oui", *DECROCHE[6:]]  # a summable rate
    report = _upload(repo, _workbook(FIGURES, [bad, RAPPELS]), "chiffres.xlsx")
    assert report.refused
    assert any(i.line == 2 and i.column == "sommable" for i in report.errors)
    assert _counts(repo.store) == before


def test_figures_refused_leave_the_indicators_sheet_unwritten(repo):
    before = _counts(repo.store)
    figures = [*FIGURES, ["21", "cpam-21", 2024, "Rappels", "beaucoup", "Rapport"]]
    report = _upload(repo, _workbook(figures, [DECROCHE, RAPPELS]), "chiffres.xlsx")
    assert report.refused
    assert _counts(repo.store) == before
    assert "taux_decroche" not in repo.catalog


def test_unknown_names_are_listed_for_a_prefilled_sheet(repo):
    report = _upload(repo, _workbook(FIGURES, None), "chiffres.xlsx")
    assert report.refused
    assert unknown_indicators(report.figures.issues) == ["TAUX DE DECROCHE", "Rappels"]
    assert "feuille « indicateurs »" in report.errors[0].message


def test_a_workbook_import_undoes_figures_first_then_its_catalog_sheet(repo):
    before = repo.catalog.all_indicators
    done = _upload(repo, _workbook(FIGURES, [DECROCHE, RAPPELS]), "chiffres-2024.xlsx")
    change = int(catalog_history(repo.store).iloc[0]["id"])
    assert undo_catalog_import(repo.store, change, auteur="x").status == "refuse"  # its figures are there
    assert undo_import(repo.store, done.figures.import_id, auteur="x").status == "annule"
    assert undo_catalog_import(repo.store, change, auteur="x").status == "annule"
    assert repo.catalog.all_indicators == before


def test_a_workbook_already_imported_still_brings_in_its_changed_indicators_sheet(repo):
    workbook = _workbook(FIGURES, [DECROCHE, RAPPELS])
    assert _upload(repo, workbook, "chiffres-2024.xlsx").figures.status == "importe"
    revised = [DECROCHE[0], DECROCHE[1], "Définition révisée.", *DECROCHE[3:]]
    catalog_file = ";".join(CATALOG_HEADER) + "\n" + ";".join(revised) + "\n"
    assert _upload(repo, catalog_file.encode(), "revision.csv").catalog.status == "importe"
    # The same workbook again: its figures are already in, its sheet brings the first definition back.
    again = _upload(repo, workbook, "chiffres-2024.xlsx")
    assert again.figures.status == "deja_importe"
    assert again.catalog.status == "importe"
    assert repo.catalog.get("taux_decroche").definition == DECROCHE[2]
