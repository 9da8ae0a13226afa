"""Throw-away servers for the tests: PostgreSQL and Redis, on free ports of 127.0.0.1, in temporary folders.

The PostgreSQL server (Debian's ``postgresql`` package: ``initdb`` and ``pg_ctl`` under
/usr/lib/postgresql/*/bin) runs with durability switched off for speed. PostgreSQL refuses to run as root,
so as root the cluster belongs to the ``postgres`` user (or ``nobody``) through ``runuser``. Redis
(``redis-server``) keeps nothing on disk. Both are stopped and removed at the end. Without the program,
the tests that need it are skipped, saying so; ``make test`` installs both.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

START_SECONDS = 60


@dataclass(frozen=True, slots=True)
class PostgresServer:
    """A running throw-away PostgreSQL cluster."""

    port: int
    admin_url: str

    def url(self, database: str) -> str:
        """SQLAlchemy URL of a database of this cluster (psycopg 3 driver)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).resolve().parent if on_path else None


def free_port() -> int:
    """A port of 127.0.0.1 free at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    """Run as an unprivileged user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return command
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--", *command]
    pytest.skip("PostgreSQL cannot run as root and no unprivileged user (postgres, nobody) exists")


def _owner() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    return None


def postgres_cluster() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 for the session; skipped when PostgreSQL is not installed."""
    pytest.importorskip("psycopg", reason="psycopg (PostgreSQL driver) is not installed")
    bin_dir = _binaries()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        pytest.skip(
            "PostgreSQL is not installed (Debian package postgresql; `make test` installs it as root)"
        )
    folder = Path(tempfile.mkdtemp(prefix="tdb-postgres-"))
    data = folder / "data"
    owner = _owner()
    if owner is not None:
        os.chown(folder, *owner)
    port = free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
    )
    pg_ctl = str(bin_dir / "pg_ctl")
    try:
        subprocess.run(
            _as_owner(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=START_SECONDS,
        )
        subprocess.run(
            _as_owner(
                [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
            timeout=START_SECONDS,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
        log = (folder / "server.log").read_text() if (folder / "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        output = getattr(err, "stderr", b"") or b""
        pytest.fail(f"PostgreSQL did not start: {err}\n{output.decode(errors='replace')}\n{log}")
    try:
        yield PostgresServer(port, f"postgresql://postgres@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(
            _as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


def redis_server() -> Iterator[str]:
    """A Redis server on 127.0.0.1 (nothing written to disk); yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian package redis-server; `make test` installs it)")
    folder = Path(tempfile.mkdtemp(prefix="tdb-redis-"))
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    log = (folder / "redis.log").open("w")
    process = subprocess.Popen([*command, "--dir", str(folder)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start:\n{(folder / 'redis.log').read_text()}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def answers(url: str) -> bool:
    """Whether the address answers 200 now."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class Process:
    """A program started for a test, its output in a file; ``ready`` is polled until it holds."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, cwd: Path) -> None:
        self.command, self.env, self.log, self.cwd = command, env, log, cwd
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, ready: Callable[[], bool], seconds: float = START_SECONDS) -> None:
        """Start the program and wait until ``ready()``; fail with its output if it stops or is late."""
        with self.log.open("ab") as out:
            self._process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=out, stderr=out)
        deadline = time.monotonic() + seconds
        while not ready():
            if time.monotonic() > deadline:
                pytest.fail(f"{self.command[-1]} not ready within {seconds} s:\n{self.output()}")
            # Between two polls, wait on the other condition that matters: the process ending early.
            try:
                code = self._process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"{self.command[-1]} stopped with code {code}:\n{self.output()}")

    def output(self) -> str:
        """What the program printed."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """Kill it at once (SIGKILL), as a crash or the out-of-memory killer would."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)

    def stop(self) -> None:
        """Stop it (SIGTERM, then SIGKILL after 10 s)."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
