"""A synthetic store at full scale: every département's caisse × 15 years × the whole indicator catalog.

The figures are invented (seeded, plausible orders of magnitude) and say so: their source reads « Données
synthétiques — banc d'essai, jamais publiées » and they arrive in one import named as synthetic. The store
is written through the app's own schema and Store (one write transaction, bulk insert), to a temporary
path or the path given, never under data/ or instance/: it can never become the app's default data.

Usage: .venv/bin/python benchmarks/generate_scale_store.py [--path /tmp/store.sqlite3] [--years 15]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the dashboard package sits one folder up
    sys.path.insert(0, str(ROOT))

from dashboard.data import schema  # noqa: E402
from dashboard.data.catalog import Catalog, Indicator  # noqa: E402
from dashboard.data.referentiel import load_referentiel  # noqa: E402
from dashboard.data.shipped_catalog import load_catalog  # noqa: E402
from dashboard.data.store import Store  # noqa: E402

SYNTHETIC_SOURCE = "Données synthétiques — banc d'essai, jamais publiées"
SYNTHETIC_FILE = "SYNTHETIQUE-banc-d-essai-jamais-publie.csv"
SYNTHETIC_AUTHOR = "banc d'essai (données synthétiques)"
LAST_YEAR = 2025
FORBIDDEN = (ROOT / "data", ROOT / "instance")


def _value(ind: Indicator, rng: random.Random, scale: float) -> float:
    """A plausible level for the indicator's unit (shares are set with their parent, see ``_shares``)."""
    if ind.unite == "%":
        return round(rng.uniform(40, 99), 1)
    if ind.unite in ("jours", "minutes", "heures"):
        return round(rng.uniform(1, 40), 1)
    if ind.unite == "€":
        return round(rng.uniform(1e4, 5e6) * scale)
    return round(rng.uniform(50, 2e5) * scale)


def _shares(parts: list[Indicator], rng: random.Random) -> dict[str, float]:
    """Shares of a breakdown that add up to 100 %."""
    weights = [rng.uniform(1, 10) for _ in parts]
    total = sum(weights)
    return {p.code: round(100 * w / total, 1) for p, w in zip(parts, weights, strict=True)}


def rows(catalog: Catalog, caisses: list[str], years: list[int], import_id: int) -> list[dict[str, object]]:
    """Every (caisse, year, indicator) level, in the store's own column names."""
    rng = random.Random(20_251_123)  # the same store every run
    breakdowns: dict[str, list[Indicator]] = {}
    for ind in catalog:
        if ind.unite == "%" and ind.parent is not None and ind.graphique == "part":
            breakdowns.setdefault(ind.parent, []).append(ind)
    found: list[dict[str, object]] = []
    for caisse in caisses:
        scale = rng.uniform(0.3, 3.0)  # small and large caisses
        for year in years:
            shares: dict[str, float] = {}
            for parts in breakdowns.values():
                shares |= _shares(parts, rng)
            for ind in catalog:
                found.append(
                    {
                        "caisse": caisse,
                        "annee": year,
                        "indicateur": ind.code,
                        "periode": "annee",
                        "nature": "niveau",
                        "annee_reference": 0,
                        "valeur": shares.get(ind.code, _value(ind, rng, scale)),
                        "qualificatif": "exact",
                        "derive": False,
                        "derivation": None,
                        "source": SYNTHETIC_SOURCE,
                        "url": None,
                        "commentaire": "banc d'essai",
                        "import_id": import_id,
                    }
                )
    return found


def check_path(path: Path) -> Path:
    """Refuse a path inside data/ or instance/: synthetic figures never become the app's default data."""
    resolved = path.resolve()
    for forbidden in FORBIDDEN:
        if resolved == forbidden or forbidden in resolved.parents:
            raise SystemExit(f"Refusé : {path} est dans {forbidden} (réservé aux vraies données).")
    if resolved.exists():
        raise SystemExit(f"Refusé : {path} existe déjà (choisissez un nouveau fichier).")
    return resolved


def generate(path: Path, n_years: int = 15) -> tuple[int, float]:
    """Write the synthetic store at ``path``; return (figures written, seconds)."""
    path = check_path(path)
    started = time.perf_counter()
    catalog = load_catalog()
    referentiel = load_referentiel()
    store = Store(f"sqlite:///{path}")
    try:
        store.create(referentiel)
        caisses = [c.id for c in referentiel.caisses]
        years = list(range(LAST_YEAR - n_years + 1, LAST_YEAR + 1))
        with store.write() as conn:
            inserted = conn.execute(
                insert(schema.imports).values(
                    fichier=SYNTHETIC_FILE,
                    sha256="0" * 64,
                    importe_le=datetime.now(UTC),
                    auteur=SYNTHETIC_AUTHOR,
                    lignes=len(caisses) * len(years) * len(catalog),
                    nouvelles=len(caisses) * len(years) * len(catalog),
                    modifiees=0,
                    inchangees=0,
                )
            ).inserted_primary_key
            assert inserted is not None
            records = rows(catalog, caisses, years, int(inserted[0]))
            conn.execute(insert(schema.observations), records)
        if store.is_sqlite:
            with store.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
    finally:
        store.dispose()
    return len(records), time.perf_counter() - started


def default_path() -> Path:
    """A new file in a new temporary folder."""
    return Path(tempfile.mkdtemp(prefix="tdb-echelle-")) / "echelle.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--path", type=Path, default=None, help="fichier SQLite à créer (défaut : temporaire)"
    )
    parser.add_argument("--years", type=int, default=15)
    args = parser.parse_args()
    path = args.path or default_path()
    count, seconds = generate(path, args.years)
    print(f"Base synthétique écrite : {path}")
    print(f"  {count:,} chiffres synthétiques en {seconds:.1f} s".replace(",", "\u00a0"))
    print(f"  source de chaque chiffre : « {SYNTHETIC_SOURCE} »")


if __name__ == "__main__":
    main()
