"""When a data set is re-read, and whether live mode follows the logs: a headless state machine.

Rules it keeps:

* One refresh at a time. Requests made while one runs are coalesced into a single follow-up
  (the strongest reason wins, changed paths are united), which starts when it finishes.
* Live mode is ``on`` (following by notifications), ``polling`` (following by polling because
  notifications failed), ``paused`` (changes are collected, not applied) or ``off``. Resuming
  applies what was collected while paused, in one refresh.
* A replaced data set (the demo replacing an empty one) starts a new *generation*: results,
  watcher batches and completions of an older generation are ignored.

The controller does no work itself: it tells its :class:`RefreshHooks` to start a refresh, to
start or stop watching, and that the live state changed. Hooks are called on the thread that
called the controller, after its lock is released, so a hook may call back into it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Protocol


class Reason(StrEnum):
    """Why a refresh runs (a front end reports them differently)."""

    INITIAL = "initial"
    """The first read of a data set."""
    USER = "user"
    """The user asked (``r``)."""
    LIVE = "live"
    """The watcher saw transcripts change."""


_STRENGTH = {Reason.LIVE: 0, Reason.USER: 1, Reason.INITIAL: 2}
"""A coalesced request keeps the strongest reason (a user's ``r`` is still answered)."""


class LiveState(StrEnum):
    ON = "on"
    POLLING = "polling"
    PAUSED = "paused"
    OFF = "off"

    @property
    def following(self) -> bool:
        """Changes are applied as they come."""
        return self in (LiveState.ON, LiveState.POLLING)


@dataclass(frozen=True, slots=True)
class Ticket:
    """One refresh to run; report back with :meth:`RefreshController.done`."""

    generation: int
    reason: Reason
    paths: frozenset[Path] | None = None
    """The transcripts known to have changed; None when anything may have (a first read,
    ``r``, resuming after watching was off)."""

    def merged(self, reason: Reason, paths: frozenset[Path] | None) -> Ticket:
        strongest = max(self.reason, reason, key=_STRENGTH.__getitem__)
        united = None if self.paths is None or paths is None else self.paths | paths
        return replace(self, reason=strongest, paths=united)


class RefreshHooks(Protocol):
    """What the controller asks of its front end."""

    def run_refresh(self, ticket: Ticket) -> None:
        """Start reading (return at once; call ``done(ticket, ok)`` when finished)."""

    def start_watching(self, generation: int) -> None:
        """Start the watcher for the current data set; it reports to ``files_changed``,
        ``watch_notice`` and ``watch_ended`` with this generation."""

    def stop_watching(self) -> None:
        """Stop the watcher (a replaced data set, or live mode ends)."""

    def live_changed(self, state: LiveState, notice: str | None) -> None:
        """The live state changed; ``notice`` explains an unexpected change."""


class RefreshController:
    """Serialises refreshes and runs live mode for one front end (thread-safe)."""

    def __init__(self, hooks: RefreshHooks, *, follow: bool = True) -> None:
        self.hooks = hooks
        self.follow = follow
        """Start live mode after the first read (``--no-watch`` turns it off)."""
        self.generation = 0
        self._lock = threading.Lock()
        self._running: Ticket | None = None
        self._next: Ticket | None = None
        self._read_once = False
        """A read of the current data set succeeded (live mode starts after the first)."""
        self._live = LiveState.OFF
        self._watching = False
        self._polling = False
        self._paused_changes: Ticket | None = None
        """Changes seen while paused, as the refresh that will apply them."""

    # ------------------------------------------------------------------ state

    @property
    def live(self) -> LiveState:
        return self._live

    @property
    def busy(self) -> bool:
        """A refresh of the current data set is running."""
        return self._running is not None

    @property
    def pending_changes(self) -> bool:
        """Changes were seen while paused and wait for resuming."""
        return self._paused_changes is not None

    # ------------------------------------------------------------------ refreshes

    def request(self, reason: Reason = Reason.USER, paths: Iterable[Path] | None = None) -> None:
        """Refresh now, or once the running refresh finishes."""
        changed = None if paths is None else frozenset(paths)
        with self._lock:
            start = self._enqueue(reason, changed)
        if start is not None:
            self.hooks.run_refresh(start)

    def _enqueue(self, reason: Reason, paths: frozenset[Path] | None) -> Ticket | None:
        """Under the lock: the ticket to start now, or None (queued behind the running one)."""
        if self._running is None:
            self._running = Ticket(self.generation, reason, paths)
            return self._running
        if self._next is None:
            self._next = Ticket(self.generation, reason, paths)
        else:
            self._next = self._next.merged(reason, paths)
        return None

    def done(self, ticket: Ticket, ok: bool = True) -> bool:
        """A refresh finished (``ok``) or failed; returns whether its result belongs to the
        current data set (False: drop it). Starts the coalesced follow-up, and live mode after
        the first successful read (a failed first read is retried with ``r``)."""
        start_live = False
        with self._lock:
            if ticket.generation != self.generation or ticket is not self._running:
                return False
            self._running, follow_up = self._next, self._next
            self._next = None
            if ok and not self._read_once:
                self._read_once = True
                if self.follow and not self._watching:
                    start_live = self._watching = True
                    self._live = LiveState.ON
        if follow_up is not None:
            self.hooks.run_refresh(follow_up)
        if start_live:
            self.hooks.start_watching(ticket.generation)
            self.hooks.live_changed(LiveState.ON, None)
        return True

    def replace(self) -> int:
        """Another data set replaces the current one: stop watching and forget everything in
        flight. Returns the new generation (request its first read next)."""
        with self._lock:
            self.generation += 1
            self._running = self._next = self._paused_changes = None
            self._read_once = False
            was_watching, self._watching, self._polling = self._watching, False, False
            changed = self._live is not LiveState.OFF
            self._live = LiveState.OFF
        if was_watching:
            self.hooks.stop_watching()
        if changed:
            self.hooks.live_changed(LiveState.OFF, None)
        return self.generation

    # ------------------------------------------------------------------ live mode

    def files_changed(self, paths: Iterable[Path], generation: int | None = None) -> None:
        """The watcher saw ``paths`` change: refresh (coalesced), or remember them when
        paused; ignored when live mode is off or the batch is from an older generation."""
        changed = frozenset(paths)
        with self._lock:
            if generation not in (None, self.generation) or not changed:
                return
            if self._live is LiveState.PAUSED:
                held = self._paused_changes
                self._paused_changes = (
                    Ticket(self.generation, Reason.LIVE, changed)
                    if held is None
                    else held.merged(Reason.LIVE, changed)
                )
                return
            if not self._live.following:
                return
            start = self._enqueue(Reason.LIVE, changed)
        if start is not None:
            self.hooks.run_refresh(start)

    def resync(self, generation: int | None = None) -> None:
        """Changes may have been missed (the watcher changed mode): while following, read
        whatever changed (a walk); while paused, do so on resuming."""
        with self._lock:
            if generation not in (None, self.generation):
                return
            if self._live is LiveState.PAUSED:
                held = self._paused_changes
                self._paused_changes = (
                    Ticket(self.generation, Reason.LIVE, None)
                    if held is None
                    else held.merged(Reason.LIVE, None)
                )
                return
            if not self._live.following:
                return
            start = self._enqueue(Reason.LIVE, None)
        if start is not None:
            self.hooks.run_refresh(start)

    def watch_notice(self, notice: str, generation: int | None = None) -> None:
        """The watcher fell back to polling (``notice`` says why)."""
        with self._lock:
            if generation not in (None, self.generation) or not self._watching:
                return
            self._polling = True
            if self._live is LiveState.ON:
                self._live = LiveState.POLLING
            state = self._live
        self.hooks.live_changed(state, notice)

    def watch_ended(self, generation: int | None = None, error: str | None = None) -> None:
        """The watcher stopped by itself: nothing to watch, or ``error`` (it cannot watch)."""
        with self._lock:
            if generation not in (None, self.generation) or not self._watching:
                return
            self._watching = self._polling = False
            self._live = LiveState.OFF
            self._paused_changes = None
        self.hooks.live_changed(LiveState.OFF, f"{error}; live mode is off" if error else None)

    def toggle_pause(self) -> LiveState:
        """``p``: pause or resume following; starts live mode when it was off (and catches up
        with anything missed meanwhile). Returns the new state."""
        run: Ticket | None = None
        start_watch = False
        with self._lock:
            if self._live is LiveState.OFF:
                self._watching = start_watch = True
                self._live = LiveState.ON
                run = self._enqueue(Reason.LIVE, None)
            elif self._live is LiveState.PAUSED:
                self._live = LiveState.POLLING if self._polling else LiveState.ON
                held, self._paused_changes = self._paused_changes, None
                if held is not None:
                    run = self._enqueue(held.reason, held.paths)
            else:
                self._live = LiveState.PAUSED
            state, generation = self._live, self.generation
        if start_watch:
            self.hooks.start_watching(generation)
        self.hooks.live_changed(state, None)
        if run is not None:
            self.hooks.run_refresh(run)
        return state
