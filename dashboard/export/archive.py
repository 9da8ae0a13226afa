"""The dossier as one ZIP: every chart in PNG and SVG, the figures behind them in CSV and XLSX, a LISEZMOI.

Every file name is French and says the chart, the caisses, the year and the data version
(``01_demandes-des-assures_cpam-21_2024_donnees-v12.png``). The CSV opens as is in a French Excel (``;``,
decimal comma, UTF-8 with BOM); both tables name each figure's source and link.
"""

from __future__ import annotations

import io
import zipfile
from typing import Final

import pandas as pd

from dashboard.analysis import HEADERS
from dashboard.export.dossier import Dossier, Progress
from dashboard.export.images import SIZES, ImageFormat, ImageRenderer, ImageSize
from dashboard.export.projector import for_projector
from dashboard.export.provenance import stamp
from dashboard.export.tables import to_csv_bytes, to_xlsx_bytes

ZIP_MIMETYPE: Final = "application/zip"
ARCHIVE_FORMATS: Final[tuple[ImageFormat, ...]] = ("png", "svg")
README_NAME: Final = "LISEZMOI.txt"
CHART_COLUMN: Final = "graphique"


def _image_stem(dossier: Dossier, number: int) -> str:
    item = dossier.figures[number - 1]
    return f"{number:02d}_{dossier.member_stem(item.title)}"


def data_names(dossier: Dossier) -> tuple[str, str]:
    """The CSV and XLSX files of the figures behind the charts."""
    stem = dossier.member_stem("chiffres")
    return f"{stem}.csv", f"{stem}.xlsx"


def member_names(dossier: Dossier) -> list[str]:
    """The files of the archive after the LISEZMOI, in order: the two tables, then each chart's images."""
    images = [
        f"{_image_stem(dossier, i)}.{fmt}"
        for i in range(1, len(dossier.figures) + 1)
        for fmt in ARCHIVE_FORMATS
    ]
    return [*data_names(dossier), *images]


def figures_table(dossier: Dossier) -> pd.DataFrame:
    """Every published figure behind the dossier's charts, with the chart it belongs to first."""
    parts = [
        item.table.assign(**{CHART_COLUMN: f"{i:02d}. {item.title}"})
        for i, item in enumerate(dossier.figures, start=1)
        if item.table is not None and not item.table.empty
    ]
    if not parts:
        return pd.DataFrame(columns=[CHART_COLUMN, *HEADERS])
    table = pd.concat(parts, ignore_index=True)
    return table[[CHART_COLUMN, *(c for c in table.columns if c != CHART_COLUMN)]]


def _readme(dossier: Dossier, size: ImageSize) -> str:
    prov = dossier.provenance
    csv_name, xlsx_name = data_names(dossier)
    lines = [
        f"{dossier.title} — graphiques et chiffres",
        "",
        f"Caisses : {dossier.caisses}",
        f"Période : {dossier.period}",
        prov.description(),
        "",
        "Contenu :",
        f"- {csv_name} : les chiffres des graphiques, un par ligne, avec leur source et son adresse ; "
        "séparateur « ; », virgule décimale, UTF-8 (s'ouvre tel quel dans Excel).",
        f"- {xlsx_name} : les mêmes chiffres au format Excel.",
        f"- Chaque graphique en PNG (image, {size.label}, {size.width * size.scale:.0f} × "
        f"{size.height * size.scale:.0f} pixels) et en SVG (vectoriel, pour l'impression et les logiciels "
        "de mise en page). Titre, sous-titre et source sont dans chaque image.",
        "Un chiffre absent n'a pas été publié : il n'est jamais remplacé par zéro.",
        "",
    ]
    for i, item in enumerate(dossier.figures, start=1):
        lines.append(f"{i:02d}. {item.section} — {item.title}")
        lines.append(f"    {item.summary}")
        lines.append(f"    Vue d'origine : {item.url}")
    return "\r\n".join(lines) + "\r\n"


def _tables(dossier: Dossier) -> tuple[bytes, bytes]:
    table = figures_table(dossier)
    headers = {**HEADERS, CHART_COLUMN: "Graphique"}
    csv = to_csv_bytes(table, headers=headers)
    xlsx = to_xlsx_bytes(table, title=f"{dossier.title} — {dossier.provenance.selection}", headers=headers)
    return csv, xlsx


def build_archive(
    dossier: Dossier,
    renderer: ImageRenderer,
    *,
    size: ImageSize = SIZES["diapositive"],
    progress: Progress | None = None,
) -> bytes:
    """A ZIP of the figures (CSV, XLSX) and every chart in PNG and SVG, with the provenance stamped.

    Args:
        dossier: The charts.
        renderer: Draws the images.
        size: The image size (tests use a small one).
        progress: Called with (done, total, French message) after each chart.

    Returns:
        The ZIP file's bytes.
    """
    names = iter(member_names(dossier))
    buffer = io.BytesIO()
    total = len(dossier.figures)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, _readme(dossier, size).encode("utf-8-sig"))
        for data in _tables(dossier):
            archive.writestr(next(names), data)
        for done, item in enumerate(dossier.figures, start=1):
            for fmt in ARCHIVE_FORMATS:
                data = renderer.render_size(for_projector(item.drawn.to_plotly_json()), fmt, size)
                archive.writestr(next(names), stamp(data, fmt, item.title, dossier.provenance))
            if progress is not None:
                progress(done, total, f"Graphique {done} sur {total} : {item.title}")
    return buffer.getvalue()
