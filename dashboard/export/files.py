"""The three files of a dossier, by kind: a PowerPoint deck, an A4 PDF report, a ZIP of figures and images."""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from dashboard.export.archive import ZIP_MIMETYPE, build_archive
from dashboard.export.deck import PPTX_MIMETYPE, build_deck
from dashboard.export.dossier import Dossier, Progress
from dashboard.export.images import ExportUnavailable, ImageRenderer
from dashboard.export.jobs import JobResult
from dashboard.export.report import PDF_MIMETYPE, build_report

DossierKind = Literal["pptx", "pdf", "zip"]
# Kind → (what a person reads on the button and the download link, file extension).
KINDS: Final[dict[DossierKind, tuple[str, str]]] = {
    "pptx": ("Présentation PowerPoint (.pptx)", "pptx"),
    "pdf": ("Rapport PDF (A4)", "pdf"),
    "zip": ("Chiffres et images (.zip)", "zip"),
}
# The deck draws native charts: it needs Chromium only for a chart without a native form.
NEEDS_BROWSER: Final[frozenset[DossierKind]] = frozenset({"pdf", "zip"})


def _optional(renderer: ImageRenderer) -> ImageRenderer | None:
    try:
        renderer.check()
    except ExportUnavailable:
        return None
    return renderer


def make_file(
    kind: DossierKind,
    dossier: Dossier,
    renderer: ImageRenderer,
    progress: Progress,
    *,
    template: Path | None = None,
) -> JobResult:
    """Build one file of the dossier, reporting progress after each slide, page or chart."""
    name = f"{dossier.file_stem}.{KINDS[kind][1]}"
    if kind == "pptx":
        deck = build_deck(dossier, _optional(renderer), template=template, progress=progress)
        return JobResult(deck, name, PPTX_MIMETYPE)
    if kind == "pdf":
        return JobResult(build_report(dossier, renderer, progress=progress), name, PDF_MIMETYPE)
    return JobResult(build_archive(dossier, renderer, progress=progress), name, ZIP_MIMETYPE)
