"""Export jobs beyond one machine: orders queued in Redis (RQ), made by render workers, files kept in Redis.

With ``TDB_REDIS_URL`` set, every app server submits dossiers to one queue and reads their status and file
from Redis, so a dossier started on one server is followed and downloaded from any other. Render workers
(``python -m dashboard worker``) each keep one warm Chromium and run one order at a time, so dossiers no
longer take the web workers' CPU.

A worker that dies mid-job (killed, out of memory, machine lost) stops refreshing the job's « alive » key;
the next status read finds it gone and reports a French failure, and a new export is taken by any worker.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any, Final

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker, Worker

from dashboard.export.jobs import (
    JOB_ID,
    KEEP_SECONDS,
    JobRefused,
    JobStatus,
    Order,
    execute,
)

QUEUE_NAME: Final = "tableau-de-bord-exports"
PREFIX: Final = "tdb:export:"
# A running job's worker refreshes its key every second; three missed refreshes mean the worker is gone.
ALIVE_SECONDS: Final = 3
JOB_TIMEOUT_SECONDS: Final = 15 * 60
MAX_QUEUED: Final = 20
WORKER_STOPPED: Final = (
    "Le serveur de rendu s'est arrêté pendant la préparation du fichier : relancez l'export, un autre "
    "serveur de rendu le reprendra."
)
NO_WORKER: Final = (
    "En attente d'un serveur de rendu : aucun n'est en marche pour l'instant (python -m dashboard worker)."
)
UNREACHABLE: Final = "Le service des exports (Redis) ne répond pas : réessayez dans un instant."

_logger = logging.getLogger(__name__)


def _key(job_id: str, part: str) -> str:
    return f"{PREFIX}{job_id}:{part}"


class QueuedJobs:
    """Export jobs in Redis: the same interface as ``JobRunner``, for every server and worker at once."""

    def __init__(self, redis_url: str) -> None:
        self.redis = Redis.from_url(redis_url)
        self.queue = Queue(QUEUE_NAME, connection=self.redis)

    def submit(self, order: Order, context: Any, *, total: int = 0) -> str:
        """Queue the order for a render worker (the context stays here: the worker has its own)."""
        del context
        try:
            if self.queue.count >= MAX_QUEUED:
                raise JobRefused("Trop d'exports sont en attente : réessayez dans une minute.")
            job_id = secrets.token_urlsafe(16)
            self.write(job_id, JobStatus("en attente", 0, total, "En attente…"))
            self.queue.enqueue(
                perform,
                order,
                job_id,
                job_id=f"export-{job_id}",
                job_timeout=JOB_TIMEOUT_SECONDS,
                result_ttl=0,  # the file is kept under our own key, with the status
                failure_ttl=KEEP_SECONDS,
            )
        except RedisError as err:
            _logger.warning("export queue unreachable: %s", err)
            raise JobRefused(UNREACHABLE) from err
        return job_id

    def write(self, job_id: str, status: JobStatus) -> None:
        """Store a job's status (kept two hours after its last change, like the local runner's files)."""
        self.redis.set(
            _key(job_id, "status"), json.dumps(asdict(status), ensure_ascii=False), ex=KEEP_SECONDS
        )

    def status(self, job_id: object) -> JobStatus | None:
        """The job's status; a running job whose worker stopped is reported failed."""
        if not isinstance(job_id, str) or not JOB_ID.match(job_id):
            return None
        try:
            raw = self.redis.get(_key(job_id, "status"))
            if raw is None:
                return None
            status = JobStatus(**json.loads(raw))
            if status.state == "en cours" and not self.redis.exists(_key(job_id, "alive")):
                status = JobStatus("échec", message=WORKER_STOPPED)
                self.write(job_id, status)
            elif status.state == "en attente" and not Worker.count(queue=self.queue):
                status = JobStatus("en attente", 0, status.total, NO_WORKER)
        except RedisError as err:
            _logger.warning("export queue unreachable: %s", err)
            return JobStatus("en attente", message=UNREACHABLE)
        return status

    def result(self, job_id: object) -> tuple[bytes, JobStatus] | None:
        """The finished file and its status; None unless the job succeeded."""
        status = self.status(job_id)
        if status is None or status.state != "terminé":
            return None
        data = self.redis.get(_key(str(job_id), "file"))
        return (data, status) if isinstance(data, bytes) else None

    def expires(self, job_id: object) -> float | None:
        """When the job's status and file will be removed (seconds since the epoch)."""
        if self.status(job_id) is None:
            return None
        left = self.redis.ttl(_key(str(job_id), "status"))
        return time.time() + left if isinstance(left, int) and left > 0 else None

    def wait(self, job_id: str, timeout: float) -> JobStatus | None:
        """Wait until the job has finished (or the timeout passed); return its status."""
        limit = time.monotonic() + timeout
        status = self.status(job_id)
        while status is not None and not status.finished and time.monotonic() < limit:
            time.sleep(0.2)
            status = self.status(job_id)
        return status

    def shutdown(self) -> None:
        """Close the connection (tests)."""
        self.redis.close()


@dataclass
class _Worker:
    """What a render worker process runs orders with."""

    jobs: QueuedJobs
    context: Any


_current: _Worker | None = None


def perform(order: Order, job_id: str) -> None:
    """Run one order in a render worker (called by RQ): progress, then the file or a French failure."""
    if _current is None:
        raise RuntimeError("perform runs in a render worker (python -m dashboard worker)")
    jobs, alive = _current.jobs, _key(job_id, "alive")
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            try:
                jobs.redis.set(alive, "1", ex=ALIVE_SECONDS)
            except RedisError:
                _logger.warning("render worker cannot reach Redis")
            stop.wait(1)

    jobs.redis.set(alive, "1", ex=ALIVE_SECONDS)
    heart = threading.Thread(target=beat, name="export-alive", daemon=True)
    heart.start()
    try:

        def progress(done: int, total: int, message: str) -> None:
            jobs.write(job_id, JobStatus("en cours", done, total, message))

        final, data = execute(order, _current.context, progress)
        if data is not None:
            jobs.redis.set(_key(job_id, "file"), data, ex=KEEP_SECONDS)
            last = jobs.status(job_id)
            count = last.total if last is not None else 0
            final = JobStatus("terminé", count, count, final.message, final.filename, final.mimetype)
        jobs.write(job_id, final)
    finally:
        stop.set()
        heart.join(2)
        jobs.redis.delete(alive)


def run_worker(jobs: QueuedJobs, context: Any, *, burst: bool = False) -> None:
    """Serve the export queue in this process until stopped.

    One order at a time, and no fork: the browser stays warm from one order to the next.
    """
    global _current
    _current = _Worker(jobs, context)
    worker = SimpleWorker([jobs.queue], connection=jobs.redis)
    worker.work(burst=burst, with_scheduler=False, logging_level="WARNING")
