"""Hostile inputs against their memory targets.

1. Each hostile file (generated here, small on disk) goes through the import path in its own process: the
   child builds the whole app first (so its memory is a worker's), then previews the file with
   ``import_bytes(dry_run=True)``, as the upload page does. Printed: the file's size, the outcome, the
   resident memory before reading and the peak while reading (``VmHWM``, reset just before the import),
   against the target: no worker above 300 MB.
2. 2 000 distinct query strings (``?v=N``), then 2 000 forged fingerprints of a component-suite file, all
   with ``Accept-Encoding: gzip``, against one gunicorn worker on 127.0.0.1: the worker's resident memory
   before and after, against the target of 10 % growth at most.

Usage: .venv/bin/python benchmarks/hostile_inputs.py   (also part of make bench)
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, app_server, rss_mb

from tests.helpers import zip_bomb

PEAK_TARGET_MB = 300.0
GROWTH_TARGET = 0.10
DISTINCT_URLS = 2_000
HEADER = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"
ROW = "21;cpam-21;2024;demandes_total;3 872 394;;;Rapport 2024;;"
NS = "http://schemas.openxmlformats.org"
REL = f"{NS}/officeDocument/2006/relationships"

# The child: build the app (a worker's memory), then preview one file through the import path.
CHILD = """
import json, sys, tempfile
from pathlib import Path

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")

from dashboard.settings import Settings
from dashboard.shell import create_app
from dashboard.data.importer import import_bytes

path, name = Path(sys.argv[1]), sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    settings = Settings(database_url=f"sqlite:///{tmp}/store.sqlite3")
    app = create_app(settings)  # everything a worker holds: the app, its layout, a figure drawn
    from dashboard.data.context import open_data
    data = open_data(settings, seed=False)
    data_bytes = path.read_bytes()
    before = status("VmRSS")
    # Reset the peak (VmHWM) to the current size: the peak read below is the import's, not the app build's.
    Path("/proc/self/clear_refs").write_text("5")
    report = import_bytes(
        data.store, data_bytes, name, catalog=data.catalog, referentiel=data.referentiel,
        auteur="banc", max_bytes=settings.max_upload_bytes, dry_run=True,
    )
    peak = status("VmHWM")
    first = str(report.errors[0]) if report.errors else report.summary()
    print(json.dumps({"before": before, "peak": peak, "status": report.status, "message": first}))
"""


def _fr(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")


# --- The hostile files --------------------------------------------------------------------------------------


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, values: list[str]) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">{cells}</row>'


def _xlsx(
    sheet_data: str, dimension: str = "A1:J2", *, doctype: str = "", shared: str | None = None
) -> bytes:
    """A workbook written by hand, so that it says exactly what a hostile file says."""
    overrides = (
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{NS}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{NS}/spreadsheetml/2006/main" '
        f'xmlns:r="{NS}/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Chiffres" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{NS}/package/2006/relationships">{rels}</Relationships>'
        ),
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?>{doctype}'
        f'<worksheet xmlns="{NS}/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>',
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _normal_rows() -> str:
    return _row(1, HEADER.split(";")) + _row(2, ROW.split(";"))


def _far_cell(dimension: str) -> bytes:
    far = f'<row r="1048576">{_cell("A1048576", "x")}</row>'
    return _xlsx(_normal_rows() + far, dimension)


def _inf_cell() -> bytes:
    return _xlsx(_normal_rows().replace(_cell("E2", "3 872 394"), '<c r="E2"><v>INF</v></c>'))


def _formulas() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADER.split(";"))
    for year in range(2000, 2100):
        workbook.active.append(
            ["21", "cpam-21", str(year), "demandes_total", "=1+1", None, None, "R", None, None]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _empty_rows(last: int) -> bytes:
    rows = "".join(f'<row r="{n}"/>' for n in range(3, last + 1))
    return _xlsx(_normal_rows() + rows, f"A1:J{last}")


def _wide_row() -> bytes:
    return _xlsx(_normal_rows() + f'<row r="3">{_cell("XFD3", "x")}</row>', "A1:XFD3")


def _shared_strings(count: int) -> bytes:
    """Unique shared strings (24 bytes of XML each): openpyxl holds them all in memory."""
    strings = "".join(f"<si><t>{n:08d}</t></si>" for n in range(count))
    shared = (
        f'<sst xmlns="{NS}/spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">{strings}</sst>'
    )
    cells = _row(1, HEADER.split(";")) + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return _xlsx(cells, shared=shared)


def _billion_laughs() -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f"<!DOCTYPE worksheet [{entities}]>"
    return _xlsx(_row(1, ["&a9;"]), doctype=doctype)


def _zip_bomb() -> bytes:
    return zip_bomb(200)


def _largest_valid_file() -> str:
    """The largest file a caisse network may legitimately send: 20 000 distinct figures."""
    import csv

    with (ROOT / "dashboard" / "data" / "caisses.csv").open(encoding="utf-8") as source:
        caisses = [(r["departement"], r["id"]) for r in csv.DictReader(source)]
    lines = [HEADER]
    for i in range(20_000):
        departement, caisse = caisses[i % len(caisses)]
        year = 2000 + (i // len(caisses)) % 100
        indicator = ("demandes_total", "appels_3646_recus")[i // (len(caisses) * 100)]
        lines.append(f"{departement};{caisse};{year};{indicator};{1000 + i};;;Rapport d'activité {year};;")
    return "\n".join(lines) + "\n"


def _csv(text: str) -> bytes:
    return text.encode()


FILES: dict[str, Callable[[], bytes]] = {
    "dimension_A1_XFD1048576.xlsx": lambda: _far_cell("A1:XFD1048576"),
    "dimension_A1_M1048576.xlsx": lambda: _far_cell("A1:M1048576"),
    "cellule_INF.xlsx": _inf_cell,
    "formules_sans_valeur.xlsx": _formulas,
    "million_de_lignes_vides.xlsx": lambda: _empty_rows(1_048_576),
    "100000_lignes_vides.xlsx": lambda: _empty_rows(100_000),  # the most a workbook may describe
    "cellule_en_XFD.xlsx": _wide_row,
    "550000_chaines_partagees.xlsx": lambda: _shared_strings(550_000),
    "340000_chaines_partagees.xlsx": lambda: _shared_strings(340_000),  # just under the 8 MB bound
    "billion_laughs.xlsx": _billion_laughs,
    "bombe_zip_200_Mo.xlsx": _zip_bomb,
    "guillemet_non_ferme.csv": lambda: _csv(
        f'{HEADER}\n21;cpam-21;2024;demandes_total;1;;;"R;;\n{ROW}\n' * 1
    ),
    "champ_de_140000_caracteres.csv": lambda: _csv(
        f"{HEADER}\n21;cpam-21;2024;demandes_total;1;;;{'x' * 140_000};;\n"
    ),
    "champ_de_5_Mio.csv": lambda: _csv(
        f'{HEADER}\n21;cpam-21;2024;demandes_total;1;;;"{"x" * (5 * 1024 * 1024 - 200)}";;\n'
    ),
    "valeur_de_400_chiffres.csv": lambda: _csv(
        f"{HEADER}\n21;cpam-21;2024;demandes_total;{'9' * 400};;;R;;\n"
    ),
    "5_Mio_de_lignes_vides.csv": lambda: _csv(f"{HEADER}\n{ROW}\n") + b"\n" * (5 * 1024 * 1024 - 200),
    "5_Mio_de_points-virgules.csv": lambda: (
        _csv(f"{HEADER}\n{ROW}\n") + b";;;\r\n" * ((5 * 1024 * 1024 - 200) // 5)
    ),
    "16384_colonnes.csv": lambda: _csv(
        ";".join(f"c{i}" for i in range(16_384)) + "\n" + "1;" * 16_383 + "1\n"
    ),
    "20000_lignes_valides.csv": lambda: _csv(_largest_valid_file()),
}


@dataclass(frozen=True)
class FileResult:
    name: str
    size: int
    status: str
    message: str
    before_mb: float
    peak_mb: float


def run_file(path: Path) -> FileResult:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), path.name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        return FileResult(path.name, path.stat().st_size, "échec", tail[0][:100], float("nan"), float("nan"))
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return FileResult(
        path.name, path.stat().st_size, result["status"], result["message"], result["before"], result["peak"]
    )


def files_table() -> list[FileResult]:
    results = []
    with tempfile.TemporaryDirectory(prefix="tdb-hostile-") as tmp:
        for name, build in FILES.items():
            path = Path(tmp) / name
            path.write_bytes(build())
            results.append(run_file(path))
            path.unlink()
            r = results[-1]
            met = "oui" if r.peak_mb <= PEAK_TARGET_MB else "NON"
            print(
                f"{r.name:<32} {_fr(r.size / 1024):>7} Kio  {r.status:<8} avant {_fr(r.before_mb):>4} Mo  "
                f"pic {_fr(r.peak_mb):>4} Mo  (cible ≤ {_fr(PEAK_TARGET_MB)} Mo : {met})  {r.message[:90]}",
                flush=True,
            )
    return results


# --- Distinct URLs against one gunicorn worker --------------------------------------------------------------


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _get(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status


def _static_asset() -> str:
    found = sorted((ROOT / "assets").glob("plotly-*.min.js"))
    return f"/assets/{found[0].name}" if found else "/assets/app.css"


def _component_suite_path(base: str) -> str:
    """The dcc bundle's address as the page names it (with Dash's version fingerprint)."""
    with urllib.request.urlopen(base + "/", timeout=30) as response:
        page = response.read().decode()
    marker = "/_dash-component-suites/dash/dcc/dash_core_components.v"
    start = page.index(marker)
    return page[start : page.index('"', start)]


@dataclass(frozen=True)
class UrlResult:
    what: str
    before_mb: float
    after_mb: float
    same_worker: bool

    @property
    def growth(self) -> float:
        return self.after_mb / self.before_mb - 1


def urls_table() -> list[UrlResult]:
    saved = dict(os.environ)
    # One worker, and no memory ceiling: the ceiling would recycle a growing worker and hide the growth.
    os.environ.update(
        TDB_WORKERS="1", TDB_THREADS="4", TDB_LOG_LEVEL="warning", TDB_WORKER_MAX_RSS_MB="100000"
    )
    results = []
    try:
        with app_server(gunicorn=True, workers=1) as server:
            asset = _static_asset()
            suite = _component_suite_path(server.base_url)
            head = suite.rsplit(".v", 1)[0]
            cases = {
                f"{asset}?v=N": lambda n: f"{asset}?v={n}",
                "composant, empreinte forgée": lambda n: f"{head}.v9_9_{n}m{n:x}.js",
            }
            for what, make in cases.items():
                for n in range(20):  # warm-up: the first compression of the file is a legitimate cost
                    _get(server.base_url + make(10**6 + n))
                (worker,) = _children(server.pid)
                before = rss_mb(worker)
                started = time.monotonic()
                for n in range(DISTINCT_URLS):
                    _get(server.base_url + make(n))
                after = rss_mb(worker)
                children = _children(server.pid)
                results.append(UrlResult(what, before, after, children == [worker]))
                r = results[-1]
                met = "oui" if r.same_worker and r.growth <= GROWTH_TARGET else "NON"
                seconds = time.monotonic() - started
                sign = "+" if r.growth >= 0 else ""
                replaced = "" if r.same_worker else " — processus remplacé pendant la mesure"
                print(
                    f"{_fr(DISTINCT_URLS)} adresses distinctes ({what}) en {_fr(seconds, 1)} s : "
                    f"{_fr(before)} → {_fr(after)} Mo ({sign}{_fr(100 * r.growth, 1)} %, "
                    f"cible ≤ 10 % : {met}){replaced}",
                    flush=True,
                )
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return results


def rows() -> list[tuple[str, str, str, bool]]:
    """(measure, value, target, met) for run_all.py's table."""
    table = []
    files = files_table()
    worst = max(files, key=lambda r: r.peak_mb if r.peak_mb == r.peak_mb else float("inf"))
    table.append(
        (
            f"fichiers hostiles ({len(files)}) : pic de mémoire du pire ({worst.name})",
            f"{_fr(worst.peak_mb)} Mo",
            f"≤ {_fr(PEAK_TARGET_MB)} Mo",
            all(r.peak_mb <= PEAK_TARGET_MB for r in files),
        )
    )
    for r in urls_table():
        table.append(
            (
                f"{_fr(DISTINCT_URLS)} adresses distinctes gzip ({r.what}) : mémoire du processus",
                f"{_fr(r.before_mb)} → {_fr(r.after_mb)} Mo",
                "≤ +10 %",
                r.same_worker and r.growth <= GROWTH_TARGET,
            )
        )
    return table


def main() -> None:
    print("Fichiers hostiles : chacun dans son propre processus (l'application construite, puis l'aperçu)")
    table = rows()
    print()
    for measure, value, target, met in table:
        print(f"{measure} | {value} | {target} | {'oui' if met else 'NON'}")


if __name__ == "__main__":
    main()
