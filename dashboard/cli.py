"""Command line: ``python -m dashboard import | undo | template | catalogue | db | users | worker``.

Thin over the data layer and the security package; every message is French.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from dashboard.data.accounts import ROLES, delete_account, list_accounts, save_account
from dashboard.data.catalog_file import catalog_csv, catalog_workbook
from dashboard.data.catalog_store import catalog_history, import_catalog_bytes, undo_catalog_import
from dashboard.data.context import DataContext, open_data
from dashboard.data.history import undo_import
from dashboard.data.store import Store, StoreError
from dashboard.data.template import build_template
from dashboard.data.validation import name_mappings, unknown_indicators
from dashboard.data.workbook import UploadReport, import_upload
from dashboard.formatting import format_datetime, format_number
from dashboard.security.auth import ROLE_LABELS, valid_name
from dashboard.security.passwords import PasswordError, hash_password
from dashboard.settings import Settings, SettingsError

logger = logging.getLogger(__name__)

# argparse speaks English; the few messages a person meets on a mistyped command, in French.
_ARGPARSE_FRENCH = (
    (
        re.compile(r"the following arguments are required: (.+)"),
        "argument(s) obligatoire(s) manquant(s) : {0}",
    ),
    (
        re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)"),
        "{0} : « {1} » inconnu ; choix : {2}",
    ),
    (re.compile(r"argument (\S+): invalid int value: '(.*)'"), "{0} : « {1} » n'est pas un nombre entier"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} : une valeur est attendue"),
    (re.compile(r"unrecognized arguments: (.+)"), "argument(s) inconnu(s) : {0}"),
)


class _FrenchHelp(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class _FrenchParser(argparse.ArgumentParser):
    """argparse with French errors and headings (its own texts are English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _FrenchHelp)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        """Print the usage and a French error, exit 2 (argparse's own convention)."""
        for pattern, french in _ARGPARSE_FRENCH:
            if match := pattern.search(message):
                message = french.format(*(group.replace("'", "") for group in match.groups()))
                break
        else:
            message = "commande mal formée"
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _FrenchParser(prog="python -m dashboard", description="Tableau de bord des CPAM.")
    sub = parser.add_subparsers(
        dest="command", required=True, title="commandes", metavar="COMMANDE", parser_class=_FrenchParser
    )
    imp = sub.add_parser("import", help="importer un ou plusieurs fichiers CSV ou XLSX du modèle de saisie")
    imp.add_argument("files", nargs="+", type=Path, metavar="FICHIER")
    imp.add_argument("--auteur", default=None, help="nom enregistré avec l'import (défaut : l'utilisateur)")
    imp.add_argument("--apercu", action="store_true", help="valider et montrer les changements sans écrire")
    tpl = sub.add_parser("template", help="écrire le modèle de saisie XLSX d'une caisse")
    tpl.add_argument("--caisse", required=True, help="identifiant de la caisse, par exemple cpam-21")
    tpl.add_argument("--annee", type=int, default=None, help="année pré-remplie (facultatif)")
    tpl.add_argument("--sortie", type=Path, default=None, help="fichier à écrire")
    db = sub.add_parser("db", help="état de la base")
    db_sub = db.add_subparsers(
        dest="db_command", required=True, metavar="COMMANDE", parser_class=_FrenchParser
    )
    db_sub.add_parser("status", help="chiffres par caisse et par année, derniers imports")
    db_sub.add_parser("upgrade", help="mettre à jour le schéma d'une base créée par une version précédente")
    backup = db_sub.add_parser("backup", help="écrire une copie cohérente de la base SQLite")
    backup.add_argument("destination", type=Path, metavar="FICHIER")
    backup.add_argument("--ecraser", action="store_true", help="remplacer FICHIER s'il existe")
    undo = sub.add_parser("undo", help="annuler un import (ses ajouts retirés, ses remplacements rétablis)")
    undo.add_argument("import_id", type=int, metavar="NUMERO")
    undo.add_argument("--auteur", default=None, help="nom enregistré au journal (défaut : l'utilisateur)")
    _catalog_parser(sub)
    users = sub.add_parser("users", help="comptes : lecteurs et éditeurs")
    users_sub = users.add_subparsers(
        dest="users_command", required=True, metavar="COMMANDE", parser_class=_FrenchParser
    )
    add = users_sub.add_parser("add", help="créer un compte (ou changer son rôle et son mot de passe)")
    add.add_argument("name", metavar="NOM")
    add.add_argument("--role", choices=ROLES, default="viewer", help="viewer (lecteur) ou editor (éditeur)")
    add.add_argument(
        "--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard"
    )
    add.add_argument(
        "--sso", action="store_true", help="compte sans mot de passe (authentification unique seulement)"
    )
    users_sub.add_parser("list", help="lister les comptes")
    remove = users_sub.add_parser("remove", help="supprimer un compte")
    remove.add_argument("name", metavar="NOM")
    return parser


def _catalog_parser(sub: Any) -> None:
    cat = sub.add_parser("catalogue", help="catalogue des indicateurs : exporter, importer, modèle, annuler")
    cat_sub = cat.add_subparsers(dest="catalog_command", required=True)
    export = cat_sub.add_parser("export", help="écrire tout le catalogue (CSV ou XLSX selon l'extension)")
    export.add_argument(
        "--sortie", type=Path, default=Path("catalogue-indicateurs.csv"), help="fichier à écrire"
    )
    cat_imp = cat_sub.add_parser("import", help="ajouter ou modifier des indicateurs (fichier CSV ou XLSX)")
    cat_imp.add_argument("file", type=Path, metavar="FICHIER")
    cat_imp.add_argument(
        "--auteur", default=None, help="nom enregistré avec l'import (défaut : l'utilisateur)"
    )
    cat_imp.add_argument(
        "--apercu", action="store_true", help="valider et montrer les changements sans écrire"
    )
    tpl = cat_sub.add_parser("template", help="écrire un modèle XLSX de catalogue à remplir")
    tpl.add_argument("--sortie", type=Path, default=Path("modele-catalogue.xlsx"), help="fichier à écrire")
    tpl.add_argument(
        "--depuis",
        type=Path,
        default=None,
        help="fichier de chiffres : une ligne pré-remplie par indicateur inconnu qu'il nomme",
    )
    cat_sub.add_parser("historique", help="les dernières modifications du catalogue")
    cat_undo = cat_sub.add_parser("annuler", help="annuler une modification du catalogue (la plus récente)")
    cat_undo.add_argument("catalog_import_id", type=int, metavar="NUMERO")
    cat_undo.add_argument("--auteur", default=None, help="nom enregistré au journal (défaut : l'utilisateur)")
    sub.add_parser("worker", help="serveur de rendu : prépare les exports de la file partagée (Redis)")


def _print_report(report: UploadReport) -> None:
    print(report.summary())
    mappings = name_mappings(report.figures.issues, report.catalog_used) if report.figures else []
    for name, code in mappings:
        print(f"  nom lu comme code : « {name} » → {code}")
    if report.catalog is not None:
        plan = report.catalog.plan
        for change in plan.changes:
            what = "nouveau" if change.before is None else "supprimé" if change.after is None else "modifié"
            fields = f" ({', '.join(change.changed_fields)})" if change.changed_fields else ""
            print(f"  indicateur {what} : {change.code}{fields}")
        for issue in plan.issues:
            print(f"  [{issue.severity}] {issue}")
    for issue in report.figures.issues if report.figures else ():
        print(f"  [{issue.severity}] {issue}")


def _read(path: Path) -> bytes | None:
    """The file's bytes, or None once the reason it cannot be read is printed in French."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        print(f"{path} : c'est un dossier, pas un fichier.", file=sys.stderr)
    except FileNotFoundError:
        print(f"{path} : fichier introuvable.", file=sys.stderr)
    except OSError:
        print(f"{path} : fichier illisible (droits d'accès ou disque).", file=sys.stderr)
    return None


def _upload(
    path: Path, data: DataContext, settings: Settings, *, auteur: str, dry_run: bool
) -> UploadReport | None:
    """A file read and imported as the page imports a drop (figures, catalog or both); None if unreadable."""
    content = _read(path)
    if content is None:
        return None
    return import_upload(
        data.store,
        content,
        path.name,
        current=data.catalog,
        referentiel=data.referentiel,
        auteur=auteur,
        max_bytes=settings.max_upload_bytes,
        dry_run=dry_run,
    )


def _import(args: argparse.Namespace, settings: Settings) -> int:
    data = open_data(settings)
    auteur = args.auteur or getpass.getuser()
    failed = 0
    for path in args.files:
        report = _upload(path, data, settings, auteur=auteur, dry_run=args.apercu)
        if report is None:
            failed += 1
            continue
        _print_report(report)
        failed += report.refused
    return 1 if failed else 0


def _catalog(args: argparse.Namespace, settings: Settings) -> int:
    data = open_data(settings, seed=False)
    command = args.catalog_command
    if command == "export":
        output: Path = args.sortie
        everything = data.catalog
        content = (
            catalog_workbook(everything, everything=True)
            if output.suffix.lower() == ".xlsx"
            else catalog_csv(everything)
        )
        output.write_bytes(content)
        print(f"Catalogue écrit : {output} ({len(everything.all_indicators)} indicateurs).")
        return 0
    if command == "template":
        names: list[str] = []
        if args.depuis is not None:
            # Read as the import page reads a drop, so both prefill the same names.
            report = _upload(args.depuis, data, settings, auteur="", dry_run=True)
            if report is None:
                return 2
            names = unknown_indicators(report.figures.issues) if report.figures is not None else []
        args.sortie.write_bytes(catalog_workbook(data.catalog, names=names))
        print(f"Modèle de catalogue écrit : {args.sortie} ({len(names)} ligne(s) pré-remplie(s)).")
        return 0
    if command == "historique":
        for record in catalog_history(data.store, limit=20).to_dict("records"):
            undone = f" — annulé par {record['annule_par']}" if record["annule_par"] else ""
            print(
                f"  n° {record['id']} — {format_datetime(record['importe_le'])} — {record['fichier']} — "
                f"{record['auteur']} — {record['nouveaux']} nouveau(x), {record['modifies']} modifié(s), "
                f"{record['supprimes']} supprimé(s){undone}"
            )
        return 0
    if command == "annuler":
        undo = undo_catalog_import(
            data.store, args.catalog_import_id, auteur=args.auteur or getpass.getuser()
        )
        print(undo.message, file=sys.stdout if undo.status == "annule" else sys.stderr)
        return 0 if undo.status == "annule" else 1
    catalog_file = _read(args.file)
    if catalog_file is None:
        return 2
    result = import_catalog_bytes(
        data.store,
        catalog_file,
        args.file.name,
        current=data.catalog,
        auteur=args.auteur or getpass.getuser(),
        max_bytes=settings.max_upload_bytes,
        dry_run=args.apercu,
    )
    _print_report(UploadReport(result.fichier, result.sha256, "catalogue", data.catalog, catalog=result))
    return 1 if result.status == "refuse" else 0


def _upgrade(settings: Settings) -> int:
    store = Store(settings.database_url)
    try:
        if not store.needs_upgrade():
            print("La base est déjà à jour : rien à faire.")
            return 0
        before, after = store.upgrade()
    finally:
        store.dispose()
    print(f"Base mise à jour : schéma {before or 'initial'} → {after} ; chiffres et historique conservés.")
    return 0


def _template(args: argparse.Namespace, settings: Settings) -> int:
    data = open_data(settings, seed=False)
    caisse = data.referentiel.caisse_by_id.get(args.caisse.lower())
    if caisse is None:
        print(f"Caisse inconnue : « {args.caisse} » (exemple : cpam-21).", file=sys.stderr)
        return 2
    output = args.sortie or Path(f"modele-saisie_{caisse.id}.xlsx")
    output.write_bytes(build_template(data.catalog, caisse, args.annee))
    print(f"Modèle écrit : {output} ({len(data.catalog)} indicateurs, {caisse.nom}).")
    return 0


def _status(settings: Settings) -> int:
    data = open_data(settings)
    counts = data.repository.counts_by_caisse_year()
    print(f"Base : {settings.database_url}")
    print(f"Version des données : {data.repository.data_version()}")
    total = format_number(float(counts["chiffres"].sum()))
    print(f"Chiffres : {total} pour {counts['caisse'].nunique()} caisses")
    for caisse_nom, group in counts.groupby("caisse_nom", sort=True):
        years = ", ".join(f"{y} ({n})" for y, n in zip(group["annee"], group["chiffres"], strict=True))
        print(f"  {caisse_nom} : {years}")
    print("Derniers imports :")
    for record in data.repository.imports(limit=10).to_dict("records"):
        print(
            f"  n° {record['id']} — {format_datetime(record['importe_le'])} — {record['fichier']} — "
            f"{record['auteur']} — {record['lignes']} lignes, sha256 {str(record['sha256'])[:12]}…"
        )
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (confirmation) : ") != first:
        raise PasswordError("Les deux saisies diffèrent.")
    return first


def _users(args: argparse.Namespace, settings: Settings) -> int:
    data = open_data(settings, seed=False)
    if args.users_command == "list":
        accounts = list_accounts(data.store)
        if not accounts:
            print("Aucun compte : consulter n'en demande pas ; « users add NOM --role editor » en crée un.")
        for account in accounts:
            kind = "mot de passe" if account.mot_de_passe else "authentification unique"
            print(f"{account.nom} — {ROLE_LABELS[account.role]} — {kind}")
        return 0
    if not valid_name(args.name):
        print(
            "Nom invalide : lettres, chiffres, espaces et . @ + - _ ; 120 caractères au plus.",
            file=sys.stderr,
        )
        return 2
    if args.users_command == "remove":
        if delete_account(data.store, args.name):
            print(f"Compte « {args.name} » supprimé.")
            return 0
        print(f"Aucun compte « {args.name} ».", file=sys.stderr)
        return 1
    try:
        password_hash = None if args.sso else hash_password(_read_password(args.password_stdin))
    except PasswordError as err:
        print(str(err), file=sys.stderr)
        return 2
    created = save_account(data.store, args.name, args.role, password_hash)
    verb = "créé" if created else "mis à jour"
    print(f"Compte « {args.name} » {verb} : {ROLE_LABELS[args.role]}.")
    return 0


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    destination: Path = args.destination
    if destination.exists() and not args.ecraser:
        print(f"{destination} existe déjà : choisissez un autre nom ou ajoutez --ecraser.", file=sys.stderr)
        return 2
    data = open_data(settings, seed=False)
    if destination.exists():
        destination.unlink()
    data.store.backup(destination)
    print(f"Copie cohérente écrite : {destination} ({destination.stat().st_size // 1024} Kio).")
    return 0


def _undo(args: argparse.Namespace, settings: Settings) -> int:
    data = open_data(settings, seed=False)
    report = undo_import(data.store, args.import_id, auteur=args.auteur or getpass.getuser())
    print(report.message, file=sys.stdout if report.status == "annule" else sys.stderr)
    return 0 if report.status == "annule" else 1


def _worker(settings: Settings) -> int:
    # Imported here: the worker loads the whole app (pages, charts), which no other command needs.
    from dashboard.worker import WorkerUnavailable, serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    try:
        serve(settings)
    except WorkerUnavailable as err:
        print(str(err), file=sys.stderr)
        return 2
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "worker":
        return _worker(settings)
    if args.command == "import":
        return _import(args, settings)
    if args.command == "template":
        return _template(args, settings)
    if args.command == "undo":
        return _undo(args, settings)
    if args.command == "users":
        return _users(args, settings)
    if args.command == "catalogue":
        return _catalog(args, settings)
    if args.db_command == "upgrade":
        return _upgrade(settings)
    if args.db_command == "backup":
        return _backup(args, settings)
    return _status(settings)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    if os.environ.get("TDB_LOG_LEVEL", "").upper() == "DEBUG":
        logging.basicConfig(level=logging.DEBUG)
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as err:
        print(str(err), file=sys.stderr)
        return 2
    try:
        return _run(args, settings)
    except StoreError as err:
        print(str(err), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "Interrompu : rien n'a été écrit à moitié (chaque import est une seule transaction).",
            file=sys.stderr,
        )
        return 130
    except MemoryError:
        print("Mémoire insuffisante : l'opération a été arrêtée et rien n'a été écrit.", file=sys.stderr)
        return 1
    except Exception:
        # The detail is for whoever maintains the server (TDB_LOG_LEVEL=DEBUG), not for the person typing.
        logger.debug("erreur inattendue", exc_info=True)
        print(
            "Erreur inattendue : l'opération a été arrêtée et rien n'a été écrit à moitié. "
            "Relancez avec TDB_LOG_LEVEL=DEBUG pour le détail technique.",
            file=sys.stderr,
        )
        return 1
