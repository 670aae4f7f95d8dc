"""Live mode's file watcher: debounced batches of changed log files.

An async generator over :func:`watchfiles.awatch` (imported lazily). It watches a plan of
directories, each with its whole tree or alone (:mod:`tokentree.data.read.watch_plan`: what
discovery walks, not the bulky trees it skips); watchfiles takes one mode per watcher, so a plan
with both runs two, merged. Only what the caller accepts (files a source reads, companions such as a
sqlite ``-wal``, directories that appear or vanish) is reported. A directory that appears inside
one watched alone makes it ask for a new plan: the new watchers start before the old ones stop,
and the new directory is reported again once they run. When the operating system refuses
native notifications (the inotify watch or instance limit, network or unsupported file
systems), at start or later, it falls back to polling and says so in the batch's ``notice``
(with ``resync``: what changed meanwhile must be looked for); when polling fails too it raises
:class:`WatchUnavailable` so the caller can turn live mode off instead of crashing.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEBOUNCE_MS = 300
"""A batch is delivered at the latest this long after its first change, even while changes
keep coming (the logs are streamed)."""
STEP_MS = 10
"""A batch is delivered once no change came for this long (watchfiles looks every step and
delivers when a look finds nothing new): it adds 10–20 ms to a change's way to the screen.
The watcher's thread wakes this often, ≈0.35 % of a core when idle (25 ms: ≈0.17 %, but
25–50 ms per change); writes closer together than a step are one batch, and batches that come
while a refresh runs are coalesced by the refresh controller."""
POLL_DELAY_MS = 1000
STOP_WAIT_S = 2.0
"""How long stopping waits for a watcher thread (it looks at its stop flag every step)."""

Target = tuple[Path, bool]
"""A directory to watch and whether its whole tree is watched."""


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    """Log files that changed together; or, with ``notice``, a change of watching mode."""

    paths: frozenset[Path]
    notice: str | None = None
    resync: bool = False
    """Changes may have been missed (watching changed mode): read everything that changed."""


class WatchUnavailable(Exception):
    """Neither notifications nor polling work for these roots."""


class _Stop:
    """The stop flag of one run of watchers: its own, or the caller's stop event. watchfiles
    sets it when its task is cancelled, which must not stop the caller's other runs."""

    def __init__(self, outer: Any) -> None:
        self.outer = outer
        self.own = threading.Event()

    def is_set(self) -> bool:
        return self.own.is_set() or (self.outer is not None and self.outer.is_set())

    def set(self) -> None:
        self.own.set()


@dataclass(eq=False)
class _Run:
    """One watcher per watching mode of a plan, each feeding the shared queue."""

    targets: tuple[Target, ...]
    stop: _Stop
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    running: int = 0

    @property
    def alone(self) -> set[Path]:
        return {path for path, tree in self.targets if not tree}


def existing_targets(roots: Iterable[Path | Target]) -> tuple[Target, ...]:
    """``roots`` as ``(directory, whole tree)`` pairs (a bare path: its whole tree), missing
    directories left out."""
    found: list[Target] = []
    for item in roots:
        target = (item, True) if isinstance(item, Path) else (Path(item[0]), bool(item[1]))
        if target[0].is_dir() and target not in found:
            found.append(target)
    return tuple(found)


async def watch_logs(
    roots: Iterable[Path | Target],
    *,
    accept: Callable[[str], bool],
    replan: Callable[[], Iterable[Path | Target]] | None = None,
    stop_event: Any = None,
    debounce_ms: int = DEBOUNCE_MS,
    step_ms: int = STEP_MS,
    force_polling: bool = False,
    poll_delay_ms: int = POLL_DELAY_MS,
    awatch: Callable[..., Any] | None = None,
) -> AsyncIterator[ChangeBatch]:
    """Yield batches of changed transcripts under the existing ``roots`` until ``stop_event``.

    Args:
        roots: directories to watch, with their whole tree (a path) or as planned (a
            ``(directory, whole tree)`` pair); missing ones are skipped; none left: returns at
            once.
        accept: which changed paths to report (a workspace's ``watches``).
        replan: the plan now (a workspace's ``watch_targets``), asked for when a directory
            appears inside one watched alone.
        stop_event: an ``asyncio.Event``/``anyio.Event`` that ends the generator when set.
        force_polling: poll from the start (``poll_delay_ms`` apart).
        awatch: the watch function (``watchfiles.awatch``; replaceable in tests).
    """
    targets = existing_targets(roots)
    if not targets:
        return
    if awatch is None:
        from watchfiles import awatch
    watch = awatch

    def watch_filter(_change: Any, path: str) -> bool:
        return accept(path)

    queue: asyncio.Queue[tuple[_Run, str, Any]] = asyncio.Queue()
    runs: list[_Run] = []
    polling = force_polling
    lenient = False

    def start(planned: tuple[Target, ...]) -> _Run:
        run = _Run(planned, _Stop(stop_event))
        for tree in (True, False):
            paths = [path for path, whole in planned if whole is tree]
            if not paths:
                continue
            changes = watch(
                *paths,
                watch_filter=watch_filter,
                debounce=debounce_ms,
                step=step_ms,
                stop_event=run.stop,
                force_polling=polling,
                poll_delay_ms=poll_delay_ms,
                recursive=tree,
                # watchfiles ignores *every* error adding a watch when asked to ignore denied
                # permissions: the OS watch limit would then leave directories unwatched,
                # silently. Only after a permission error is known is it ignored.
                ignore_permission_denied=polling or lenient,
            )
            run.tasks.append(asyncio.create_task(_pump(changes, run, queue)))
        run.running = len(run.tasks)
        runs.append(run)
        return run

    current = start(targets)
    try:
        while True:
            run, kind, payload = await queue.get()
            if kind == "changes":
                paths = frozenset(Path(path) for _, path in payload)
                if paths:
                    yield ChangeBatch(paths)
                grown = [p for p in paths if p.parent in current.alone and p.is_dir()]
                if run is current and grown and replan is not None:
                    planned = existing_targets(replan())
                    if set(planned) != set(current.targets):
                        previous, current = current, start(planned)
                        await asyncio.sleep(0)  # the new watchers are set up first
                        previous.stop.set()
                        yield ChangeBatch(frozenset(grown))
                continue
            if run is not current:
                continue  # a replaced run ending
            if kind == "done":
                run.running -= 1
                if run.running == 0:
                    return
                continue
            run.stop.set()
            if isinstance(payload, PermissionError):
                if polling or lenient:
                    raise WatchUnavailable("cannot watch the transcripts: permission denied")
                lenient = True  # an unreadable directory: watch the others natively
                current = start(run.targets)
            elif isinstance(payload, (OSError, RuntimeError)):
                if polling:
                    raise WatchUnavailable(f"cannot watch the transcripts: {payload}") from payload
                polling = True
                current = start(run.targets)
                yield ChangeBatch(
                    frozenset(),
                    notice=(
                        f"live mode: file notifications unavailable ({_reason(payload)}); "
                        f"polling every {poll_delay_ms / 1000:g} s"
                    ),
                    resync=True,
                )
            else:
                raise payload
    finally:
        await _stop_all(runs)


async def _pump(changes: Any, run: _Run, queue: asyncio.Queue[tuple[_Run, str, Any]]) -> None:
    try:
        async for found in changes:
            queue.put_nowait((run, "changes", found))
    except Exception as error:  # handed to the generator, which decides
        queue.put_nowait((run, "error", error))
    else:
        queue.put_nowait((run, "done", None))


async def _stop_all(runs: list[_Run]) -> None:
    tasks = [task for run in runs for task in run.tasks if not task.done()]
    for run in runs:
        run.stop.set()
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=STOP_WAIT_S)
    for task in pending:
        task.cancel()


def _reason(error: BaseException) -> str:
    """watchfiles' message without the Rust debug dump it appends."""
    text = str(error)
    return text.split(" (Error {", 1)[0].rstrip(". ") or type(error).__name__
