"""Since the last committee: figures new, changed (with the import that changed them) and withdrawn."""

import pytest

from dashboard.data.committees import changes_since, last_committee, save_committee, selection_key
from dashboard.data.history import undo_import


@pytest.fixture
def imported(run_import, csv_bytes):
    """``imported(name, *lines)``: a file of those lines, imported (the test fails if it is not)."""

    def run(name: str, *lines: str):
        report = run_import(csv_bytes(*lines), name)
        assert report.status == "importe", report.issues
        return report

    return run


def _save(store, caisses=("cpam-21",)):
    return save_committee(
        store,
        caisses=caisses,
        annee=2024,
        comparaison=None,
        charts=["contact-channels/demandes_total"],
        author="alice",
        data_version=store.data_version(),
    )


def test_changes_follow_an_import_a_correction_and_an_undo(store, imported):
    imported("rapport.csv", "21;cpam-21;2024;demandes_total;3 800 000;;;Rapport 2024;;")
    kept = imported("appels.csv", "21;cpam-21;2024;appels_3646_recus;191 580;;;Rapport 2024;;")
    _save(store)
    committee = last_committee(store, ["cpam-21"], 2024, None)
    assert committee is not None
    assert changes_since(store, committee).empty

    added = imported("css.csv", "21;cpam-21;2024;beneficiaires_css;45 303;;;Rapport CSS;;")
    changes = changes_since(store, committee)
    assert [key[2] for key, _ in changes.new] == ["beneficiaires_css"]
    assert changes.new[0][1].import_file == "css.csv"

    correction = imported("correction.csv", "21;cpam-21;2024;demandes_total;3 872 394;;;Rapport corrigé;;")
    changes = changes_since(store, committee)
    [(key, before, after)] = changes.changed
    assert key[2] == "demandes_total"
    assert (before.valeur, after.valeur) == (3800000, 3872394)
    assert (after.import_id, after.import_file) == (correction.import_id, "correction.csv")

    assert undo_import(store, kept.import_id, auteur="bob").status == "annule"
    assert undo_import(store, added.import_id, auteur="bob").status == "annule"
    changes = changes_since(store, committee)
    assert [key[2] for key, _ in changes.withdrawn] == ["appels_3646_recus"]
    assert changes.new == ()
    assert [key[2] for key, _, _ in changes.changed] == ["demandes_total"]


def test_the_selection_is_the_same_caisses_in_any_order_the_same_years(store, imported):
    imported("rapport.csv", "21;cpam-21;2024;demandes_total;3 800 000;;;Rapport 2024;;")
    first = _save(store, caisses=("cpam-85", "cpam-21"))

    assert last_committee(store, ["cpam-21", "cpam-85"], 2024, None).id == first
    assert last_committee(store, ["cpam-21"], 2024, None) is None
    assert last_committee(store, ["cpam-21", "cpam-85"], 2024, 2023) is None
    assert selection_key(["b", "a"], 2024, 2023) == "a,b|2024|2023"
