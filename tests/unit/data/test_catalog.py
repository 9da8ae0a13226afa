"""The shipped catalog: valid under the same rules as an editor's import, and holding what reports publish."""

from __future__ import annotations

from dashboard.data.catalog import Catalog
from dashboard.data.catalog_import import plan_catalog
from dashboard.data.reading import read_table
from dashboard.data.shipped_catalog import CATALOG_FILE, load_catalog

# What CPAM activity reports commonly publish: one code per kind of figure.
COMMON = (
    "appels_3646_recus",
    "appels_3646_traites",
    "taux_decroche_3646",
    "temps_attente_moyen",
    "rappels_3646",
    "beneficiaires",
    "beneficiaires_regime_general",
    "beneficiaires_travailleurs_independants",
    "nouvelles_affiliations",
    "comptes_ameli_crees",
    "connexions_compte_ameli",
    "taux_assures_avec_compte_ameli",
    "attestations_droits_telechargees",
    "attestations_paiement_ij_telechargees",
    "cartes_vitale_emises",
    "cartes_vitale_commandees_en_ligne",
    "part_visites_motif_carte_vitale",
    "delai_moyen_remboursement_fse",
    "delai_moyen_paiement_1ere_ij",
    "taux_arrets_travail_dematerialises",
    "beneficiaires_css_sans_participation",
    "beneficiaires_css_avec_participation",
    "beneficiaires_ame",
    "dossiers_ame_traites",
    "droits_ouverts",
    "patients_ald_sans_medecin_traitant",
    "controles_realises",
    "fraudes_detectees",
    "taux_rendez_vous_honores",
    "taux_satisfaction_assures",
    "rang_satisfaction_assures",
)


def test_the_shipped_catalog_passes_the_rules_of_an_editor_import():
    shipped = load_catalog()
    table = read_table(CATALOG_FILE.read_bytes(), CATALOG_FILE.name, max_bytes=5_000_000)
    plan = plan_catalog(table, Catalog(shipped.themes, ()), set())
    assert plan.errors == (), [str(i) for i in plan.errors[:10]]
    assert plan.result is not None
    assert plan.result.all_indicators == shipped.all_indicators


def test_the_commonly_published_indicators_are_shipped_with_synonyms():
    catalog = load_catalog()
    missing = [code for code in COMMON if code not in catalog]
    assert missing == []
    assert all(catalog.get(code).synonymes for code in COMMON)
    assert all(catalog.get(code).definition.endswith((".", ")")) for code in COMMON)


def test_report_names_resolve_without_regard_to_case_or_accents():
    catalog = load_catalog()
    assert catalog.resolve("Taux de décroché") == "taux_decroche_3646"
    assert catalog.resolve("  TAUX DE DECROCHE ") == "taux_decroche_3646"
    assert catalog.resolve("Bénéficiaires AME") == "beneficiaires_ame"
    assert catalog.resolve("CSS gratuite") == "beneficiaires_css_sans_participation"
    assert catalog.resolve("taux de quelque chose d'inconnu") is None


def test_search_ignores_accents_and_finds_synonyms():
    catalog = load_catalog()
    assert "taux_decroche_3646" in {i.code for i in catalog.search("decroche")}
    assert "beneficiaires_ame" in {i.code for i in catalog.search("médicale ÉTAT")}
    assert catalog.search("aucunmotdecetype") == ()


def test_national_definitions_name_their_source():
    catalog = load_catalog()
    assert "L861-1" in catalog.get("beneficiaires_css").definition_source
    assert catalog.get("taux_decroche_3646").definition_source == ""  # a local definition
