"""Schema migrations: a store made by the version before migrations upgrades in place, losing nothing.

That store holds exactly the tables of the baseline revision (checked against a snapshot of what the
previous version's ``schema.py`` created), filled the way that version filled them; it is then upgraded by
the same code as ``python -m dashboard db upgrade``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, MetaData, create_engine, insert, select

from dashboard.cli import main
from dashboard.data import migrations, schema
from dashboard.data.accounts import list_accounts
from dashboard.data.catalog_store import seed_catalog
from dashboard.data.history import import_history
from dashboard.data.repository import Repository
from dashboard.data.store import Store, UpgradeNeeded
from tests.helpers import ROOT

# What the previous version's schema.py created on SQLite, one statement a line (comments start with --).
BEFORE_MIGRATIONS = ROOT / "tests" / "files" / "schema_before_migrations.sql"

WHEN = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def _figure(caisse: str, annee: int, indicateur: str, valeur: float, **extra: object) -> dict[str, object]:
    return {
        "caisse": caisse,
        "annee": annee,
        "indicateur": indicateur,
        "periode": "annee",
        "nature": "niveau",
        "annee_reference": 0,
        "valeur": valeur,
        "qualificatif": "exact",
        "derive": False,
        "derivation": None,
        "source": f"Rapport d'activité {annee}",
        "url": None,
        "commentaire": None,
        **extra,
    }


def _create_previous_version(conn: Connection) -> MetaData:
    """The tables of the version before migrations: the baseline revision's, without Alembic's own table."""
    migrations.upgrade(conn, migrations.BASELINE)
    conn.exec_driver_sql("DROP TABLE alembic_version")
    previous = MetaData()
    previous.reflect(conn)
    return previous


def _fill_previous_version(url: str) -> list[str]:
    """A store as the previous version left it: two imports (the second undone), accounts, a journal.

    Returns:
        The names of its tables.
    """
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = _create_previous_version(conn).tables
        conn.execute(
            insert(tables["departements"]),
            [
                {"code": "21", "nom": "Côte-d'Or", "region": "Bourgogne-Franche-Comté"},
                {"code": "85", "nom": "Vendée", "region": "Pays de la Loire"},
            ],
        )
        conn.execute(
            insert(tables["caisses"]),
            [
                {"id": "cpam-21", "nom": "CPAM de la Côte-d'Or", "departement": "21"},
                {"id": "cpam-85", "nom": "CPAM de la Vendée", "departement": "85"},
            ],
        )
        conn.execute(insert(tables["store_meta"]).values(cle="version_donnees", valeur=7))
        for number, name in ((1, "chiffres-2023.csv"), (2, "corrections.csv")):
            conn.execute(
                insert(tables["imports"]).values(
                    id=number,
                    fichier=name,
                    sha256=str(number) * 64,
                    importe_le=WHEN,
                    auteur="M. Martin",
                    lignes=2,
                    nouvelles=2,
                    modifiees=0,
                    inchangees=0,
                )
            )
        conn.execute(
            insert(tables["observations"]),
            [
                {**_figure("cpam-21", 2023, "demandes_total", 3872394.0), "import_id": 1},
                {
                    **_figure("cpam-85", 2023, "temps_attente_moyen", 8.06, commentaire="hors pics"),
                    "import_id": 1,
                },
                {
                    **_figure("cpam-21", 2023, "part_demandes_compte_ameli", 77.36, qualificatif="environ"),
                    "import_id": 2,
                },
            ],
        )
        conn.execute(
            insert(tables["replaced_values"]),
            [
                {
                    **_figure("cpam-21", 2023, "part_demandes_compte_ameli", 75.0),
                    "import_id": 2,
                    "ancien_import_id": 1,
                }
            ],
        )
        conn.execute(
            insert(tables["undone_imports"]).values(import_id=1, annule_le=WHEN, annule_par="Mme Durand")
        )
        conn.execute(
            insert(tables["users"]),
            [
                {
                    "nom": "mmartin",
                    "role": "editor",
                    "mot_de_passe": "scrypt:32768:8:1$sel$empreinte",
                    "cree_le": WHEN,
                },
                {"nom": "lecteur", "role": "viewer", "mot_de_passe": None, "cree_le": WHEN},
            ],
        )
        conn.execute(
            insert(tables["audit_log"]).values(
                horodatage=WHEN,
                utilisateur="M. Martin",
                action="import",
                detail="chiffres-2023.csv",
                import_id=1,
            )
        )
    engine.dispose()
    return sorted(tables)


def _contents(url: str, names: list[str]) -> dict[str, list[tuple[object, ...]]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {
            name: sorted(tuple(row) for row in conn.execute(select(schema.metadata.tables[name])))
            for name in names
        }
    engine.dispose()
    return found


def test_the_baseline_revision_builds_the_store_of_the_version_before_migrations(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'base.sqlite3'}")
    with engine.begin() as conn:
        _create_previous_version(conn)
        built = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL").scalars()
        statements = sorted(" ".join(sql.split()) for sql in built)
    engine.dispose()
    snapshot = BEFORE_MIGRATIONS.read_text(encoding="utf-8").splitlines()
    assert statements == [line for line in snapshot if not line.startswith("--")]


def test_a_store_of_the_previous_version_is_refused_then_upgrades_with_nothing_lost(
    store_url, tiny_referentiel, tiny_catalog
):
    tables = _fill_previous_version(store_url)
    before = _contents(store_url, tables)
    store = Store(store_url)
    with pytest.raises(UpgradeNeeded, match=r"Lancez : python -m dashboard db upgrade"):
        store.create(tiny_referentiel)
    assert store.needs_upgrade()

    assert store.upgrade() == (None, migrations.head_revision())

    assert not store.needs_upgrade()
    # Every figure, replaced value, import, undo, account, journal entry and the data version, as they were.
    assert _contents(store_url, tables) == before
    store.create(tiny_referentiel)  # now it opens
    repo = Repository(store, tiny_catalog, tiny_referentiel)
    frame = repo.observations()
    values = {(r.caisse, r.indicateur): (r.valeur, r.qualificatif) for r in frame.itertuples()}
    assert values[("cpam-21", "demandes_total")] == (3872394.0, "exact")
    assert values[("cpam-21", "part_demandes_compte_ameli")] == (77.36, "environ")
    history = import_history(store)
    assert list(history["fichier"]) == ["corrections.csv", "chiffres-2023.csv"]
    assert history.loc[history["id"] == 1, "annule_par"].item() == "Mme Durand"
    assert {(a.nom, a.role) for a in list_accounts(store)} == {("mmartin", "editor"), ("lecteur", "viewer")}
    # The catalog table the upgrade added is seeded on the next start.
    assert seed_catalog(store, tiny_catalog)
    assert [i.code for i in repo.catalog] == [i.code for i in tiny_catalog]
    store.dispose()


def test_the_revisions_build_exactly_the_tables_of_the_schema(store_url):
    engine = create_engine(store_url)
    with engine.begin() as conn:
        migrations.upgrade(conn)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    engine.dispose()
    assert differences == []


def test_a_new_store_carries_the_latest_revision(store_url, tiny_referentiel):
    store = Store(store_url)
    store.create(tiny_referentiel)
    with store.read() as conn:
        assert migrations.current_revision(conn) == migrations.head_revision()
    assert not store.needs_upgrade()
    store.dispose()


def test_the_command_line_upgrades_and_the_app_refuses_to_start_before(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'ancienne.sqlite3'}"
    _fill_previous_version(url)
    monkeypatch.setenv("TDB_DATABASE_URL", url)
    empty = tmp_path / "vide"
    empty.mkdir()
    monkeypatch.setenv("TDB_DATA_DIR", str(empty))
    assert main(["db", "status"]) == 1
    assert "Lancez : python -m dashboard db upgrade" in capsys.readouterr().err

    from dashboard.settings import Settings
    from dashboard.shell import create_app

    with pytest.raises(UpgradeNeeded, match="version précédente"):
        create_app(Settings.from_env())

    assert main(["db", "upgrade"]) == 0
    assert "Base mise à jour" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "déjà à jour" in capsys.readouterr().out
    assert main(["db", "status"]) == 0
    assert "Chiffres : 3 pour 2 caisses" in capsys.readouterr().out.replace("\u00a0", " ")
