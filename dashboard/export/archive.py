"""Every chart of the dossier as PNG and SVG files in one ZIP, with a LISEZMOI.txt saying where from."""

from __future__ import annotations

import io
import zipfile
from typing import Final

from dashboard.export.dossier import Dossier, Progress
from dashboard.export.images import SIZES, ImageFormat, ImageRenderer, ImageSize
from dashboard.export.provenance import stamp

ZIP_MIMETYPE: Final = "application/zip"
ARCHIVE_FORMATS: Final[tuple[ImageFormat, ...]] = ("png", "svg")


def member_names(dossier: Dossier) -> list[str]:
    """The image files of the archive, in dossier order: ``01_contact-channels_demandes_total.png``."""
    return [
        f"{i:02d}_{item.key}.{fmt}"
        for i, item in enumerate(dossier.figures, start=1)
        for fmt in ARCHIVE_FORMATS
    ]


def _readme(dossier: Dossier, size: ImageSize) -> str:
    prov = dossier.provenance
    lines = [
        f"{dossier.title} — images des graphiques",
        "",
        f"Caisses : {dossier.caisses}",
        f"Période : {dossier.period}",
        prov.description(),
        "",
        f"Chaque graphique est fourni en PNG (image, {size.label}, {size.width * size.scale:.0f} × "
        f"{size.height * size.scale:.0f} pixels) et en SVG (vectoriel, pour l'impression et les logiciels "
        "de mise en page). Titre, sous-titre et source sont dans chaque image.",
        "",
    ]
    for i, item in enumerate(dossier.figures, start=1):
        lines.append(f"{i:02d}. {item.section} — {item.title}")
        lines.append(f"    {item.summary}")
        lines.append(f"    Vue d'origine : {item.url}")
    return "\r\n".join(lines) + "\r\n"


def build_archive(
    dossier: Dossier,
    renderer: ImageRenderer,
    *,
    size: ImageSize = SIZES["diapositive"],
    progress: Progress | None = None,
) -> bytes:
    """A ZIP of every chart in PNG and SVG (title, subtitle and source inside), with the provenance stamped.

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
        archive.writestr("LISEZMOI.txt", _readme(dossier, size).encode("utf-8-sig"))
        for done, item in enumerate(dossier.figures, start=1):
            for fmt in ARCHIVE_FORMATS:
                data = renderer.render_size(item.figure, fmt, size)
                archive.writestr(next(names), stamp(data, fmt, item.title, dossier.provenance))
            if progress is not None:
                progress(done, total, f"Graphique {done} sur {total} : {item.title}")
    return buffer.getvalue()
