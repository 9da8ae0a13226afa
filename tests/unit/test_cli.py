"""The command line: accounts, backup, undo; French messages and exit codes, never a traceback."""

import io
import re
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


# --- Hostile files and errors: French, no traceback, nothing recorded -------------------------------------

ENGLISH = re.compile(
    r"Traceback|\b\w*(Error|Exception)\b|"
    r"\b(the|is|are|of|invalid|expected|field|larger|literal|unexpected|must|value|error|full|usage)\b",
    re.IGNORECASE,
)


def _status(database: Path) -> tuple:
    with sqlite3.connect(database) as conn:
        counts = [
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("imports", "observations", "audit_log")
        ]
        return (*counts, conn.execute("SELECT valeur FROM store_meta").fetchone()[0])


HEADER = "departement;caisse;annee;indicateur;valeur;source"
HOSTILE_FILES = {
    "blank_rows": f"{HEADER}\n;;;;;\n;;;;;\n",
    "semicolon_header_comma_rows": f"{HEADER}\n21,cpam-21,2030,demandes_total,1,R\n",
    "stray_quote": f'{HEADER}\n21;cpam-21;2030;demandes_total;1;"R\n21;cpam-21;2031;demandes_total;2;R\n',
    "huge_field": f"{HEADER}\n21;cpam-21;2030;demandes_total;1;{'x' * 140_000}\n",
    "value_of_400_digits": f"{HEADER}\n21;cpam-21;2030;demandes_total;{'9' * 400};R\n",
    "superscript_year": f"{HEADER}\n21;cpam-21;²⁰²⁴;demandes_total;1;R\n",
}


@pytest.mark.parametrize("text", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_a_hostile_file_exits_non_zero_in_french_and_records_nothing(database, tmp_path, capsys, text):
    assert main(["db", "status"]) == 0  # creates the store
    before = _status(database)
    capsys.readouterr()
    file = tmp_path / "chiffres.csv"
    file.write_text(text, encoding="utf-8")
    assert main(["import", str(file)]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    assert "refusé" in said
    assert not ENGLISH.search(said), ENGLISH.search(said)
    assert _status(database) == before


def test_an_unexpected_error_is_a_french_message_without_traceback(database, tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("dashboard.cli.import_upload", broken)
    file = tmp_path / "chiffres.csv"
    file.write_text(CSV, encoding="utf-8")
    assert main(["import", str(file)]) == 1
    err = capsys.readouterr().err
    assert "Erreur inattendue" in err
    assert "secret internal detail" not in err
    assert not ENGLISH.search(err)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import"], "argument(s) obligatoire(s) manquant(s) : FICHIER"),
        (["undo", "x"], "« x » n'est pas un nombre entier"),
        (["frob"], "« frob » inconnu"),
        (["users", "add", "a", "--role", "chef"], "« chef » inconnu"),
    ],
)
def test_a_mistyped_command_is_answered_in_french(database, capsys, argv, expected):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert not ENGLISH.search(err.replace("python -m dashboard", "")), err


def test_a_directory_given_as_a_file_is_explained(database, tmp_path, capsys):
    assert main(["import", str(tmp_path)]) == 1
    assert "c'est un dossier" in capsys.readouterr().err
