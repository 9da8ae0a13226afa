"""Gunicorn settings for production: ``.venv/bin/gunicorn -c gunicorn.conf.py`` (serves ``app:server``).

Why these choices (measured with benchmarks/load.py on 2 cores; see the README):

- ``preload_app``: the app is built once in the master (store opened, embedded figures seeded on first
  start, layout resolved, one figure serialised: ``create_app`` warms up at import), then forked. Every
  worker starts warm, which avoids the cold-start races of Dash under threads (dash #3971, plotly.py #3441),
  and shares the loaded libraries copy-on-write. Database connections inherited from the master are
  dropped in each child (``os.register_at_fork`` in ``dashboard.data.store``), so no socket or SQLite handle
  is ever shared between processes; the image renderer starts its own Chromium per worker on first use.
- ``gthread`` workers: most of a callback's time is CPU (pandas, plotly's JSON), so processes give the
  parallelism and a few threads per worker hide the waits on the database and the network.
- Requests bounded in size and time; a worker is recycled after 100 000 requests (forked again from the
  warm master, with jitter so that workers do not all restart together), which caps any slow memory
  growth. Not after a few thousand: a new worker starts with an empty cache and computes again every
  selection asked of it, and at 5 000 requests each worker was recycled about once per 30 s of the load
  benchmark. The memory ceiling below is the net.
- A memory ceiling per worker: after each request the worker reads its resident memory (``/proc``, a few
  microseconds) and, above ``TDB_WORKER_MAX_RSS_MB``, finishes its in-flight requests and exits; the
  master forks a fresh one. The file readers are bounded by design (see dashboard/data/reading.py); the
  ceiling is the net under anything else.
- Graceful shutdown: on SIGTERM (or a recycling) a worker stops accepting, finishes its requests for up to
  ``graceful_timeout`` seconds, then exits. A worker killed outright (SIGKILL, out of memory) loses its
  in-flight requests: the reverse proxy retries them on another worker (see the README).
"""

import logging
import multiprocessing
import os

wsgi_app = "app:server"
bind = [f"{os.environ.get('TDB_HOST', '127.0.0.1')}:{os.environ.get('TDB_PORT', '8050')}"]
workers = int(os.environ.get("TDB_WORKERS", str(multiprocessing.cpu_count() + 1)))
worker_class = "gthread"
threads = int(os.environ.get("TDB_THREADS", "4"))
preload_app = True

timeout = 60  # an XLSX import of 20 000 rows takes a few seconds; nothing legitimate takes a minute
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("TDB_WORKER_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# A warm worker holds about 200 MB (README, « Performances »); twice that means something went wrong.
max_worker_rss_mb = int(os.environ.get("TDB_WORKER_MAX_RSS_MB", "450"))

# The request body limit is the app's own (TDB_MAX_UPLOAD_MB → Flask MAX_CONTENT_LENGTH, answered 413);
# these bound the request line and headers.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Behind the caisse's reverse proxy: trust X-Forwarded-* only from it (loopback by default).
forwarded_allow_ips = os.environ.get("TDB_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("TDB_LOG_LEVEL", "info")
# No query string in the access log: it is a filter selection, but keep logs lean and free of user input.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def resident_mb() -> float | None:
    """This process's resident memory in MB, from /proc (None where /proc is not available)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1_000_000


def post_request(worker, req, environ, resp) -> None:
    """Recycle this worker once its resident memory passes the ceiling (after finishing its requests)."""
    used = resident_mb()
    if used is not None and used > max_worker_rss_mb and worker.alive:
        worker.log.warning(
            "processus %s : %.0f Mo de mémoire résidente (plafond %s Mo) ; il termine ses requêtes et sera "
            "remplacé",
            worker.pid,
            used,
            max_worker_rss_mb,
        )
        worker.alive = False


def worker_abort(worker) -> None:
    """A worker stopped by the timeout: say so in French in the log (its requests answer 502 at the proxy)."""
    logging.getLogger("gunicorn.error").error(
        "processus %s arrêté : une requête a dépassé %s s", worker.pid, timeout
    )
