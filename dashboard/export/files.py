"""The three files of a dossier, by kind: a PowerPoint deck, an A4 PDF report, a ZIP of images."""

from __future__ import annotations

from typing import Final, Literal

from dashboard.export.archive import ZIP_MIMETYPE, build_archive
from dashboard.export.deck import PPTX_MIMETYPE, build_deck
from dashboard.export.dossier import Dossier, Progress
from dashboard.export.images import ImageRenderer
from dashboard.export.jobs import JobResult
from dashboard.export.report import PDF_MIMETYPE, build_report

DossierKind = Literal["pptx", "pdf", "zip"]
# Kind → (what a person reads on the button and the download link, file extension).
KINDS: Final[dict[DossierKind, tuple[str, str]]] = {
    "pptx": ("Présentation PowerPoint (.pptx)", "pptx"),
    "pdf": ("Rapport PDF (A4)", "pdf"),
    "zip": ("Images PNG et SVG (.zip)", "zip"),
}


def make_file(kind: DossierKind, dossier: Dossier, renderer: ImageRenderer, progress: Progress) -> JobResult:
    """Build one file of the dossier, reporting progress after each chart."""
    name = f"{dossier.file_stem}.{KINDS[kind][1]}"
    if kind == "pptx":
        return JobResult(build_deck(dossier, renderer, progress=progress), name, PPTX_MIMETYPE)
    if kind == "pdf":
        return JobResult(build_report(dossier, renderer, progress=progress), name, PDF_MIMETYPE)
    return JobResult(build_archive(dossier, renderer, progress=progress), name, ZIP_MIMETYPE)
