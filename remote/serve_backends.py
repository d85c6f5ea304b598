"""The stock Oxigraph servers behind ``livertox-kg serve``: one ``oxigraph serve-read-only`` process per store
generation, each on a snapshot of that generation that no build can remove.

A build prunes old generations (``store.generations._prune`` keeps the newest and the one before it), so a
server that kept reading ``gen-N`` in place could lose its files under it after two builds. ``serve``
therefore reads a *snapshot*: an Oxigraph backup (a RocksDB checkpoint: hard links to the immutable table
files, a copy of the small manifest; 0.1 s on the scale store) of the generation ``current`` names, in
``STORE/serving/{pid}-gen-NNNNNN``. Builds never look there (they only list ``gen-*`` and ``staging-*``);
``serve`` removes its snapshots when it is done with them, and those of ``serve`` processes that died.
A snapshot is only ever made of a committed generation, so no request is answered from a half-built store.

The server is started without ``--timeout-s``: Oxigraph 0.5 starts one thread per query for it that sleeps
the whole timeout (``cli/src/main.rs``, ``evaluate_sparql_query``), so at 2,000 queries/s and 30 s it holds
60,000 threads and dies ("failed to set up alternative stack guard page", measured here). The timeout is
kept by the front instead (:mod:`livertox_kg.remote.serve_proxy`), which replaces a server running a query
past it.
"""

from __future__ import annotations

import collections
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from livertox_kg.errors import StoreError, UsageError

SERVING = "serving"
_SNAPSHOT = re.compile(r"^(\d+)-(gen-\d{6})(?:-\d+)?$")
READY_TIMEOUT_S = 60.0
INSTALL_HINT = "pip install oxigraph (the Oxigraph server, the same version as pyoxigraph)"


def find_oxigraph() -> str:
    """The ``oxigraph`` executable: beside this Python (a venv's ``bin/``), else on ``PATH``."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise UsageError(f"serve runs the Oxigraph server, which is not installed: {INSTALL_HINT}")
    return found


def version_warning(exe: str) -> str | None:
    """A warning when ``oxigraph --version`` is not pyoxigraph's version (the store format may differ)."""
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run {exe} --version: {exc}"
    version = out.split()[-1] if out.split() else "?"
    if version != ox.__version__:
        return f"{exe} is Oxigraph {version}, pyoxigraph is {ox.__version__}: install the same version"
    return None


@dataclass
class Snapshot:
    """A checkpoint of one committed generation, with a read-only pyoxigraph store on it for the pages.

    ``refs`` counts its users (servers, page requests in flight); at zero it is removed."""

    generation: str
    path: Path
    store: ox.Store | None
    refs: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def acquire(self) -> ox.Store:
        with self.lock:
            assert self.store is not None
            self.refs += 1
            return self.store

    def release(self) -> None:
        with self.lock:
            self.refs -= 1
            if self.refs > 0:
                return
            self.store = None  # closes the database before its folder goes
        shutil.rmtree(self.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_snapshots(location: Path) -> None:
    """Remove the snapshots of ``serve`` processes that are no longer running."""
    folder = location / SERVING
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        m = _SNAPSHOT.match(entry.name)
        if m and int(m[1]) != os.getpid() and not _alive(int(m[1])):
            shutil.rmtree(entry, ignore_errors=True)


def take_snapshot(location: Path, generation: str, serial: int) -> Snapshot:
    """Checkpoint ``STORE/generation`` into ``STORE/serving/`` and open it read-only; :class:`StoreError` when
    the generation cannot be read (e.g. pruned by two quick builds: the caller tries the next one)."""
    source = location / generation
    target = location / SERVING / f"{os.getpid()}-{generation}-{serial}"
    try:
        (location / SERVING).mkdir(exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        ox.Store.read_only(str(source)).backup(str(target))
        store = ox.Store.read_only(str(target))
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise StoreError(f"{source}: cannot snapshot the generation to serve it: {exc}") from None
    return Snapshot(generation, target, store)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=5) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


@dataclass(eq=False)
class Backend:
    """One ``oxigraph serve-read-only`` process on a snapshot, on a private 127.0.0.1 port.

    ``links`` are the front's open connections to it; a backend that is no longer current is stopped once
    it has none (:meth:`BackendPool.sweep`)."""

    snapshot: Snapshot
    process: subprocess.Popen[bytes]
    port: int
    stderr_tail: collections.deque[str]
    links: set[object] = field(default_factory=set)
    retiring: bool = False
    condemned: bool = False  # ran a query past the timeout: replaced, then stopped

    def stop(self) -> None:
        """Stop the process (it has no connection left) and release the snapshot."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.snapshot.release()


def _drain(stream: object, tail: collections.deque[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        tail.append(line.decode("utf-8", "replace").rstrip())


def _spawn(exe: str, snapshot: Snapshot, cors: bool) -> Backend:
    port = _free_port()
    args = [exe, "serve-read-only", "--location", str(snapshot.path), "--bind", f"127.0.0.1:{port}"]
    args += ["--union-default-graph", *(["--cors"] if cors else [])]
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tail: collections.deque[str] = collections.deque(maxlen=20)
    threading.Thread(target=_drain, args=(process.stderr, tail), daemon=True).start()
    return Backend(snapshot, process, port, tail)


def start_backend(exe: str, snapshot: Snapshot, cors: bool) -> Backend:
    """Start Oxigraph on ``snapshot`` and wait until it answers (a port taken meanwhile: another port)."""
    with snapshot.lock:
        snapshot.refs += 1
    for _attempt in range(3):
        backend = _spawn(exe, snapshot, cors)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while backend.process.poll() is None and time.monotonic() < deadline:
            if _answers(backend.port):
                return backend
            time.sleep(0.02)
        with contextlib.suppress(OSError):
            backend.process.kill()
        backend.process.wait()
    snapshot.release()
    detail = "; ".join(backend.stderr_tail) or f"no answer within {READY_TIMEOUT_S:g} s"
    raise StoreError(f"{snapshot.path}: the Oxigraph server did not start: {detail}")


def current_name(location: Path) -> str | None:
    """The generation ``STORE/current`` names (``gen-000007``), or None."""
    try:
        return os.path.basename(os.readlink(location / "current"))
    except OSError:
        return None
