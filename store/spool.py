"""A temporary folder holding converted chapters' N-Quads, so that a build keeps no copy of them in memory.

Each process that converts chapters appends to a file of its own (``{pid}.nq``); a chapter knows its file,
offset and length (:class:`livertox_kg.store.convert.Converted`). The folder is removed by
:meth:`Spool.close`, when the last object referring to it is collected, or at exit; one left by a killed build
is removed by the next build (the folder's name carries the pid of the build that made it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path

PREFIX = "livertox-kg-spool-"
_OPEN: dict[str, int] = {}  # this process's open spool files: path -> descriptor


class Spool:
    """The spool folder of one build."""

    def __init__(self) -> None:
        remove_stale()
        self.path = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)

    def close(self) -> None:
        self._finalizer()


def remove_stale() -> None:
    """Remove spool folders whose process is gone (a build killed before it could clean up)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*"):
        pid = folder.name[len(PREFIX) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # alive, but another user's
            continue


def append(folder: str, data: bytes) -> tuple[str, int]:
    """Append ``data`` to this process's file in ``folder``; return the file and the offset written at."""
    path = os.path.join(folder, f"{os.getpid()}.nq")
    fd = _OPEN.get(path)
    if fd is None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        _OPEN[path] = fd
    offset = os.lseek(fd, 0, os.SEEK_END)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    return path, offset


def close_files(folder: str) -> None:
    """Close this process's open files in ``folder``."""
    for path in [p for p in _OPEN if os.path.dirname(p) == folder]:
        os.close(_OPEN.pop(path))
