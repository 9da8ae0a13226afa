import threading
from dataclasses import dataclass

import pytest

from dashboard.export.images import ExportUnavailable
from dashboard.export.jobs import JobRefused, JobResult, JobRunner


@dataclass(frozen=True)
class Made:
    """An order that reports its progress, then makes a small file."""

    content: bytes = b"contenu"

    def run(self, context, progress):
        progress(1, 2, "Diapositive 1 sur 2")
        return JobResult(self.content + context, "dossier.pptx", "application/test")


@dataclass(frozen=True)
class Fails:
    error: str

    def run(self, context, progress):
        if self.error == "browser":
            raise ExportUnavailable("Chromium est introuvable : apt-get install chromium")
        raise RuntimeError("boom")


@dataclass(frozen=True)
class Waits:
    release: threading.Event

    def run(self, context, progress):
        self.release.wait(10)
        return JobResult(b"", "f", "t")


@pytest.fixture
def runner(tmp_path):
    created = JobRunner(tmp_path / "jobs", max_pending=2)
    yield created
    created.shutdown()


def test_a_job_reports_progress_then_its_file_made_with_the_submitters_context(runner):
    job_id = runner.submit(Made(), b" du contexte", total=2)
    status = runner.wait(job_id, timeout=10)

    assert (status.state, status.done, status.total, status.filename) == ("terminé", 2, 2, "dossier.pptx")
    data, found = runner.result(job_id)
    assert data == b"contenu du contexte"
    assert found.mimetype == "application/test"


def test_a_failed_job_says_why_in_french(runner):
    first, second = runner.submit(Fails("browser"), None), runner.submit(Fails("crash"), None)

    assert runner.wait(first, timeout=10).message == "Chromium est introuvable : apt-get install chromium"
    failed = runner.wait(second, timeout=10)
    assert (failed.state, failed.message) == ("échec", "L'export a échoué ; réessayez dans un instant.")
    assert runner.result(second) is None


@pytest.mark.parametrize("job_id", ["../../etc/passwd", "x", None, 12, "A" * 23])
def test_malformed_or_unknown_ids_find_nothing(runner, job_id):
    assert runner.status(job_id) is None
    assert runner.result(job_id) is None


def test_too_many_exports_at_once_are_refused(tmp_path):
    release = threading.Event()
    busy = JobRunner(tmp_path / "busy", workers=1, max_pending=1)

    busy.submit(Waits(release), None)
    with pytest.raises(JobRefused, match="Trop d'exports"):
        busy.submit(Waits(release), None)
    release.set()
    busy.shutdown()
