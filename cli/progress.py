"""A one-line progress bar on stderr, shown only when stderr is a terminal (``build``, ``push``)."""

from __future__ import annotations

import sys
from collections.abc import Callable

Tick = Callable[[int, str], None]


def progress_printer(total: int) -> Tick | None:
    """A function to call with ``(done, name)`` after each of ``total`` items, or None off a terminal."""
    if not sys.stderr.isatty() or total == 0:
        return None

    def show(n: int, name: str) -> None:
        width = 30
        filled = int(width * n / total)
        short = name.rsplit("/", 1)[-1][:40]
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {n}/{total} {short:<40}")
        if n == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
