"""gunicorn settings: jittered recycling, graceful shutdown, a worker over its memory ceiling recycled."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def conf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _worker() -> SimpleNamespace:
    return SimpleNamespace(alive=True, pid=1234, log=logging.getLogger("test.gunicorn"))


def test_workers_are_recycled_with_jitter_and_stop_gracefully(conf):
    assert conf.max_requests > 0
    assert 0 < conf.max_requests_jitter < conf.max_requests
    assert conf.graceful_timeout > 0
    assert conf.worker_class == "gthread"


def test_a_worker_over_its_memory_ceiling_finishes_and_is_replaced(conf, monkeypatch, caplog):
    used = conf.resident_mb()
    assert used is not None
    assert 10 < used < 100_000
    worker = _worker()
    monkeypatch.setattr(conf, "max_worker_rss_mb", int(used) - 5)
    with caplog.at_level(logging.WARNING, logger="test.gunicorn"):
        conf.post_request(worker, None, {}, None)
    assert worker.alive is False
    assert "plafond" in caplog.text


def test_a_worker_under_its_ceiling_keeps_serving(conf, monkeypatch):
    worker = _worker()
    monkeypatch.setattr(conf, "max_worker_rss_mb", 1_000_000)
    conf.post_request(worker, None, {}, None)
    assert worker.alive is True


def test_the_ceiling_and_the_recycling_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("TDB_WORKER_MAX_RSS_MB", "321")
    monkeypatch.setenv("TDB_WORKER_MAX_REQUESTS", "20000")
    spec = importlib.util.spec_from_file_location("gunicorn_conf_env", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.max_worker_rss_mb == 321
    assert (module.max_requests, module.max_requests_jitter) == (20000, 2000)
