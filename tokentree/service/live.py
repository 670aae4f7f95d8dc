"""Live mode's loop: the watcher's change batches handed to the refresh controller.

Runs as one asyncio task per data set (a front end starts it when the controller asks to
start watching, and sets ``stop`` to end it). The watcher itself is
:func:`tokentree.watch.watch_logs`, looked up when the loop starts so tests can replace it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tokentree.service.refresh import RefreshController


async def follow_logs(
    roots: Iterable[Path | tuple[Path, bool]],
    accept: Callable[[str], bool],
    controller: RefreshController,
    generation: int,
    stop: Any,
    replan: Callable[[], Iterable[Path | tuple[Path, bool]]] | None = None,
) -> None:
    """Feed batches of changed log files under ``roots`` (a workspace's ``watch_targets``;
    those ``accept`` takes: its ``watches``) to ``controller`` until ``stop`` (an
    ``asyncio.Event``) is set; report fallbacks to polling and the end of watching.
    ``replan``: the watch plan now, when a new directory may need watching."""
    from tokentree import watch

    batches = watch.watch_logs(list(roots), accept=accept, replan=replan, stop_event=stop)
    try:
        async for batch in batches:
            if batch.notice:
                controller.watch_notice(batch.notice, generation)
            if batch.resync:
                controller.resync(generation)
            if batch.paths:
                controller.files_changed(batch.paths, generation)
    except watch.WatchUnavailable as error:
        controller.watch_ended(generation, str(error))
        return
    if not stop.is_set():  # the watcher returned by itself: no transcript directory exists
        controller.watch_ended(generation)
