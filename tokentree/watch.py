"""Live mode's file watcher: debounced batches of changed log files.

An async generator over :func:`watchfiles.awatch` (imported lazily). Only the sources' root
directories are watched, and only what the caller accepts (files a source reads, companions
such as a sqlite ``-wal``, directories that appear or vanish) is reported. When the operating
system refuses native notifications (the inotify watch or instance limit, network or
unsupported file systems), at start or later, it falls back to polling and says so in the
batch's ``notice`` (with ``resync``: what changed meanwhile must be looked for); when polling
fails too it raises :class:`WatchUnavailable` so the caller can turn live mode off instead of
crashing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEBOUNCE_MS = 300
"""A batch is delivered at the latest this long after its first change, even while changes
keep coming (the logs are streamed)."""
STEP_MS = 25
"""A batch is delivered once no change came for this long: it adds 25–50 ms to a change's way
to the screen; the watcher's thread wakes this often (≈0.2 % of a core when idle)."""
POLL_DELAY_MS = 1000


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    """Log files that changed together; or, with ``notice``, a change of watching mode."""

    paths: frozenset[Path]
    notice: str | None = None
    resync: bool = False
    """Changes may have been missed (watching changed mode): read everything that changed."""


class WatchUnavailable(Exception):
    """Neither notifications nor polling work for these roots."""


async def watch_logs(
    roots: Iterable[Path],
    *,
    accept: Callable[[str], bool],
    stop_event: Any = None,
    debounce_ms: int = DEBOUNCE_MS,
    step_ms: int = STEP_MS,
    force_polling: bool = False,
    poll_delay_ms: int = POLL_DELAY_MS,
    awatch: Callable[..., Any] | None = None,
) -> AsyncIterator[ChangeBatch]:
    """Yield batches of changed transcripts under the existing ``roots`` until ``stop_event``.

    Args:
        roots: directories to watch (missing ones are skipped; none left: returns at once).
        accept: which changed paths to report (a workspace's ``watches``).
        stop_event: an ``asyncio.Event``/``anyio.Event`` that ends the generator when set.
        force_polling: poll from the start (``poll_delay_ms`` apart).
        awatch: the watch function (``watchfiles.awatch``; replaceable in tests).
    """
    existing = [root for root in roots if root.is_dir()]
    if not existing:
        return
    if awatch is None:
        from watchfiles import awatch

    def watch_filter(_change: Any, path: str) -> bool:
        return accept(path)

    polling = force_polling
    lenient = False
    while True:
        try:
            async for changes in awatch(
                *existing,
                watch_filter=watch_filter,
                debounce=debounce_ms,
                step=step_ms,
                stop_event=stop_event,
                force_polling=polling,
                poll_delay_ms=poll_delay_ms,
                # watchfiles ignores *every* error adding a watch when asked to ignore denied
                # permissions: the OS watch limit would then leave directories unwatched,
                # silently. Only after a permission error is known is it ignored.
                ignore_permission_denied=polling or lenient,
            ):
                paths = frozenset(Path(path) for _, path in changes)
                if paths:
                    yield ChangeBatch(paths)
            return
        except PermissionError:
            if polling or lenient:
                raise WatchUnavailable("cannot watch the transcripts: permission denied") from None
            lenient = True  # an unreadable directory: watch the others natively
        except (OSError, RuntimeError) as error:
            if polling:
                raise WatchUnavailable(f"cannot watch the transcripts: {error}") from error
            polling = True
            yield ChangeBatch(
                frozenset(),
                notice=(
                    f"live mode: file notifications unavailable ({_reason(error)}); "
                    f"polling every {poll_delay_ms / 1000:g} s"
                ),
                resync=True,
            )


def _reason(error: BaseException) -> str:
    """watchfiles' message without the Rust debug dump it appends."""
    text = str(error)
    return text.split(" (Error {", 1)[0].rstrip(". ") or type(error).__name__
