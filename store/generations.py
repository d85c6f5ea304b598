"""The embedded on-disk store (Oxigraph via ``pyoxigraph``), written so that nothing is half-written.

Layout of a store folder::

    STORE/
      current -> gen-000007     symlink: the generation readers open
      gen-000007/               an Oxigraph (RocksDB) database
      gen-000006/               the previous generation, kept for readers that opened it
      staging-000008/           a build in progress (removed by the next build if it was interrupted)
      lock                      held by a build

A build stages a new generation (a copy of the current one, ``backup``: hard links, cheap, or an empty
store into which the graphs that stay are copied: :func:`should_start_empty`), replaces the named graphs
of the chapters it loads there, and then switches ``current`` with one atomic ``rename``. A build that
fails or is killed leaves ``current`` untouched; readers see the old graph or the new one, never a
mixture. Readers open the generation read-only; no process ever writes to a generation ``current``
points to.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from livertox_kg.errors import StoreError

ENV_VAR = "LIVERTOX_KG_STORE"
KILL_AT_VAR = "LIVERTOX_KG_TEST_KILL_AT"  # tests only: a build kills itself (SIGKILL) at that point
_GEN = re.compile(r"^gen-(\d{6})$")
# N-Quads per bulk_load: one call over all of them peaks at ~5x their size. 16 MiB rather than 64: the loading
# thread starts sooner and lags the last converted chapter by less (scale corpus: compaction could start at the
# end of conversion instead of 3 s after it).
LOAD_BATCH_BYTES = 16 << 20
# N-Quads loaded since the last compaction above which a generation is compacted before it is committed
# (after every write: files written after a compaction are looked into by every read as well): bulk loads
# leave the database as many overlapping files, each looked into by every read, and readers open it
# read-only, so it would never be compacted. On the 1,140-chapter scale store the stored queries take
# 15-50% less time compacted; compacting takes 3-8 s. Even the mapping graph and the description written
# after a compaction made the stored queries 1.2-2x slower (bench_queries, one A/B run): the build compacts
# after them. Less stays as a few small files.
COMPACT_AFTER_BYTES = 16 << 20
SMALL_LOAD_BYTES = 1 << 20  # N-Triples written in a transaction rather than bulk-loaded (Writer.replace_content)


def checkpoint(name: str) -> None:
    """A point where a test may have the build killed (``$LIVERTOX_KG_TEST_KILL_AT``): nothing else can stop a
    process at exactly that moment (between two renames, after the last load) from outside."""
    if os.environ.get(KILL_AT_VAR) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def default_location() -> Path:
    """``$LIVERTOX_KG_STORE``, else ``$XDG_DATA_HOME/livertox-kg/store`` (``~/.local/share/...``)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "livertox-kg" / "store"


def current_generation(location: Path) -> Path | None:
    link = location / "current"
    if not link.is_symlink():
        return None
    target = location / os.readlink(link)
    return target if target.is_dir() else None


def open_read_only(location: Path) -> ox.Store:
    gen = current_generation(location)
    if gen is None:
        raise StoreError(f"{location}: no store here; run 'livertox-kg build' first")
    try:
        return ox.Store.read_only(str(gen))
    except OSError as exc:
        raise StoreError(f"{gen}: cannot open the store: {exc}") from None


class Writer:
    """A staged copy of the store; ``commit()`` makes it current, leaving without commit discards it."""

    def __init__(self, location: Path, staging: Path, number: int, lock_fd: int) -> None:
        self.location = location
        self.staging = staging
        self.number = number
        self._lock_fd = lock_fd
        self.store: ox.Store | None = None
        self.committed = False
        self.loaded_since_compaction = 0  # bytes of N-Quads
        self._compaction: _Compaction | None = None

    def load(self, nquads: bytes) -> None:
        """Bulk-load N-Quads into cleared graphs. Given as bytes, not a stream: Oxigraph then parses
        without taking Python's GIL for every read, so it loads at full speed beside a busy thread."""
        assert self.store is not None
        self.store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
        self.loaded_since_compaction += len(nquads)

    def compact(self, background: bool = False) -> None:
        """Compact the staged database (see :data:`COMPACT_AFTER_BYTES`); it may then still be written.

        ``background``: in a thread of its own, so that the build describes the dataset meanwhile (Oxigraph lets
        go of the GIL while it compacts, and the store can be read and written during it); :meth:`commit` waits
        for it. What is loaded meanwhile counts towards the next compaction."""
        assert self.store is not None
        self.wait_for_compaction()
        self.loaded_since_compaction = 0
        if background:
            self._compaction = _Compaction(self.store)
        else:
            self.store.optimize()

    def wait_for_compaction(self) -> None:
        """Wait for a compaction started in the background; its error, if any, is raised here."""
        compaction, self._compaction = self._compaction, None
        if compaction is not None:
            compaction.join()

    def remove_graph(self, graph_iri: str) -> None:
        assert self.store is not None
        graph = ox.NamedNode(graph_iri)
        if self.store.contains_named_graph(graph):
            self.store.remove_graph(graph)

    def replace_content(self, graph_iri: str, nquads: bytes) -> bool:
        """Make the staged graph hold exactly ``nquads`` (lines ``<s> <p> <o> <graph_iri> .``), removing and adding
        only what differs: removing a whole graph costs about 1 s per 40,000 statements, removing one 15 us.
        Whether it changed.

        The graph is compared line by line with Oxigraph's N-Triples of it: making Python objects of both sides
        took 0.3 s for the scale store's description. A statement the two write differently (another escape)
        is removed and added again, which leaves the same graph."""
        assert self.store is not None
        graph = ox.NamedNode(graph_iri)
        tail = f" {graph} .".encode()
        lines = [line for line in nquads.split(b"\n") if line.strip()]
        if not all(line.endswith(tail) for line in lines):
            raise ValueError(f"replace_content: N-Quads outside the graph {graph_iri}")
        new = {line[: -len(tail)] + b" ." for line in lines}
        held = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        old = {line for line in held.split(b"\n") if line.strip()}
        gone, added = old - new, new - old
        if gone:
            for t in ox.parse(b"\n".join(gone), format=ox.RdfFormat.N_TRIPLES):
                self.store.remove(ox.Quad(t.subject, t.predicate, t.object, graph))
        if added:  # a few lines go to the write-ahead log; a bulk load would write a set of files each time
            data = b"\n".join(sorted(added)) + b"\n"
            load = self.store.bulk_load if len(data) > SMALL_LOAD_BYTES else self.store.load
            load(input=data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            self.loaded_since_compaction += len(data)
        return bool(gone or added)

    def restore(self, graph_iri: str) -> None:
        """Make the staged graph what the current generation holds (absent if it holds none)."""
        assert self.store is not None
        self.remove_graph(graph_iri)
        self.copy_current(lambda g: isinstance(g, ox.NamedNode) and g.value == graph_iri)

    def copy_current(self, keep: Callable[[ox.NamedNode | ox.BlankNode | ox.DefaultGraph], bool]) -> None:
        """Load into the staged store the graphs of the current generation that ``keep`` keeps."""
        assert self.store is not None
        current = current_generation(self.location)
        if current is not None:
            self.loaded_since_compaction += _copy_graphs(ox.Store.read_only(str(current)), self.store, keep)

    def commit(self) -> None:
        assert self.store is not None
        self.wait_for_compaction()
        if self.loaded_since_compaction >= COMPACT_AFTER_BYTES:
            self.compact()
        self.store.flush()
        del self.store
        self.store = None
        final = self.location / f"gen-{self.number:06d}"
        os.rename(self.staging, final)
        tmp_link = self.location / "current.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        os.symlink(final.name, tmp_link)
        checkpoint("switch")
        os.replace(tmp_link, self.location / "current")
        _fsync_dir(self.location)
        self.committed = True
        _prune(self.location, keep={final.name})


class _Compaction:
    """``optimize()`` of a store in a background thread (see :meth:`Writer.compact`)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._failed: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="livertox-kg-compact", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._store.optimize()
        except BaseException as exc:  # handed to the thread that waits
            self._failed.append(exc)

    def join(self) -> None:
        self._thread.join()
        if self._failed:
            raise self._failed[0]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(location: Path, keep: set[str]) -> None:
    """Remove generations older than the previous one, and stale staging folders."""
    gens = sorted((p for p in location.iterdir() if _GEN.match(p.name)), key=lambda p: p.name)
    newest = max((p.name for p in gens), default=None)
    previous = [p.name for p in gens if p.name != newest][-1:]
    for p in gens:
        if p.name not in keep and p.name != newest and p.name not in previous:
            shutil.rmtree(p, ignore_errors=True)


def batches(chunks: Iterable[bytes], size: int | None = None) -> Iterator[bytes]:
    """Whole chunks (each a set of complete N-Quads lines) joined into batches of about ``size`` bytes
    (default :data:`LOAD_BATCH_BYTES`): bulk-loaded one by one, they load as fast as one call over
    everything, in a fraction of the memory."""
    size = LOAD_BATCH_BYTES if size is None else size
    pending: list[bytes] = []
    held = 0
    for chunk in chunks:
        pending.append(chunk)
        held += len(chunk)
        if held >= size:
            yield b"".join(pending)
            pending, held = [], 0
    if pending:
        yield b"".join(pending)


def should_start_empty(location: Path, replaced: int) -> bool:
    """Whether a build replacing about ``replaced`` named graphs should stage an empty generation (and copy
    the graphs that stay) rather than copy the current one and remove those graphs.

    Removing a graph costs about 30 ms for a chapter graph of a full store (1,140 of them: 36 s); copying
    the few graphs that stay costs little. So: empty when at least half of the graphs are replaced.
    """
    current = current_generation(location)
    if current is None:
        return True
    if replaced == 0:
        return False
    graphs = sum(1 for _ in ox.Store.read_only(str(current)).named_graphs())
    return 2 * replaced >= graphs


def _copy_graphs(
    source: ox.Store, target: ox.Store, keep: Callable[[ox.NamedNode | ox.BlankNode | ox.DefaultGraph], bool]
) -> int:
    """Bulk-load into ``target`` the graphs of ``source`` (the default graph included) that ``keep`` keeps;
    the bytes of N-Quads loaded."""
    graphs = [g for g in [ox.DefaultGraph(), *source.named_graphs()] if keep(g)]
    chunks = (
        ox.serialize(source.quads_for_pattern(None, None, None, g), format=ox.RdfFormat.N_QUADS) or b"" for g in graphs
    )
    loaded = 0
    for batch in batches(chunks):
        target.bulk_load(input=batch, format=ox.RdfFormat.N_QUADS)
        loaded += len(batch)
    return loaded


def _stage(source: ox.Store, staging: Path, replacing: set[str], empty: bool) -> tuple[ox.Store, int]:
    """A new store at ``staging`` holding what ``source`` holds, minus the named graphs in ``replacing``:
    the graphs that stay copied into an empty store (``empty``), or the whole store copied (``backup``: hard
    links, cheap) and the replaced graphs removed one by one. With the bytes of N-Quads loaded into it."""

    def staying(g: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
        return not (isinstance(g, ox.NamedNode) and g.value in replacing)

    if empty:
        store = ox.Store(str(staging))
        return store, _copy_graphs(source, store, staying)
    going = [g for g in source.named_graphs() if not staying(g)]
    source.backup(str(staging))
    del source
    store = ox.Store(str(staging))
    for g in going:
        store.remove_graph(g)
    return store, 0


def lock(location: Path) -> int:
    """Take the store's build lock (creating the store folder); the descriptor to close to release it.

    A build takes it before it reads what the store holds, so that what it skips as unchanged is what it
    commits over; a second build is refused at once rather than after converting everything."""
    try:
        location.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{location}: cannot create the store folder: {exc.strerror or exc}") from None
    if any(location.iterdir()) and not (location / "current").is_symlink() and not (location / "lock").exists():
        raise StoreError(f"{location}: folder exists and is not a livertox-kg store; choose another --store")
    lock_fd = os.open(location / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock_fd)
        raise StoreError(
            f"{location}: another build is writing this store; wait for it to finish and build again"
        ) from None
    return lock_fd


@contextlib.contextmanager
def locked(location: Path) -> Iterator[int]:
    """The store's build lock, held for the ``with`` block (see :func:`lock`)."""
    fd = lock(location)
    try:
        yield fd
    finally:
        os.close(fd)


@contextlib.contextmanager
def writer(
    location: Path, replacing: Collection[str] = (), empty: bool | None = None, lock_fd: int | None = None
) -> Iterator[Writer]:
    """Stage a new generation without the named graphs in ``replacing``; the caller loads their new
    content and calls ``commit()`` on success.

    ``empty`` (default: :func:`should_start_empty`) stages it by copying what stays into an empty store
    rather than copying the store and removing the replaced graphs. A caller that learns what it replaces
    only while it loads replaces every graph (nothing is copied) and later copies what stays with
    :meth:`Writer.copy_current`, or stages a copy and removes graphs as it goes. ``lock_fd``: the build lock,
    already taken by the caller (:func:`locked`); without it, the writer takes it for its ``with`` block.
    """
    with contextlib.ExitStack() as stack:
        if lock_fd is None:
            lock_fd = stack.enter_context(locked(location))
        for stale in location.glob("staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        numbers = [int(m[1]) for p in location.iterdir() if (m := _GEN.match(p.name))]
        number = max(numbers, default=0) + 1
        staging = location / f"staging-{number:06d}"
        current = current_generation(location)
        w = Writer(location, staging, number, lock_fd)
        try:
            if current is None:
                w.store = ox.Store(str(staging))
            else:
                if empty is None:
                    empty = should_start_empty(location, len(replacing))
                w.store, w.loaded_since_compaction = _stage(
                    ox.Store.read_only(str(current)), staging, set(replacing), empty
                )
        except OSError as exc:
            w.store = None
            shutil.rmtree(staging, ignore_errors=True)
            raise StoreError(f"{location}: cannot stage a new generation: {exc}") from None
        try:
            yield w
        finally:
            if not w.committed:
                with contextlib.suppress(Exception):  # a compaction cannot be stopped: wait for it
                    w.wait_for_compaction()
                w.store = None
                shutil.rmtree(staging, ignore_errors=True)
