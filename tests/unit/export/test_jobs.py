import pytest

from dashboard.export.images import ExportUnavailable
from dashboard.export.jobs import JobRefused, JobResult, JobRunner


@pytest.fixture
def runner(tmp_path):
    created = JobRunner(tmp_path / "jobs", max_pending=2)
    yield created
    created.shutdown()


def test_a_job_reports_progress_then_its_file(runner):
    def work(progress):
        progress(1, 2, "Diapositive 1 sur 2")
        return JobResult(b"contenu", "dossier.pptx", "application/test")

    job_id = runner.submit(work, total=2)
    status = runner.wait(job_id, timeout=10)

    assert (status.state, status.done, status.total, status.filename) == ("terminé", 2, 2, "dossier.pptx")
    path, found = runner.result(job_id)
    assert path.read_bytes() == b"contenu"
    assert found.mimetype == "application/test"


def test_a_failed_job_says_why_in_french(runner):
    def missing_browser(progress):
        raise ExportUnavailable("Chromium est introuvable : apt-get install chromium")

    def crash(progress):
        raise RuntimeError("boom")

    first, second = runner.submit(missing_browser), runner.submit(crash)

    assert runner.wait(first, timeout=10).message == "Chromium est introuvable : apt-get install chromium"
    failed = runner.wait(second, timeout=10)
    assert (failed.state, failed.message) == ("échec", "L'export a échoué ; réessayez dans un instant.")
    assert runner.result(second) is None


@pytest.mark.parametrize("job_id", ["../../etc/passwd", "x", None, 12, "A" * 23])
def test_malformed_or_unknown_ids_find_nothing(runner, job_id):
    assert runner.status(job_id) is None
    assert runner.result(job_id) is None


def test_too_many_exports_at_once_are_refused(tmp_path):
    import threading

    release = threading.Event()
    busy = JobRunner(tmp_path / "busy", workers=1, max_pending=1)

    def slow(progress):
        release.wait(10)
        return JobResult(b"", "f", "t")

    busy.submit(slow)
    with pytest.raises(JobRefused, match="Trop d'exports"):
        busy.submit(slow)
    release.set()
    busy.shutdown()
