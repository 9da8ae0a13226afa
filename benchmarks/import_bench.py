"""Import of a 10 000-row file: time to validate and write it, and the importer's peak memory.

The real importer (``dashboard.data.importer.import_bytes``) runs in a fresh subprocess. Its peak resident
size is ``resource.getrusage``'s ``ru_maxrss``, checked against the kernel's high-water mark of the process's
own memory (``VmHWM``): Linux carries ``ru_maxrss`` over from the parent that forked the child, so a large
parent (run_all.py holds a browser driver and the app) would show its own size; the smaller one counts.

The file is synthetic, in the import format, marked as such in its source column, and goes into a
temporary copy of the store: never into the app's data.

Usage: .venv/bin/python benchmarks/import_bench.py [--database-url sqlite:///…] [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import ROOT
from generate_scale_store import SYNTHETIC_SOURCE

from dashboard.data.columns import IMPORT_COLUMNS
from dashboard.data.referentiel import load_referentiel
from dashboard.data.shipped_catalog import load_catalog

YEAR = 2026  # a new year: every row is new, in the real store and at scale alike

# Runs in the subprocess: open the store (seeding it when empty, as the app does), then time the import.
CHILD = """
import json, resource, sys, time
from pathlib import Path
from dashboard.data.context import open_data
from dashboard.data.importer import import_bytes
from dashboard.settings import Settings

url, path = sys.argv[1], Path(sys.argv[2])
data = open_data(Settings(database_url=url))
before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
content = path.read_bytes()
started = time.perf_counter()
report = import_bytes(
    data.store, content, path.name, catalog=data.catalog, referentiel=data.referentiel,
    auteur="banc d'essai", max_bytes=50 * 1024 * 1024,
)
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
status = Path("/proc/self/status").read_text().splitlines()
hwm_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "status": report.status, "rows": report.lignes,
                  "errors": len(report.errors), "peak_mb": min(peak_kb, hwm_kb) / 1024,
                  "before_mb": before_kb / 1024, "getrusage_mb": peak_kb / 1024, "hwm_mb": hwm_kb / 1024}))
"""


def synthetic_file(rows: int) -> bytes:
    """A CSV in the import format: caisses × indicators of one year, plausible levels, marked synthetic."""
    catalog = load_catalog()
    referentiel = load_referentiel()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(IMPORT_COLUMNS)
    written = 0
    for index, ind in enumerate(catalog):
        for caisse in referentiel.caisses:
            if written == rows:
                break
            value = 40 + (index * 7 + written) % 55 if ind.unite == "%" else 1000 + (written * 37) % 90000
            record = {
                "departement": caisse.departement,
                "caisse": caisse.id,
                "annee": YEAR,
                "indicateur": ind.code,
                "valeur": value,
                "qualificatif": "exact",
                "periode": "annee",
                "nature": "niveau",
                "annee_reference": "",
                "source": SYNTHETIC_SOURCE,
                "url": "",
                "commentaire": "banc d'essai",
                "derivation": "",
            }
            writer.writerow([record[c] for c in IMPORT_COLUMNS])
            written += 1
    if written < rows:
        raise SystemExit(f"Le catalogue ne permet que {written} lignes distinctes pour une année.")
    return out.getvalue().encode("utf-8")


def run(database_url: str | None, rows: int = 10_000) -> dict[str, Any]:
    """Import the synthetic file into a temporary copy of the store (a fresh seeded store by default)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "store.sqlite3"
        if database_url:
            source = Path(database_url.removeprefix("sqlite:///"))
            shutil.copyfile(source, target)
        url = f"sqlite:///{target}"
        path = Path(tmp) / f"banc-essai-synthetique-{rows}-lignes.csv"
        path.write_bytes(synthetic_file(rows))
        completed = subprocess.run(
            [sys.executable, "-c", CHILD, url, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None, help="base SQLite copiée avant l'import")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    r = run(args.database_url, args.rows)
    print(f"Import de {r['rows']} lignes ({r['status']}, {r['errors']} erreur(s)) :")
    print(f"  {r['seconds']:.2f} s pour valider et écrire (cible ≤ 2 s)")
    print(
        f"  mémoire de pointe {r['peak_mb']:.0f} Mo (cible ≤ 300 Mo), {r['before_mb']:.0f} Mo avant l'import"
    )


if __name__ == "__main__":
    main()
