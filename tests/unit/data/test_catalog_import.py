"""Catalog imports: editors add and amend indicators; bad files are refused whole; every change undoes."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from dashboard.data import schema
from dashboard.data.catalog_file import catalog_csv, catalog_workbook
from dashboard.data.catalog_store import (
    catalog_history,
    import_catalog_bytes,
    seed_catalog,
    undo_catalog_import,
)
from dashboard.data.importer import import_bytes
from dashboard.data.journal import entries
from dashboard.data.repository import Repository
from dashboard.data.store import Store

HEADER = (
    "code;libelle;definition;theme;unite;sommable;sens;parent;graphique;essentiel;synonymes;definition_source"
)
NEW = (
    "taux_decroche;Taux de décroché;Appels décrochés par un conseiller, en % des appels reçus au 3646.;"
    "canaux_contact;%;non;hausse;;taux;oui;Taux de décroché | TxD;Assurance Maladie, rapport national"
)
FIGURES = "departement;caisse;annee;indicateur;valeur;source\n"
CALLS = "appels_3646_recus;Appels reçus au 3646;Appels reçus.;canaux_contact"
# A second new indicator, to make a cycle of parents with NEW.
RACCROCHE = NEW.replace("taux_decroche;Taux de décroché", "taux_raccroche;Taux de raccroché").replace(
    "Taux de décroché | TxD", "Raccroché"
)


@pytest.fixture
def repo(store: Store, tiny_catalog, tiny_referentiel) -> Repository:
    seed_catalog(store, tiny_catalog)
    return Repository(store, tiny_catalog, tiny_referentiel)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _with_parent(parent: str, row: str = NEW) -> str:
    return row.replace(";hausse;;", f";hausse;{parent};")


def _import(repo: Repository, data: bytes, name: str = "catalogue.csv", *, dry_run: bool = False):
    return import_catalog_bytes(
        repo.store,
        data,
        name,
        current=repo.catalog,
        auteur="Mme Durand",
        max_bytes=5_000_000,
        dry_run=dry_run,
    )


def _figures(repo: Repository, text: str, name: str = "chiffres.csv"):
    return import_bytes(
        repo.store,
        (FIGURES + text).encode("utf-8"),
        name,
        catalog=repo.catalog,
        referentiel=repo.referentiel,
        auteur="Mme Durand",
        max_bytes=5_000_000,
    )


def _stored_rows(store: Store) -> list[dict]:
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(schema.indicators).order_by("position")).mappings()]


def test_a_new_indicator_is_added_journalled_and_seen_at_once(repo):
    version = repo.data_version()
    assert "taux_decroche" not in repo.catalog
    report = _import(repo, _csv(NEW))
    assert report.status == "importe", [str(i) for i in report.errors]
    assert repo.data_version() > version  # caches and exports follow
    added = repo.catalog.get("taux_decroche")
    assert added.libelle == "Taux de décroché"
    assert added.synonymes == ("Taux de décroché", "TxD")
    assert added.definition_source == "Assurance Maladie, rapport national"
    assert added in repo.catalog.by_theme("canaux_contact")
    assert repo.catalog.resolve("taux de DECROCHE") == "taux_decroche"
    assert repo.catalog.resolve("txd") == "taux_decroche"
    history = catalog_history(repo.store)
    assert history.iloc[0]["nouveaux"] == 1
    assert history.iloc[0]["auteur"] == "Mme Durand"
    assert entries(repo.store).iloc[0]["action"] == "catalogue"


def test_a_preview_shows_new_changed_and_unchanged_and_writes_nothing(repo):
    before = _stored_rows(repo.store)
    version = repo.data_version()
    changed = (
        "temps_attente_moyen;Temps d'attente au 3646;Temps moyen avant réponse d'un conseiller.;"
        "canaux_contact;minutes;non;baisse;;duree;oui;;"
    )
    same = (
        "beneficiaires_css;Bénéficiaires de la CSS;Bénéficiaires de la Complémentaire santé solidaire.;css;"
        "nombre;oui;neutre;;volume;oui;;"
    )
    report = _import(repo, _csv(NEW, changed, same), dry_run=True)
    assert report.status == "apercu"
    assert [c.code for c in report.plan.new] == ["taux_decroche"]
    assert [c.code for c in report.plan.changed] == ["temps_attente_moyen"]
    assert report.plan.changed[0].changed_fields == ("libelle", "definition")
    assert report.plan.unchanged == ("beneficiaires_css",)
    assert _stored_rows(repo.store) == before
    assert repo.data_version() == version


def test_undoing_a_catalog_import_restores_the_previous_catalog_exactly(repo):
    before = _stored_rows(repo.store)
    catalog_before = repo.catalog
    changed = (
        "temps_attente_moyen;Temps d'attente au 3646;Nouvelle définition.;canaux_contact;minutes;non;baisse;;"
        "duree;non;Attente 3646;"
    )
    report = _import(repo, _csv(NEW, changed, header=HEADER + ";statut").replace(b"\n", b";\n", 2))
    assert report.status == "importe", [str(i) for i in report.errors]
    assert repo.catalog.get("temps_attente_moyen").definition == "Nouvelle définition."
    undone = undo_catalog_import(repo.store, report.catalog_import_id, auteur="Mme Durand")
    assert undone.status == "annule", undone.message
    assert _stored_rows(repo.store) == before
    assert repo.catalog.all_indicators == catalog_before.all_indicators
    assert entries(repo.store).iloc[0]["action"] == "annulation catalogue"
    again = undo_catalog_import(repo.store, report.catalog_import_id, auteur="Mme Durand")
    assert again.status == "refuse"
    assert "déjà été annulée" in again.message


def test_an_undo_is_refused_while_figures_use_an_indicator_it_would_remove(repo):
    report = _import(repo, _csv(NEW))
    figures = _figures(repo, "21;cpam-21;2024;Taux de décroché;88,5;Rapport d'activité 2024\n")
    assert figures.status == "importe", [str(i) for i in figures.errors]
    refused = undo_catalog_import(repo.store, report.catalog_import_id, auteur="Mme Durand")
    assert refused.status == "refuse"
    assert "taux_decroche" in refused.message


def test_only_the_latest_change_and_never_the_seed_can_be_undone(repo):
    first = _import(repo, _csv(NEW))
    second = _import(repo, _csv(NEW.replace("TxD", "Tx décroché")))
    assert second.status == "importe"
    refused = undo_catalog_import(repo.store, first.catalog_import_id, auteur="x")
    assert refused.status == "refuse"
    assert f"n° {second.catalog_import_id}" in refused.message
    seed_id = int(catalog_history(repo.store).iloc[-1]["id"])
    assert undo_catalog_import(repo.store, seed_id, auteur="x").status == "refuse"


def test_a_retired_indicator_is_hidden_from_pages_and_keeps_its_figures(repo):
    assert _figures(repo, "21;cpam-21;2024;appels_3646_recus;1 000;Rapport\n").status == "importe"
    row = CALLS + ";nombre;oui;neutre;;volume;oui;;;retiré"
    report = _import(repo, _csv(row, header=HEADER + ";statut"))
    assert report.status == "importe", [str(i) for i in report.errors]
    catalog = repo.catalog
    shown = {i.code for i in catalog.by_theme("canaux_contact")}
    assert "appels_3646_recus" not in shown
    assert "appels_3646_recus" not in {i.code for i in catalog}
    assert catalog.get("appels_3646_recus").retire
    assert len(repo.observations(indicators=["appels_3646_recus"])) == 1
    later = _figures(repo, "21;cpam-21;2025;appels_3646_recus;1 100;Rapport\n", "suite.csv")
    assert later.status == "importe"
    assert any("retiré" in w.message for w in later.warnings)


def test_an_indicator_without_figures_can_be_deleted(repo):
    row = "delai_moyen_traitement_css;Délai;Délai moyen.;css;jours;non;baisse;;duree;non;;;supprimé"
    report = _import(repo, _csv(row, header=HEADER + ";statut"))
    assert report.status == "importe", [str(i) for i in report.errors]
    assert "delai_moyen_traitement_css" not in repo.catalog


def test_an_export_imports_back_as_unchanged(repo):
    report = _import(repo, catalog_csv(repo.catalog), "export.csv")
    assert report.status == "inchange"
    assert len(report.plan.unchanged) == len(repo.catalog.all_indicators)
    workbook = _import(repo, catalog_workbook(repo.catalog, everything=True), "export.xlsx")
    assert workbook.status == "inchange", [str(i) for i in workbook.errors]


def test_a_template_prefilled_from_unknown_names_proposes_codes(repo):
    sheet = load_workbook(io.BytesIO(catalog_workbook(repo.catalog, names=["Taux de décroché"]))).worksheets[
        0
    ]
    assert sheet.title == "indicateurs"
    assert [c.value for c in sheet[2]][:2] == ["taux_de_decroche", "Taux de décroché"]


BAD_FILES = {
    "missing_required_column": (
        _csv("x;y", header="code;libelle"),
        1,
        "definition",
        "colonne obligatoire absente",
    ),
    "unknown_column": (_csv(NEW + ";bleu", header=HEADER + ";couleur"), 1, "couleur", "colonne inconnue"),
    "duplicate_column": (_csv(NEW + ";x", header=HEADER + ";code"), 1, "code", "en double"),
    "duplicate_code": (_csv(NEW, NEW.replace("TxD", "Autre")), 3, "code", "code en double"),
    "empty_code": (_csv(";" + NEW.split(";", 1)[1]), 2, "code", "vide"),
    "code_with_capitals_and_accents": (
        _csv("Taux_Décroché;" + NEW.split(";", 1)[1]),
        2,
        "code",
        "code invalide",
    ),
    "code_too_long": (_csv("a" * 81 + ";" + NEW.split(";", 1)[1]), 2, "code", "trop long"),
    "empty_label": (_csv(NEW.replace("Taux de décroché;Appels", ";Appels")), 2, "libelle", "vide"),
    "label_too_long": (
        _csv(NEW.replace("Taux de décroché;Appels", "L" * 91 + ";Appels")),
        2,
        "libelle",
        "trop long",
    ),
    "empty_definition": (
        _csv(NEW.replace("Appels décrochés par un conseiller, en % des appels reçus au 3646.", "")),
        2,
        "definition",
        "vide",
    ),
    "unknown_theme": (_csv(NEW.replace("canaux_contact", "telephonie")), 2, "theme", "thème inconnu"),
    "bad_unit": (_csv(NEW.replace(";%;non;", ";pourcents;non;")), 2, "unite", "valeur non prévue"),
    "summable_rate": (_csv(NEW.replace(";%;non;", ";%;oui;")), 2, "sommable", "ne s'additionne pas"),
    "bad_summable": (_csv(NEW.replace(";%;non;", ";%;peut-être;")), 2, "sommable", "oui ou non"),
    "bad_direction": (_csv(NEW.replace(";hausse;", ";monter;")), 2, "sens", "hausse, baisse ou neutre"),
    "bad_chart_kind": (_csv(NEW.replace(";taux;oui;", ";camembert;oui;")), 2, "graphique", "volume, part"),
    "bad_essential": (_csv(NEW.replace(";taux;oui;", ";taux;souvent;")), 2, "essentiel", "oui, non"),
    "unknown_parent": (_csv(_with_parent("appels_inexistants")), 2, "parent", "parent inconnu"),
    "self_parent": (_csv(_with_parent("taux_decroche")), 2, "parent", "cycle de parents"),
    "parent_cycle": (
        _csv(_with_parent("taux_raccroche"), _with_parent("taux_decroche", RACCROCHE)),
        2,
        "parent",
        "cycle de parents",
    ),
    "synonym_of_another_indicator": (
        _csv(NEW.replace("Taux de décroché | TxD", "appels_3646_recus")),
        2,
        "synonymes",
        "désigne déjà l'indicateur appels_3646_recus",
    ),
    "control_characters": (
        _csv(NEW.replace("Taux de décroché;Appels", "Taux\x07;Appels")),
        2,
        "libelle",
        "contrôle",
    ),
    "bad_status": (_csv(NEW + ";archivé", header=HEADER + ";statut"), 2, "statut", "retiré"),
    "unit_change_with_figures": (
        _csv(CALLS + ";%;non;neutre;;taux;oui;;"),
        2,
        "unite",
        "créez un nouveau code",
    ),
    "summability_change_with_figures": (
        _csv(CALLS + ";nombre;non;neutre;;volume;oui;;"),
        2,
        "sommable",
        "créez un nouveau code",
    ),
    "delete_with_figures": (
        _csv(
            CALLS + ";nombre;oui;neutre;;volume;oui;;;supprimé",
            header=HEADER + ";statut",
        ),
        2,
        "statut",
        "seulement retiré",
    ),
    "delete_unknown": (_csv(NEW + ";supprimé", header=HEADER + ";statut"), 2, "statut", "rien à supprimer"),
    "delete_a_parent": (
        _csv(
            "demandes_total;Demandes;Toutes.;canaux_contact;nombre;oui;neutre;;volume;oui;;;supprimé",
            header=HEADER + ";statut",
        ),
        2,
        "statut",
        "parent de part_demandes_compte_ameli",
    ),
    "utf16_encoding": (_csv(NEW).decode().encode("utf-16"), None, None, "UTF-16"),
    "empty_file": (b"", None, None, "vide"),
    "header_only": (HEADER.encode(), None, None, "aucune ligne"),
    "binary_content": (b"\x00\x01\x02code;libelle", None, None, "binaire"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_catalog_file_is_refused_with_row_column_and_reason_and_writes_nothing(repo, case):
    assert _figures(repo, "21;cpam-21;2024;appels_3646_recus;1 000;Rapport\n").status == "importe"
    data, line, column, reason = BAD_FILES[case]
    before = _stored_rows(repo.store)
    version = repo.data_version()
    with repo.store.read() as conn:
        changes = conn.scalar(select(func.count()).select_from(schema.catalog_imports))
    report = _import(repo, data)
    assert report.status == "refuse"
    assert "rien n'a été écrit" in report.summary()
    assert any(
        issue.line == line and issue.column == column and reason in issue.message for issue in report.errors
    ), [str(i) for i in report.errors]
    assert _stored_rows(repo.store) == before
    assert repo.data_version() == version
    with repo.store.read() as conn:
        assert conn.scalar(select(func.count()).select_from(schema.catalog_imports)) == changes


def test_every_error_of_a_file_is_listed_at_once(repo):
    report = _import(repo, _csv(NEW.replace("canaux_contact", "x"), NEW.replace(";hausse;", ";monter;")))
    assert {(i.line, i.column) for i in report.errors} >= {(2, "theme"), (3, "sens")}


def test_a_workbook_catalog_file_is_read_from_its_first_sheet(repo):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(NEW.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _import(repo, buffer.getvalue(), "catalogue.xlsx")
    assert report.status == "importe", [str(i) for i in report.errors]
    assert "taux_decroche" in repo.catalog
