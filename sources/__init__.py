"""Find chapter sources: single files, folders of ``.nxml``/``.txt``, and NCBI's ``.tar.gz`` archive.

The archive is read as a stream, member by member, without unpacking anything to disk. Members that
are not regular files (links, devices), paths that climb out (``../``), and members larger than
:data:`MAX_CHAPTER_BYTES` are reported as bad sources rather than read; an archive that expands past
:data:`MAX_ARCHIVE_EXPANDED_BYTES` (a "gzip bomb") is abandoned with an error after what was read.
A chapter file larger than :data:`MAX_CHAPTER_BYTES` is refused before it is read: the largest real
chapter is about 340 KB, so the limit leaves a hundredfold margin and keeps memory bounded.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from livertox_kg.errors import SourceError

MAX_CHAPTER_BYTES = 32 * 1024 * 1024
MAX_ARCHIVE_EXPANDED_BYTES = 2 * 1024 * 1024 * 1024  # NCBI's archive expands to about 100 MB
CHAPTER_SUFFIXES = (".nxml", ".xml", ".txt")


@dataclass(frozen=True)
class SourceDoc:
    name: str  # what the user sees: a path, or "archive.tar.gz!member"
    data: bytes
    fmt: str  # "nxml" or "text"


def format_of(name: str, data: bytes) -> str:
    lower = name.lower()
    if lower.endswith((".nxml", ".xml")):
        return "nxml"
    if lower.endswith(".txt"):
        return "text"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "nxml" if head == b"<" else "text"


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith((".tar.gz", ".tgz", ".tar"))


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_CHAPTER_BYTES:
            raise SourceError(
                str(path), None, f"file is {size:,} bytes; a chapter is at most {MAX_CHAPTER_BYTES:,} bytes: not read"
            )
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), None, f"cannot read: {exc.strerror or exc}") from None


class _Capped(io.RawIOBase):
    """A read-only stream that fails once more than ``cap`` bytes have been read from it."""

    def __init__(self, inner: io.BufferedIOBase | gzip.GzipFile, cap: int) -> None:
        self._inner = inner
        self._cap = cap
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        self.read_bytes += len(data)
        if self.read_bytes > self._cap:
            raise _TooLarge(self.read_bytes)
        buffer[: len(data)] = data
        return len(data)


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def _archive(path: Path) -> Iterator[SourceDoc | SourceError]:
    name = str(path)
    try:
        with path.open("rb") as raw, _expanded(path, raw) as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                where = f"{name}!{member.name}"
                if not member.name.lower().endswith(CHAPTER_SUFFIXES[:2]):
                    continue
                parts = PurePosixPath(member.name).parts
                if member.name.startswith("/") or ".." in parts:
                    yield SourceError(where, None, "archive member path leaves the archive; not read")
                    continue
                if not member.isfile():
                    yield SourceError(where, None, "archive member is a link or special file; not read")
                    continue
                if member.size > MAX_CHAPTER_BYTES:
                    yield SourceError(
                        where,
                        None,
                        f"archive member is {member.size:,} bytes; a chapter is at most"
                        f" {MAX_CHAPTER_BYTES:,}: not read",
                    )
                    continue
                fh = tar.extractfile(member)
                if fh is None:
                    yield SourceError(where, None, "archive member cannot be read")
                    continue
                data = fh.read(MAX_CHAPTER_BYTES + 1)
                yield SourceDoc(where, data, format_of(member.name, data))
    except _TooLarge as exc:
        yield SourceError(
            name, None, f"archive expands past {MAX_ARCHIVE_EXPANDED_BYTES:,} bytes (read {exc.size:,}); rest not read"
        )
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        yield SourceError(name, None, f"corrupt or unreadable archive: {exc}")


def _expanded(path: Path, raw: io.BufferedReader) -> io.BufferedReader:
    """The archive's tar stream (gunzipped when it is gzip), capped at the expansion limit."""
    magic = raw.peek(2)[:2]
    inner: io.BufferedIOBase | gzip.GzipFile = gzip.GzipFile(fileobj=raw, mode="rb") if magic == b"\x1f\x8b" else raw
    return io.BufferedReader(_Capped(inner, MAX_ARCHIVE_EXPANDED_BYTES), buffer_size=1 << 20)


def iter_sources(paths: Sequence[Path]) -> Iterator[SourceDoc | SourceError]:
    """Every chapter source under ``paths``, in a stable order; unreadable ones as errors."""
    for path in paths:
        if path.is_dir():
            files = sorted(
                (p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(CHAPTER_SUFFIXES)),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            for f in files:
                if f.name.lower() in ("readme.txt",):
                    continue
                try:
                    data = _read_file(f)
                except SourceError as exc:
                    yield exc
                    continue
                yield SourceDoc(str(f), data, format_of(f.name, data))
        elif is_archive(path):
            if not path.exists():
                yield SourceError(str(path), None, "no such file")
                continue
            yield from _archive(path)
        else:
            if not path.exists():
                yield SourceError(str(path), None, "no such file or folder")
                continue
            try:
                data = _read_file(path)
            except SourceError as exc:
                yield exc
                continue
            yield SourceDoc(str(path), data, format_of(path.name, data))
