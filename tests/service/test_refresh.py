"""The refresh controller without any UI: one refresh at a time, coalescing, live states,
changes held while paused, generations; and the same rules under real threads."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tokentree.service.refresh import LiveState, Reason, RefreshController, Ticket

A, B, C = Path("a.jsonl"), Path("b.jsonl"), Path("c.jsonl")


class Recorder:
    """Hooks that remember what the controller asked for."""

    def __init__(self) -> None:
        self.started: list[Ticket] = []
        self.watching: list[int] = []
        self.stopped = 0
        self.states: list[tuple[LiveState, str | None]] = []

    def run_refresh(self, ticket: Ticket) -> None:
        self.started.append(ticket)

    def start_watching(self, generation: int) -> None:
        self.watching.append(generation)

    def stop_watching(self) -> None:
        self.stopped += 1

    def live_changed(self, state: LiveState, notice: str | None) -> None:
        self.states.append((state, notice))


def started_live() -> tuple[RefreshController, Recorder]:
    """A controller whose first read finished, live mode on."""
    hooks = Recorder()
    controller = RefreshController(hooks)
    controller.request(Reason.INITIAL)
    assert controller.done(hooks.started[-1])
    assert controller.live is LiveState.ON and hooks.watching == [0]
    return controller, hooks


def test_one_refresh_at_a_time_and_requests_coalesce() -> None:
    hooks = Recorder()
    controller = RefreshController(hooks, follow=False)
    controller.request(Reason.INITIAL)
    first = hooks.started[-1]
    assert controller.busy and first.reason is Reason.INITIAL and first.paths is None
    controller.files_changed([A])  # live mode is off: ignored
    controller.request(Reason.LIVE, [A])
    controller.request(Reason.USER)
    controller.request(Reason.LIVE, [B])
    assert len(hooks.started) == 1  # nothing started while the first runs
    assert controller.done(first)
    follow_up = hooks.started[-1]
    assert len(hooks.started) == 2
    assert follow_up.reason is Reason.USER  # the strongest reason: the user gets an answer
    assert follow_up.paths is None  # the user's request covers everything
    assert controller.done(follow_up)
    assert not controller.busy and len(hooks.started) == 2
    assert controller.live is LiveState.OFF and not hooks.watching  # follow=False


def test_changed_paths_are_united() -> None:
    controller, hooks = started_live()
    controller.files_changed([A])
    running = hooks.started[-1]
    assert running.reason is Reason.LIVE and running.paths == {A}
    controller.files_changed([B])
    controller.files_changed([C, A])
    controller.files_changed([])  # an empty batch changes nothing
    controller.done(running)
    assert hooks.started[-1].paths == {A, B, C}
    assert len(hooks.started) == 3


def test_live_mode_starts_after_the_first_successful_read() -> None:
    hooks = Recorder()
    controller = RefreshController(hooks)
    controller.request(Reason.INITIAL)
    assert controller.done(hooks.started[-1], ok=False)
    assert controller.live is LiveState.OFF and not hooks.watching
    controller.request(Reason.USER)  # the user tries again
    assert hooks.started[-1].reason is Reason.USER
    assert controller.done(hooks.started[-1])
    assert controller.live is LiveState.ON and hooks.watching == [0]
    controller.request(Reason.USER)
    controller.done(hooks.started[-1])
    assert hooks.watching == [0]  # started once


def test_pause_holds_changes_and_resume_applies_them_once() -> None:
    controller, hooks = started_live()
    assert controller.toggle_pause() is LiveState.PAUSED
    controller.files_changed([A])
    controller.files_changed([B])
    assert len(hooks.started) == 1 and controller.pending_changes
    assert controller.toggle_pause() is LiveState.ON
    assert hooks.started[-1].paths == {A, B} and hooks.started[-1].reason is Reason.LIVE
    assert not controller.pending_changes
    assert [state for state, _ in hooks.states] == [LiveState.ON, LiveState.PAUSED, LiveState.ON]


def test_resuming_without_changes_reads_nothing() -> None:
    controller, hooks = started_live()
    controller.toggle_pause()
    controller.toggle_pause()
    assert len(hooks.started) == 1


def test_polling_survives_a_pause() -> None:
    controller, hooks = started_live()
    controller.watch_notice("notifications unavailable; polling every 1 s", 0)
    assert controller.live is LiveState.POLLING
    assert hooks.states[-1] == (LiveState.POLLING, "notifications unavailable; polling every 1 s")
    controller.files_changed([A], 0)  # polling still follows
    assert hooks.started[-1].paths == {A}
    assert controller.toggle_pause() is LiveState.PAUSED
    assert controller.toggle_pause() is LiveState.POLLING


def test_watcher_failure_turns_live_mode_off_and_p_turns_it_back_on() -> None:
    controller, hooks = started_live()
    controller.watch_ended(0, "cannot watch: too many files")
    assert controller.live is LiveState.OFF
    assert hooks.states[-1] == (LiveState.OFF, "cannot watch: too many files; live mode is off")
    controller.files_changed([A], 0)
    assert len(hooks.started) == 1  # off: ignored
    assert controller.toggle_pause() is LiveState.ON
    assert hooks.watching == [0, 0]  # watching again
    catch_up = hooks.started[-1]
    assert catch_up.reason is Reason.LIVE and catch_up.paths is None  # whatever was missed


def test_nothing_to_watch_ends_quietly() -> None:
    controller, hooks = started_live()
    controller.watch_ended(0)
    assert hooks.states[-1] == (LiveState.OFF, None)


def test_a_replaced_data_set_ignores_the_old_one() -> None:
    controller, hooks = started_live()
    controller.files_changed([A], 0)
    old = hooks.started[-1]
    assert controller.replace() == 1
    assert hooks.stopped == 1 and controller.live is LiveState.OFF
    assert not controller.done(old)  # its result is dropped
    controller.files_changed([B], 0)  # a late batch of the old watcher
    controller.watch_notice("polling", 0)
    controller.watch_ended(0, "gone")
    assert len(hooks.started) == 2 and controller.live is LiveState.OFF
    controller.request(Reason.INITIAL)
    first = hooks.started[-1]
    assert first.generation == 1 and first.reason is Reason.INITIAL
    assert controller.done(first)
    assert controller.live is LiveState.ON and hooks.watching == [0, 1]


def test_replacing_while_a_refresh_runs_starts_the_new_one_at_once() -> None:
    hooks = Recorder()
    controller = RefreshController(hooks, follow=False)
    controller.request(Reason.INITIAL)
    controller.replace()
    controller.request(Reason.INITIAL)
    assert [t.generation for t in hooks.started] == [0, 1]
    assert not controller.done(hooks.started[0])  # the old one finishing changes nothing
    assert controller.busy


class ThreadedHooks(Recorder):
    """Runs each refresh in its own thread, as the explorer's workers do."""

    def __init__(self) -> None:
        super().__init__()
        self.controller: RefreshController | None = None
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def run_refresh(self, ticket: Ticket) -> None:
        super().run_refresh(ticket)
        thread = threading.Thread(target=self._work, args=(ticket,))
        self.threads.append(thread)
        thread.start()

    def _work(self, ticket: Ticket) -> None:
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(0.01)
        with self.lock:
            self.running -= 1
        assert self.controller is not None
        self.controller.done(ticket)


def test_many_threads_requesting_get_serialised_refreshes() -> None:
    hooks = ThreadedHooks()
    controller = RefreshController(hooks, follow=False)
    hooks.controller = controller

    def spam(index: int) -> None:
        for step in range(25):
            controller.request(Reason.LIVE, [Path(f"{index}-{step}.jsonl")])
            time.sleep(0.001)

    requesters = [threading.Thread(target=spam, args=(i,)) for i in range(4)]
    for thread in requesters:
        thread.start()
    for thread in requesters:
        thread.join()
    deadline = time.monotonic() + 10
    while controller.busy and time.monotonic() < deadline:
        time.sleep(0.01)
    for thread in list(hooks.threads):
        thread.join()
    assert not controller.busy
    assert hooks.most_at_once == 1
    assert 1 <= len(hooks.started) < 100  # bursts were coalesced
    seen = set().union(*(t.paths or set() for t in hooks.started))
    assert seen == {Path(f"{i}-{s}.jsonl") for i in range(4) for s in range(25)}


def test_a_resync_reads_everything_now_or_on_resuming() -> None:
    controller, hooks = started_live()
    controller.resync(generation=0)
    assert hooks.started[-1].reason is Reason.LIVE and hooks.started[-1].paths is None
    controller.files_changed([A], generation=0)  # after the walk: it may have read A before
    controller.done(hooks.started[-1])
    assert hooks.started[-1].paths == {A}
    controller.done(hooks.started[-1])
    controller.toggle_pause()
    controller.files_changed([B], generation=0)
    controller.resync(generation=0)
    controller.resync(generation=7)  # an older data set's watcher: ignored
    count = len(hooks.started)
    controller.toggle_pause()
    assert len(hooks.started) == count + 1 and hooks.started[-1].paths is None
