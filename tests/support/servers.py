"""Real SPARQL servers for tests, started on 127.0.0.1 and stopped by the fixture.

A server the tests need but cannot find is a skip on a developer's machine and a failure in CI
(``CI=true``), so that a missing install step in ``.ci/run`` cannot hide behind a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def require(tool: str, why: str) -> str:
    """The path of ``tool``; skip (or fail in CI) when it is not installed."""
    candidates = [Path(sys.executable).parent / tool]
    found = next((str(c) for c in candidates if c.exists()), None) or shutil.which(tool)
    if found is None:
        message = f"{tool} is not installed ({why}); .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for_http(url: str, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if with an error status
        except OSError as exc:
            last = exc
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {timeout} s: {last}")


@dataclass(frozen=True)
class Oxigraph:
    base: str  # http://127.0.0.1:PORT
    location: Path

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"


@contextmanager
def oxigraph_server(location: Path, read_only: bool = False) -> Iterator[Oxigraph]:
    """``oxigraph serve`` (PyPI package ``oxigraph``) on a free 127.0.0.1 port, stopped on exit."""
    exe = require("oxigraph", "PyPI package 'oxigraph', a test extra")
    port = free_port()
    mode = "serve-read-only" if read_only else "serve"
    proc = subprocess.Popen(
        [exe, mode, "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/query?query=ASK%7B%7D", proc=proc)
        yield Oxigraph(base, location)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
