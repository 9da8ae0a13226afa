"""Two app servers and one render worker sharing a throw-away PostgreSQL and a throw-away Redis.

What a load balancer in front of several servers needs: a dossier started on one server is followed and
downloaded from the other; an import on one is seen by the other at once; a render worker killed mid-job
gives a clear French failure, and the export retried then succeeds. Requests are built as the browser
builds them (the callback bodies come from the app of the other tests) and sent over real HTTP.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
import requests
from pptx import Presentation
from pypdf import PdfReader

from dashboard import ids
from dashboard.data.accounts import save_account
from dashboard.data.context import open_data
from dashboard.export.images import find_browser
from dashboard.export.queue import WORKER_STOPPED
from dashboard.panels import committee
from dashboard.security.passwords import hash_password
from dashboard.settings import ROOT, Settings
from tests.app.conftest import DashCaller, committee_export_payload
from tests.helpers import first_visit
from tests.servers import PostgresServer, Process, answers, free_port

PASSWORD = "correct horse battery staple"
CHOSEN = ["contact-channels/demandes_total", "contact-channels/appels_3646_recus"]
COTE_D_OR_2024 = "?annee=2024&departements=21"
JOB_SECONDS = 180  # a dossier on a busy 2-core machine, the worker's browser start included


@dataclass
class Cluster:
    first: str
    second: str
    worker: Process
    database_url: str


def _queue_workers(redis_url: str) -> int:
    from redis import Redis
    from rq import Queue, Worker

    from dashboard.export.queue import QUEUE_NAME

    connection = Redis.from_url(redis_url)
    try:
        return Worker.count(queue=Queue(QUEUE_NAME, connection=connection))
    finally:
        connection.close()


@pytest.fixture(scope="module")
def cluster(postgres_server: PostgresServer, redis_url: str, tmp_path_factory) -> Iterator[Cluster]:
    import psycopg

    folder = tmp_path_factory.mktemp("scale-out")
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS tdb_scale_out")
        admin.execute("CREATE DATABASE tdb_scale_out")
    database_url = postgres_server.url("tdb_scale_out")
    env = {
        **os.environ,
        "TDB_DATABASE_URL": database_url,
        "TDB_REDIS_URL": redis_url,
        "TDB_HOST": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
    started: list[Process] = []
    try:
        urls = []
        for name in ("premier", "second"):  # one after the other: the first fills the store
            port = free_port()
            server = Process([sys.executable, "app.py"], {**env, "TDB_PORT": str(port)}, folder / name, ROOT)
            started.append(server)
            url = f"http://127.0.0.1:{port}"
            server.start(lambda url=url: answers(url + "/"))
            urls.append(url)
        worker = Process([sys.executable, "-m", "dashboard", "worker"], env, folder / "rendu", ROOT)
        started.append(worker)
        worker.start(lambda: _queue_workers(redis_url) > 0)
        yield Cluster(urls[0], urls[1], worker, database_url)
    finally:
        for process in started:
            process.stop()


def _post(session: requests.Session, base: str, payload: dict[str, Any]) -> dict[str, Any]:
    response = session.post(f"{base}/_dash-update-component", json=payload, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return response.json()["response"]


def _export(session, base: str, app, trigger: str, *, job=None, search=COTE_D_OR_2024) -> dict[str, Any]:
    return _post(session, base, committee_export_payload(app, trigger, CHOSEN, job=job, search=search))


def _follow(session, base: str, app, job: dict[str, Any], until) -> dict[str, Any]:
    """Poll the job's progress on a server until ``until(status text)`` holds."""
    deadline = time.monotonic() + JOB_SECONDS
    while True:
        answer = _export(session, base, app, committee.POLL, job=job)
        text = answer[committee.STATUS]["children"]
        if until(text):
            return answer
        assert time.monotonic() < deadline, f"still « {text} » after {JOB_SECONDS} s"
        time.sleep(0.1)


def test_a_dossier_started_on_one_server_is_followed_and_downloaded_from_the_other(cluster, app):
    session = requests.Session()
    started = _export(session, cluster.first, app, committee.export_button_id("pptx"))
    job = started[committee.JOB]["data"]
    assert job is not None, started[committee.STATUS]["children"]

    ready = _follow(session, cluster.second, app, job, lambda text: text == "Fichier prêt.")
    download = session.get(cluster.second + ready[committee.LINK]["href"], timeout=60)
    assert download.status_code == 200
    deck = Presentation(BytesIO(download.content))
    assert [slide.shapes.title.text for slide in deck.slides] == [
        "Dossier comité de pilotage",
        "Demandes des assurés",
        "Appels reçus au 3646",
    ]


def _login(base: str, name: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/connexion", timeout=30).text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base}/connexion",
        data={"csrf": token, "nom": name, "mot_de_passe": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303
    return session


def _contact_page(base: str, app) -> str:
    """The contact page of Côte-d'Or 2024 as a server sends it (cards, charts and the figures' table)."""
    payload = DashCaller(app, None).payload(
        "update_theme_page", [first_visit(COTE_D_OR_2024), True, "/canaux"]
    )
    text = json.dumps(_post(requests.Session(), base, payload), ensure_ascii=False)
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_an_import_on_one_server_is_seen_by_the_other_at_once(cluster, app):
    data = open_data(Settings(database_url=cluster.database_url))
    save_account(data.store, "alice", "editor", hash_password(PASSWORD))
    data.store.dispose()
    before = _contact_page(cluster.second, app)  # the second server has the page in its cache now
    assert "3 872 394" in before
    assert "3 900 001" not in before

    editor = _login(cluster.first, "alice")
    line = "21;cpam-21;2024;demandes_total;3 900 001;;;Rapport corrigé;;"
    header = "departement;caisse;annee;indicateur;valeur;qualificatif;periode;source;url;commentaire"
    contents = "data:text/csv;base64," + base64.b64encode(f"{header}\n{line}\n".encode()).decode()
    caller = DashCaller(app, None)
    preview = caller.payload("update_upload_preview", [contents, "corr.csv"])
    sha = _post(editor, cluster.first, preview)[ids.UPLOAD_SHA]["data"]
    confirm = caller.payload("update_import_confirm", [1, contents, "corr.csv", sha])
    assert "importé" in str(_post(editor, cluster.first, confirm)[ids.UPLOAD_RESULT]["children"])

    after = _contact_page(cluster.second, app)
    assert "3 900 001" in after
    assert "3 872 394" not in after


@pytest.mark.skipif(find_browser() is None, reason="the PDF report needs Chromium (make test installs it)")
def test_a_render_worker_killed_mid_job_gives_a_french_failure_and_a_retry_succeeds(cluster, app, redis_url):
    session = requests.Session()
    pdf = committee.export_button_id("pdf")
    job = _export(session, cluster.first, app, pdf)[committee.JOB]["data"]
    assert job is not None
    _follow(session, cluster.second, app, job, lambda text: not text.startswith("En attente"))
    cluster.worker.kill()

    failed = _follow(
        session, cluster.second, app, job, lambda text: text in (WORKER_STOPPED, "Fichier prêt.")
    )
    assert failed[committee.STATUS]["children"] == WORKER_STOPPED
    assert failed[committee.LINK]["hidden"] is True

    cluster.worker.start(lambda: _queue_workers(redis_url) > 0)
    retry = _export(session, cluster.second, app, pdf)[committee.JOB]["data"]
    ready = _follow(session, cluster.first, app, retry, lambda text: text == "Fichier prêt.")
    report = PdfReader(
        BytesIO(session.get(cluster.first + ready[committee.LINK]["href"], timeout=60).content)
    )
    assert len(report.pages) >= 3  # the contents, then one page per chart
