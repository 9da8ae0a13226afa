"""Export jobs through Redis: queued by one process, made by a render worker, followed from anywhere."""

from __future__ import annotations

import pytest

from dashboard.export.jobs import JobStatus
from dashboard.export.queue import NO_WORKER, WORKER_STOPPED, QueuedJobs, run_worker
from tests.unit.export.test_jobs import Fails, Made


@pytest.fixture
def jobs(redis_url):
    created = QueuedJobs(redis_url)
    created.redis.flushdb()
    yield created
    created.shutdown()


def test_an_order_queued_here_is_made_by_a_worker_with_its_own_context(jobs, redis_url):
    job_id = jobs.submit(Made(), b" d'ici", total=2)  # the submitter's context does not travel
    waiting = jobs.status(job_id)
    assert (waiting.state, waiting.message) == ("en attente", NO_WORKER)

    run_worker(QueuedJobs(redis_url), b" du serveur de rendu", burst=True)

    elsewhere = QueuedJobs(redis_url)  # another app server reads the same job
    status = elsewhere.status(job_id)
    assert (status.state, status.done, status.total, status.filename) == ("terminé", 2, 2, "dossier.pptx")
    data, found = elsewhere.result(job_id)
    assert data == b"contenu du serveur de rendu"
    assert found.mimetype == "application/test"
    assert elsewhere.expires(job_id) is not None


def test_a_failed_order_says_why_in_french_and_has_no_file(jobs, redis_url):
    job_id = jobs.submit(Fails("crash"), None)
    run_worker(QueuedJobs(redis_url), None, burst=True)
    assert jobs.status(job_id) == JobStatus("échec", message="L'export a échoué ; réessayez dans un instant.")
    assert jobs.result(job_id) is None


def test_a_job_whose_worker_stopped_is_reported_failed(jobs):
    job_id = "A" * 22
    jobs.write(job_id, JobStatus("en cours", 3, 21, "Diapositive 3 sur 21"))  # no worker keeps it alive
    status = jobs.status(job_id)
    assert (status.state, status.message) == ("échec", WORKER_STOPPED)


@pytest.mark.parametrize("job_id", ["../../etc/passwd", "x", None, 12])
def test_malformed_or_unknown_ids_find_nothing(jobs, job_id):
    assert jobs.status(job_id) is None
    assert jobs.result(job_id) is None
