"""Typed errors. Each names the file and the place; the CLI prints ``str(error)`` as one line.

Exit codes (see README): 0 ok, 1 findings, 2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class LivertoxError(Exception):
    """Base class of every error livertox-kg reports to a user."""

    exit_code = EXIT_BAD_INPUT


class SourceError(LivertoxError):
    """A source file cannot be read as a LiverTox chapter.

    ``where`` is a line number ("line 12"), a section ("section ANNOTATED BIBLIOGRAPHY") or an archive
    member; ``source`` is the file name as the user gave it.
    """

    def __init__(self, source: str, where: str | None, message: str) -> None:
        self.source = source
        self.where = where
        self.message = message
        place = f"{source}:{where}" if where else source
        super().__init__(f"{place}: {message}")


class StoreError(LivertoxError):
    """The store cannot be opened, read or written."""


class QueryError(LivertoxError):
    """A stored query is unknown, malformed, or given bad parameters."""


class UsageError(LivertoxError):
    """The command line is wrong."""


class LoaderBug(Exception):
    """An unexpected error while converting a source: a bug of ours, not bad input (exit 3, never a
    :class:`SourceError`). It names the source; the original exception is its ``__cause__``."""

    def __init__(self, source: str, cause: BaseException) -> None:
        self.source = source
        super().__init__(f"while converting {source}: {type(cause).__name__}: {cause}")

    def __reduce__(self) -> tuple[type[LoaderBug], tuple[str, BaseException]]:  # crosses process boundaries
        cause = self.__cause__ if self.__cause__ is not None else RuntimeError(str(self))
        return (LoaderBug, (self.source, cause))
