"""Long exports (deck, report, ZIP) run in the background; their progress and result live on disk.

This is the embedded default (one machine, no other service). With ``TDB_REDIS_URL`` set, the same orders
go to a queue served by render workers instead (``export.queue``), behind the same interface.

Why not Dash background callbacks with a DiskcacheManager: that manager starts a new process per job by
forking the web worker. A fork does not carry the renderer's thread, so each job would start its own
Chromium (seconds) and must not touch the inherited browser pipes or database connections. Here a job runs
in a small thread pool of the worker that received the request and reuses the warm browser; rendering
happens in Chromium, so the worker keeps answering other users meanwhile. Status and result are files in a
shared folder, so a progress poll answered by another gunicorn worker reads the same state.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal, Protocol

from dashboard.export.images import ExportFailed, ExportUnavailable

JobState = Literal["en attente", "en cours", "terminé", "échec"]
JOB_ID: Final = re.compile(r"^[A-Za-z0-9_-]{22}$")
DEFAULT_ROOT: Final = Path(tempfile.gettempdir()) / "tableau-de-bord-exports"
KEEP_SECONDS: Final = 2 * 3600
_RESULT: Final = "result.bin"
_STATUS: Final = "status.json"

_logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class JobResult:
    """What a finished job produced."""

    data: bytes
    filename: str
    mimetype: str


@dataclass(frozen=True, slots=True)
class JobStatus:
    """Where a job stands, as the page shows it."""

    state: JobState
    done: int = 0
    total: int = 0
    message: str = ""
    filename: str = ""
    mimetype: str = ""

    @property
    def finished(self) -> bool:
        """True once the job succeeded or failed."""
        return self.state in ("terminé", "échec")


class JobRefused(RuntimeError):
    """Too many exports at once; the message is French."""


class Order(Protocol):
    """What a job makes, picklable: a render worker on another machine may receive it and run it there."""

    def run(self, context: Any, progress: Progress) -> JobResult:
        """Make the file with the context of the process that runs it (its store, its browser)."""


FAILED_MESSAGE: Final = "L'export a échoué ; réessayez dans un instant."


def execute(order: Order, context: Any, progress: Progress) -> tuple[JobStatus, bytes | None]:
    """Run an order: its final status (French words on failure, never a library's text) and its file."""
    try:
        progress(0, 0, "Préparation des graphiques…")
        result = order.run(context, progress)
    except (ExportUnavailable, ExportFailed) as err:
        return JobStatus("échec", message=str(err)), None
    except Exception:
        _logger.exception("export job failed")
        return JobStatus("échec", message=FAILED_MESSAGE), None
    return JobStatus(
        "terminé", message="Fichier prêt.", filename=result.filename, mimetype=result.mimetype
    ), (result.data)


class Jobs(Protocol):
    """Where export jobs run and are followed.

    This process's pool (``JobRunner``) or the render workers' queue (``export.queue.QueuedJobs``).
    """

    def submit(self, order: Order, context: Any, *, total: int = 0) -> str:
        """Queue an order; return the job's id."""

    def status(self, job_id: object) -> JobStatus | None:
        """The job's status; None for an unknown id."""

    def result(self, job_id: object) -> tuple[bytes, JobStatus] | None:
        """The finished file and its status; None unless the job succeeded."""

    def expires(self, job_id: object) -> float | None:
        """When the job's file is removed (seconds since the epoch)."""

    def wait(self, job_id: str, timeout: float) -> JobStatus | None:
        """Wait until the job has finished or the timeout passed."""

    def shutdown(self) -> None:
        """Release what the runner holds."""


class JobRunner:
    """Runs export jobs in a bounded thread pool; status and result are kept on disk for two hours.

    Args:
        root: The folder of the jobs (one sub-folder per job), shared by the workers of one machine.
        workers: Jobs run at once per process (the browser draws one image at a time anyway).
        max_pending: Jobs accepted per process before new ones are refused.
    """

    def __init__(self, root: Path = DEFAULT_ROOT, *, workers: int = 2, max_pending: int = 8) -> None:
        self.root = root
        self._workers = workers
        self._max_pending = max_pending
        self._pending = 0
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._finished: dict[str, threading.Event] = {}

    def submit(self, order: Order, context: Any, *, total: int = 0) -> str:
        """Queue a job run with this context; return its id (unguessable, it is the key to the result)."""
        with self._lock:
            if self._pending >= self._max_pending:
                raise JobRefused("Trop d'exports sont en cours : réessayez dans une minute.")
            self._pending += 1
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="export-job")
            pool = self._pool
        self._clean_old()
        job_id = secrets.token_urlsafe(16)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)  # ids are the keys: keep the list private
        folder = self.root / job_id
        folder.mkdir(mode=0o700)
        self._write(job_id, JobStatus("en attente", 0, total, "En attente…"))
        with self._lock:
            self._finished[job_id] = threading.Event()
        pool.submit(self._run, job_id, order, context)
        return job_id

    def _run(self, job_id: str, order: Order, context: Any) -> None:
        try:

            def progress(done: int, total: int, message: str) -> None:
                self._write(job_id, JobStatus("en cours", done, total, message))

            final, data = execute(order, context, progress)
            if data is not None:
                (self.root / job_id / _RESULT).write_bytes(data)
                done = self.status(job_id)
                count = done.total if done is not None else 0
                final = replace(final, done=count, total=count)
            self._write(job_id, final)
        except OSError:
            _logger.exception("export job %s could not be written", job_id)
            self._write(job_id, JobStatus("échec", message=FAILED_MESSAGE))
        finally:
            with self._lock:
                self._pending -= 1
                event = self._finished.pop(job_id, None)
            if event is not None:
                event.set()

    def _write(self, job_id: str, status: JobStatus) -> None:
        folder = self.root / job_id
        temporary = folder / f".{_STATUS}.{threading.get_ident()}"
        temporary.write_text(json.dumps(asdict(status), ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, folder / _STATUS)  # atomic: a poll never reads half a file

    def wait(self, job_id: str, timeout: float) -> JobStatus | None:
        """Wait until a job of this process has finished (or the timeout passed); return its status."""
        with self._lock:
            event = self._finished.get(job_id)
        if event is not None:
            event.wait(timeout)
        return self.status(job_id)

    def status(self, job_id: object) -> JobStatus | None:
        """The job's status; None for an unknown or malformed id."""
        if not isinstance(job_id, str) or not JOB_ID.match(job_id):
            return None
        try:
            raw = json.loads((self.root / job_id / _STATUS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return JobStatus(**raw)

    def result(self, job_id: object) -> tuple[bytes, JobStatus] | None:
        """The finished file and its status; None unless the job succeeded."""
        status = self.status(job_id)
        if status is None or status.state != "terminé":
            return None
        try:
            return (self.root / str(job_id) / _RESULT).read_bytes(), status
        except OSError:
            return None

    def expires(self, job_id: object) -> float | None:
        """When the job's files will be removed (seconds since the epoch); None for an unknown job."""
        if self.status(job_id) is None:
            return None
        try:
            # The folder changes with every status written: it is removed two hours after the last one.
            return (self.root / str(job_id)).stat().st_mtime + KEEP_SECONDS
        except OSError:
            return None

    def _clean_old(self) -> None:
        if not self.root.is_dir():
            return
        limit = time.time() - KEEP_SECONDS
        for folder in self.root.iterdir():
            try:
                if folder.is_dir() and JOB_ID.match(folder.name) and folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:  # another worker removed it first
                continue

    def shutdown(self) -> None:
        """Wait for the running jobs and stop the pool (tests)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
