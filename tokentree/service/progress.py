"""Read progress for a display: at most one report per interval (and always the last), none
at all for a read with nothing to read (no "0/0 files")."""

from __future__ import annotations

import time
from collections.abc import Callable

Report = Callable[[int, int, int, int], None]
"""Called with (files done, files to read, bytes done, bytes to read)."""

INTERVAL = 0.05
"""Seconds between reports."""


def throttled(
    report: Report, interval: float = INTERVAL, clock: Callable[[], float] = time.monotonic
) -> Report:
    """A progress callback for :meth:`Backend.refresh` that passes ``report`` what is worth
    showing."""
    last = -interval

    def progress(files_done: int, files_total: int, bytes_done: int, bytes_total: int) -> None:
        nonlocal last
        if not files_total:
            return
        now = clock()
        if now - last >= interval or files_done == files_total:
            last = now
            report(files_done, files_total, bytes_done, bytes_total)

    return progress
