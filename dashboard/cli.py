"""Command line: ``python -m dashboard import | template | db status``; thin over the data layer."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.data import open_data
from dashboard.data.importer import import_bytes
from dashboard.data.template import build_template
from dashboard.formatting import format_datetime, format_number
from dashboard.settings import Settings, SettingsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Tableau de bord des CPAM.")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="importer un ou plusieurs fichiers CSV ou XLSX du modèle de saisie")
    imp.add_argument("files", nargs="+", type=Path, metavar="FICHIER")
    imp.add_argument("--auteur", default=None, help="nom enregistré avec l'import (défaut : l'utilisateur)")
    imp.add_argument("--apercu", action="store_true", help="valider et montrer les changements sans écrire")
    tpl = sub.add_parser("template", help="écrire le modèle de saisie XLSX d'une caisse")
    tpl.add_argument("--caisse", required=True, help="identifiant de la caisse, par exemple cpam-21")
    tpl.add_argument("--annee", type=int, default=None, help="année pré-remplie (facultatif)")
    tpl.add_argument("--sortie", type=Path, default=None, help="fichier à écrire")
    db = sub.add_parser("db", help="état de la base")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("status", help="chiffres par caisse et par année, derniers imports")
    return parser


def _import(args: argparse.Namespace, settings: Settings) -> int:
    data = open_data(settings)
    auteur = args.auteur or getpass.getuser()
    failed = 0
    for path in args.files:
        if not path.is_file():
            print(f"{path} : fichier introuvable.", file=sys.stderr)
            failed += 1
            continue
        report = import_bytes(
            data.store,
            path.read_bytes(),
            path.name,
            catalog=data.catalog,
            referentiel=data.referentiel,
            auteur=auteur,
            max_bytes=settings.max_upload_bytes,
            dry_run=args.apercu,
        )
        print(report.summary())
        for issue in report.issues:
            print(f"  [{issue.severity}] {issue}")
        failed += report.status == "refuse"
    return 1 if failed else 0


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as err:
        print(str(err), file=sys.stderr)
        return 2
    if args.command == "import":
        return _import(args, settings)
    if args.command == "template":
        return _template(args, settings)
    return _status(settings)
