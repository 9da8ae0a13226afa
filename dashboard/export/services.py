"""The export services of one app: the image renderer, the background job runner, the deck's master."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from flask import Flask

from dashboard.export.images import ImageRenderer, default_renderer
from dashboard.export.jobs import JobRunner, Jobs

EXTENSION: Final = "tableau_de_bord_exports"


@dataclass(frozen=True, slots=True)
class ExportServices:
    """What server-side exports need: a renderer (one Chromium per process) and a job runner."""

    renderer: ImageRenderer
    jobs: Jobs
    deck_template: Path | None = None


def export_services(
    server: Flask,
    *,
    renderer: ImageRenderer | None = None,
    jobs: Jobs | None = None,
    deck_template: Path | None = None,
) -> ExportServices:
    """The app's services, created on first call (kept in ``server.extensions``, like any Flask extension)."""
    existing = server.extensions.get(EXTENSION)
    if isinstance(existing, ExportServices):
        return existing
    services = ExportServices(renderer or default_renderer(), jobs or JobRunner(), deck_template)
    server.extensions[EXTENSION] = services
    return services
