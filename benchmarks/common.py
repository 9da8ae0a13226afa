"""What the benchmark scripts share: a server in a subprocess, a cold Chromium, the page-settled test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the project sits one folder up
    sys.path.insert(0, str(ROOT))

# The browser tests' rules: the same Chromium flags, and "the page is ready" as they assert it.
from tests.page_ready import CHROMIUM_ARGS as CHROMIUM_ARGS  # noqa: E402
from tests.page_ready import SETTLED_JS as SETTLED_JS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, seconds: float = 120, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {process.returncode}) avant de répondre")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} ne répond pas")


@dataclass(frozen=True)
class Server:
    base_url: str
    pid: int


@contextmanager
def app_server(
    database_url: str | None = None, *, gunicorn: bool = False, workers: int = 2
) -> Iterator[Server]:
    """The dashboard on a free loopback port (a fresh SQLite store unless a URL is given)."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {**os.environ, "TDB_PORT": str(port), "TDB_HOST": "127.0.0.1"}
        env["TDB_DATABASE_URL"] = database_url or f"sqlite:///{tmp}/store.sqlite3"
        if gunicorn:
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "app:server",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--preload",
                "--log-level",
                "warning",
            ]
            if (ROOT / "gunicorn.conf.py").exists():
                command += ["--config", str(ROOT / "gunicorn.conf.py")]
        else:
            command = [sys.executable, "app.py"]
        log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                wait_http(f"http://127.0.0.1:{port}/", process=process)
            except RuntimeError as err:
                log.flush()
                tail = (Path(tmp) / "server.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{err}\n{tail}") from err
            yield Server(f"http://127.0.0.1:{port}", process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def process_tree(pid: int) -> set[int]:
    """A process and every live descendant (Linux /proc), e.g. gunicorn's workers or our Chromium."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
    tree, changed = {pid}, True
    while changed:
        found = {child for child, parent in parents.items() if parent in tree} - tree
        changed, tree = bool(found), tree | found
    return tree


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants, the exited ones included.

    A descendant that has exited and been waited for (a gunicorn worker recycled after its quota of
    requests) is counted in its parent's cutime and cstime; without them a recycled worker's CPU vanished.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(value) for value in fields[11:15]) / ticks  # utime, stime, cutime, cstime
    return total


def machine() -> str:
    """The machine's size, as the reports print it: cores and memory."""
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} Gio"
    return f"{os.cpu_count()} cœurs, {memory} de mémoire"


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return percentile(values, 50)
