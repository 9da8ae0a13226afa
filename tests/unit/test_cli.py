"""The command line: accounts, backup, undo; French messages and exit codes, never a traceback."""

import io
import sqlite3
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.data.accounts import get_account
from dashboard.data.store import Store

ROOT = Path(__file__).resolve().parents[2]
CSV = "departement;caisse;annee;indicateur;valeur;source\n21;cpam-21;2030;demandes_total;1 000;Rapport test\n"


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    """An empty store (no embedded data: TDB_DATA_DIR is an empty folder) named by the environment."""
    path = tmp_path / "store.sqlite3"
    empty = tmp_path / "vide"
    empty.mkdir()
    monkeypatch.setenv("TDB_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("TDB_DATA_DIR", str(empty))
    return path


def test_users_add_creates_an_editor_with_a_hashed_password(database, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["users", "add", "alice", "--role", "editor", "--password-stdin"]) == 0
    assert "Compte « alice » créé : éditeur." in capsys.readouterr().out
    store = Store(f"sqlite:///{database}")
    account = get_account(store, "alice")
    store.dispose()
    assert account is not None
    assert account.role == "editor"
    assert account.mot_de_passe.startswith("scrypt:")


def test_users_add_refuses_a_short_password_and_a_bad_name(database, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("court\n"))
    assert main(["users", "add", "alice", "--role", "editor", "--password-stdin"]) == 2
    assert main(["users", "add", "<script>", "--sso"]) == 2
    err = capsys.readouterr().err
    assert "Mot de passe trop court" in err
    assert "Nom invalide" in err


def test_users_list_and_remove(database, capsys):
    assert main(["users", "add", "claire", "--role", "editor", "--sso"]) == 0
    assert main(["users", "list"]) == 0
    assert "claire — éditeur — authentification unique" in capsys.readouterr().out
    assert main(["users", "remove", "claire"]) == 0
    assert main(["users", "remove", "claire"]) == 1


def test_import_then_undo_from_the_command_line(database, tmp_path, capsys):
    file = tmp_path / "chiffres.csv"
    file.write_text(CSV, encoding="utf-8")
    assert main(["import", str(file), "--auteur", "alice"]) == 0
    assert main(["undo", "1", "--auteur", "bob"]) == 0
    assert "Import n° 1 (chiffres.csv) annulé" in capsys.readouterr().out
    assert main(["undo", "1"]) == 1
    assert "déjà été annulé" in capsys.readouterr().err


def test_db_backup_writes_a_copy_and_refuses_to_overwrite(database, tmp_path, capsys):
    file = tmp_path / "chiffres.csv"
    file.write_text(CSV, encoding="utf-8")
    main(["import", str(file)])
    copy = tmp_path / "copie.sqlite3"
    assert main(["db", "backup", str(copy)]) == 0
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM observations").fetchone() == (1,)
    assert main(["db", "backup", str(copy)]) == 2
    assert "existe déjà" in capsys.readouterr().err
    assert main(["db", "backup", str(copy), "--ecraser"]) == 0


def test_import_into_a_read_only_database_says_so_in_french(database, tmp_path, monkeypatch, capsys):
    file = tmp_path / "chiffres.csv"
    file.write_text(CSV, encoding="utf-8")
    assert main(["db", "status"]) == 0  # creates the store
    monkeypatch.setenv("TDB_DATABASE_URL", f"sqlite:///file:{database}?mode=ro&uri=true")
    assert main(["import", str(file)]) == 1
    assert "lecture seule" in capsys.readouterr().err


def test_a_bad_setting_is_reported_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("TDB_MODE", "production")
    monkeypatch.delenv("TDB_SECRET_KEY", raising=False)
    assert main(["db", "status"]) == 2
    assert "TDB_SECRET_KEY" in capsys.readouterr().err
