"""Undoing an import restores exactly what it replaced and removes what it added, in one transaction."""

import pytest
from sqlalchemy import func, select

from dashboard.data import journal, schema
from dashboard.data.history import import_history, undo_import


def _state(store) -> list[tuple]:
    """Every stored figure with its values and owner import, in a stable order."""
    obs = schema.observations
    columns = [c for c in obs.columns if c.name != "id"]
    with store.read() as conn:
        return sorted(tuple(row) for row in conn.execute(select(*columns)).all())


@pytest.fixture
def two_imports(run_import, store, csv_bytes):
    """A first file, then a second that changes one figure, adds one and repeats one unchanged."""
    first = run_import(
        csv_bytes(
            "21;cpam-21;2024;demandes_total;3 800 000;;;Première version;;",
            "21;cpam-21;2024;appels_3646_recus;191 580;;;Première version;https://example.org/a;Note",
        ),
        "premier.csv",
    )
    before_second = _state(store)
    second = run_import(
        csv_bytes(
            "21;cpam-21;2024;demandes_total;3 872 394;plus de;;Version corrigée;;",
            "21;cpam-21;2024;appels_3646_recus;191 580;;;Première version;https://example.org/a;Note",
            "85;cpam-85;2024;beneficiaires_css;45 303;;;Rapport Vendée;;",
        ),
        "second.csv",
    )
    assert (first.status, second.status) == ("importe", "importe")
    assert (len(second.nouvelles), len(second.modifiees), len(second.inchangees)) == (1, 1, 1)
    return first, second, before_second


def test_undo_restores_exactly_the_state_before_the_import(two_imports, store):
    _, second, before_second = two_imports
    version = store.data_version()

    report = undo_import(store, second.import_id, auteur="bob")

    assert report.status == "annule", report.message
    assert (report.removed, report.restored) == (1, 1)
    assert _state(store) == before_second  # values, qualifier, source, url, comment and owner import
    assert store.data_version() == version + 1


def test_undo_of_the_first_import_removes_its_figures(run_import, store, csv_bytes):
    report = run_import(csv_bytes("21;cpam-21;2024;demandes_total;3 800 000;;;R;;"))
    assert undo_import(store, report.import_id, auteur="bob").status == "annule"
    assert _state(store) == []


def test_history_says_who_undid_what_and_keeps_the_row(two_imports, store):
    _, second, _ = two_imports
    undo_import(store, second.import_id, auteur="bob")
    history = import_history(store).set_index("id")
    assert history.loc[second.import_id, "annule_par"] == "bob"
    assert history.loc[second.import_id, "fichier"] == "second.csv"
    assert history.loc[second.import_id, "lignes"] == 3
    assert len(history.loc[second.import_id, "sha256"]) == 64


def test_an_import_changed_by_a_later_one_is_undone_after_it(two_imports, store):
    first, second, _ = two_imports
    state = _state(store)

    refused = undo_import(store, first.import_id, auteur="bob")

    assert refused.status == "refuse"
    assert f"n° {second.import_id}" in refused.message
    assert _state(store) == state
    assert undo_import(store, second.import_id, auteur="bob").status == "annule"
    assert undo_import(store, first.import_id, auteur="bob").status == "annule"
    assert _state(store) == []


def test_undo_twice_or_unknown_import_is_refused_and_changes_nothing(two_imports, store):
    _, second, _ = two_imports
    undo_import(store, second.import_id, auteur="bob")
    state, version = _state(store), store.data_version()
    again = undo_import(store, second.import_id, auteur="bob")
    unknown = undo_import(store, 9999, auteur="bob")
    assert (again.status, unknown.status) == ("refuse", "refuse")
    assert "déjà été annulé" in again.message
    assert "n'existe pas" in unknown.message
    assert _state(store) == state
    assert store.data_version() == version


def test_a_file_can_be_imported_again_after_its_import_was_undone(run_import, store, csv_bytes):
    data = csv_bytes("21;cpam-21;2024;demandes_total;3 800 000;;;R;;")
    first = run_import(data)
    undo_import(store, first.import_id, auteur="bob")
    again = run_import(data)
    assert again.status == "importe"
    assert len(_state(store)) == 1


def test_imports_and_undos_are_journaled_with_their_author(two_imports, store):
    _, second, _ = two_imports
    undo_import(store, second.import_id, auteur="bob")
    entries = journal.entries(store)
    assert list(entries["action"])[:3] == ["annulation", "import", "import"]
    assert list(entries["utilisateur"])[:3] == ["bob", "alice", "alice"]
    assert second.sha256 in entries.iloc[1]["detail"]
    assert "second.csv" in entries.iloc[0]["detail"]


def test_replaced_values_are_kept_only_for_changed_figures(two_imports, store):
    _, second, _ = two_imports
    with store.read() as conn:
        kept = conn.scalar(
            select(func.count())
            .select_from(schema.replaced_values)
            .where(schema.replaced_values.c.import_id == second.import_id)
        )
    assert kept == 1


def test_a_refused_file_writes_no_journal_entry(run_import, store, csv_bytes):
    report = run_import(csv_bytes("21;cpam-21;2024;inconnu;1;;;R;;"))
    assert report.status == "refuse"
    assert journal.entries(store).empty
