"""After first start, every published figure is in the store, with its source."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.context import open_data
from dashboard.settings import ROOT, Settings

REFERENCE = ROOT.parent / "shared" / "data" / "published_figures.csv"
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = tmp_path_factory.mktemp("seed") / "store.sqlite3"
    data = open_data(Settings(database_url=f"sqlite:///{db}"))
    yield data
    data.store.dispose()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.skipif(not REFERENCE.exists(), reason="données de référence absentes (../shared)")
def test_every_reference_figure_is_stored_with_its_source(seeded):
    mapping = {r["indicateur_publie"]: r for r in _read(DATA / "correspondance_reference.csv")}
    caisses = {
        (r["departement"], r["caisse_publiee"]): r["caisse"] for r in _read(DATA / "caisses_reference.csv")
    }
    frame = seeded.repository.observations()
    stored = {
        (
            r.caisse,
            r.annee,
            r.indicateur,
            r.periode,
            r.nature,
            None if pd.isna(r.annee_reference) else r.annee_reference,
        ): r
        for r in frame.itertuples(index=False)
    }
    reference = _read(REFERENCE)
    assert len(reference) == 229
    for row in reference:
        m = mapping[row["indicateur"]]
        key = (
            caisses[(row["departement_code"], row["caisse"])],
            int(row["annee"]),
            m["indicateur"],
            m["periode"],
        )
        ecart = m["annee_reference_ecart"]
        reference_year = int(row["annee"]) - int(ecart) if ecart else None
        found = stored.get((*key, m["nature"], reference_year))
        assert found is not None, f"absent du store : {row}"
        published = float(row["valeur"])
        # A published decrease ("baisse de 2 000") is stored as a negative change; nothing else moves.
        expected = -published if row["indicateur"].startswith("baisse_") else published
        assert found.valeur == pytest.approx(expected), row
        assert found.qualificatif == m["qualificatif"], row
        assert found.source == row["source_title"], row
        if row["source_url"].startswith("http"):
            assert found.url == row["source_url"], row
        assert not found.derive


def test_cote_d_or_2024_seed_figures(seeded):
    frame = seeded.repository.observations(caisses=["cpam-21"], years=[2024])
    value = dict(zip(frame["indicateur"], frame["valeur"], strict=False))
    assert value["demandes_total"] == 3872394
    assert value["part_demandes_compte_ameli"] == 95
    assert value["taux_reponse_email_48h"] == 77.36
    assert value["ass_montant_aides"] == 414463
    assert value["temps_attente_moyen"] == 8.06
    assert set(frame["source"]) >= {
        "Faciliter l'accès aux droits et aux soins : quel bilan 2024 en Côte-d'Or ?"
    }


def test_derived_values_are_marked_with_their_rule(seeded):
    frame = seeded.repository.observations(
        caisses=["cpam-21"], years=[2023], indicators=["adherents_compte_ameli"]
    )
    row = frame.iloc[0]
    assert row["valeur"] == 312009 - 12650
    assert bool(row["derive"]) is True
    assert "12 650" in row["derivation"]


def test_every_stored_figure_has_a_source_and_a_catalog_indicator(seeded):
    frame = seeded.repository.observations()
    assert len(frame) >= 229
    assert frame["source"].str.len().min() > 0
    assert set(frame["indicateur"]) <= seeded.catalog.codes


def test_second_start_imports_nothing_again(seeded):
    before = seeded.store.import_count()
    again = open_data(Settings(database_url=str(seeded.store.engine.url)))
    assert again.store.import_count() == before
    again.store.dispose()


def test_catalog_covers_every_theme_with_a_panel(seeded):
    panels = {"contact_channels", "teleservices", "css", "social_action", "mediation", "other"}
    assert {t.panneau for t in seeded.catalog.themes} <= panels
    assert all(seeded.catalog.by_theme(t.code) for t in seeded.catalog.themes)
