"""Regenerate data/chiffres_publies.csv from the reference figures and the two mapping files.

The reference file (published_figures.csv) encodes in its indicator names what the import format keeps as
fields: a bound ("_min"), a change ("_evolution"), a part of the year ("_avril_2020")... Every name is mapped
once in data/correspondance_reference.csv, every publishing caisse in data/caisses_reference.csv; this script
only joins them and writes the import format, so that a figure is never retyped by hand.

Usage (from the repository root):
    .venv/bin/python scripts/build_embedded_data.py [path/to/published_figures.csv]
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
DEFAULT_REFERENCE = REPO_ROOT / ".." / "shared" / "data" / "published_figures.csv"
INDICATOR_MAP = DATA_DIR / "correspondance_reference.csv"
CAISSE_MAP = DATA_DIR / "caisses_reference.csv"
CAISSES_FILE = REPO_ROOT / "dashboard" / "data" / "caisses.csv"
OUTPUT = DATA_DIR / "chiffres_publies.csv"

# The reference data cite the two seed pages as "seed:<file>": the page title is kept, the URL left empty.
SEED_PREFIX = "seed:"
# Names starting with this prefix publish a decrease as a positive number ("baisse de 2 000"): the sign is
# restored so that the change reads the same way as every other change.
DECREASE_PREFIX = "baisse_"


@dataclass(frozen=True, slots=True)
class Mapping:
    """How one published indicator name translates into a catalog code and observation fields."""

    indicateur: str
    qualificatif: str
    periode: str
    nature: str
    ecart: int | None
    commentaire: str


def _checked_import_columns(mappings: dict[str, Mapping]) -> tuple[str, ...]:
    """Check the mapping against the catalog and the closed vocabularies; return the import-format columns.

    The dashboard package is not installed: it is imported from the repository.
    """
    sys.path.insert(0, str(REPO_ROOT))
    from dashboard.data.columns import IMPORT_COLUMNS, NATURES, PERIODS, QUALIFIERS
    from dashboard.data.shipped_catalog import load_catalog

    catalog = load_catalog()
    for name, mapping in mappings.items():
        problems = [
            f"indicateur inconnu « {mapping.indicateur} »" if mapping.indicateur not in catalog else "",
            f"qualificatif « {mapping.qualificatif} »" if mapping.qualificatif not in QUALIFIERS else "",
            f"période « {mapping.periode} »" if mapping.periode not in PERIODS else "",
            f"nature « {mapping.nature} »" if mapping.nature not in NATURES else "",
        ]
        if any(problems):
            raise SystemExit(f"{INDICATOR_MAP.name}, {name} : " + " ; ".join(p for p in problems if p))
    return IMPORT_COLUMNS


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_indicator_map() -> dict[str, Mapping]:
    mappings: dict[str, Mapping] = {}
    for row in _read(INDICATOR_MAP):
        ecart = row["annee_reference_ecart"].strip()
        if (row["nature"] == "niveau") != (ecart == ""):
            name = row["indicateur_publie"]
            raise SystemExit(f"{INDICATOR_MAP.name} : écart incohérent avec la nature pour {name}")
        mappings[row["indicateur_publie"]] = Mapping(
            indicateur=row["indicateur"],
            qualificatif=row["qualificatif"],
            periode=row["periode"],
            nature=row["nature"],
            ecart=int(ecart) if ecart else None,
            commentaire=row["commentaire"],
        )
    return mappings


def _read_caisse_map() -> dict[tuple[str, str], str]:
    departement_of = {row["id"]: row["departement"] for row in _read(CAISSES_FILE)}
    caisses: dict[tuple[str, str], str] = {}
    for row in _read(CAISSE_MAP):
        caisse = row["caisse"]
        if departement_of.get(caisse) != row["departement"]:
            raise SystemExit(f"{CAISSE_MAP.name} : caisse « {caisse} » inconnue ou hors du département")
        caisses[(row["departement"], row["caisse_publiee"])] = caisse
    return caisses


def format_value(text: str, negate: bool = False) -> str:
    """The number as published, dot decimal, no exponent, integers without a trailing ".0"."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation as err:
        raise SystemExit(f"valeur non numérique : « {text} »") from err
    if negate:
        number = -number
    formatted = format(number, "f")
    if "." in formatted:
        formatted = formatted.rstrip("0").rstrip(".")
    return formatted


def figure_key(row: dict[str, str]) -> tuple[str, ...]:
    """What identifies one figure: two rows with the same key would be the same figure published twice."""
    return tuple(row[c] for c in ("caisse", "annee", "indicateur", "periode", "nature", "annee_reference"))


def build_rows(reference: Path) -> list[dict[str, str]]:
    """One import-format row per reference row, sorted by caisse, year and indicator."""
    indicator_map = _read_indicator_map()
    caisse_map = _read_caisse_map()
    rows: list[dict[str, str]] = []
    for line, source in enumerate(_read(reference), start=2):
        name = source["indicateur"]
        try:
            mapping = indicator_map[name]
            caisse = caisse_map[(source["departement_code"], source["caisse"])]
        except KeyError as err:
            raise SystemExit(f"{reference.name}, ligne {line} : correspondance manquante pour {err}") from err
        annee = int(source["annee"])
        url = source["source_url"].strip()
        negate = name.startswith(DECREASE_PREFIX) and mapping.nature != "niveau"
        rows.append(
            {
                "departement": source["departement_code"],
                "caisse": caisse,
                "annee": str(annee),
                "indicateur": mapping.indicateur,
                "valeur": format_value(source["valeur"], negate=negate),
                "qualificatif": mapping.qualificatif,
                "periode": mapping.periode,
                "nature": mapping.nature,
                "annee_reference": "" if mapping.ecart is None else str(annee - mapping.ecart),
                "source": source["source_title"].strip(),
                "url": "" if url.startswith(SEED_PREFIX) else url,
                "commentaire": mapping.commentaire,
                "derivation": "",
            }
        )
    rows.sort(key=figure_key)
    keys = [figure_key(row) for row in rows]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise SystemExit(f"chiffres en double après correspondance : {duplicates}")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "reference",
        nargs="?",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="published_figures.csv (défaut : ../shared/data/published_figures.csv)",
    )
    args = parser.parse_args(argv)
    columns = _checked_import_columns(_read_indicator_map())
    rows = build_rows(args.reference.resolve())
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} lignes écrites dans {OUTPUT.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
