"""A render worker: ``python -m dashboard worker`` serves the export queue of every app server.

It needs ``TDB_REDIS_URL`` (the queue) and the same ``TDB_DATABASE_URL`` as the app servers (the figures).
It keeps one Chromium warm for kaleido, started before the first order, so the first dossier does not pay
for the browser's start.
"""

from __future__ import annotations

import logging

import plotly.graph_objects as go

from dashboard.cache import CachedRepository
from dashboard.data.context import open_data
from dashboard.export.images import ExportFailed, ExportUnavailable, default_renderer
from dashboard.export.queue import QueuedJobs, run_worker
from dashboard.export.services import ExportServices
from dashboard.settings import Settings

_logger = logging.getLogger(__name__)


class WorkerUnavailable(RuntimeError):
    """The worker cannot start; the message says why, in French."""


def serve(settings: Settings, *, burst: bool = False) -> None:
    """Run the render worker until stopped (``burst``: until the queue is empty, for tests)."""
    if settings.redis_url is None:
        raise WorkerUnavailable(
            "TDB_REDIS_URL est absente : un serveur de rendu sert la file d'exports partagée dans Redis. "
            "Sans Redis, chaque serveur du tableau de bord prépare lui-même ses exports."
        )
    data = open_data(settings)
    repo = CachedRepository(data.repository, redis_url=settings.redis_url)
    renderer = default_renderer()
    try:
        renderer.render(go.Figure(), "png", width=10, height=10)  # start the browser now, keep it warm
    except (ExportUnavailable, ExportFailed) as err:
        # Decks need no browser: the worker still serves them, and says what the others need.
        _logger.warning("%s", err)
    jobs = QueuedJobs(settings.redis_url)
    services = ExportServices(renderer, jobs, settings.deck_template)
    _logger.info("Serveur de rendu prêt : il attend les exports de la file partagée.")
    run_worker(jobs, (repo, services), burst=burst)
