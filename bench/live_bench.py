"""Live-mode benchmark: from an appended assistant line to updated derived tables and re-read
explorer rows, with the real watcher, headless (no Textual), in this process.

    python -m bench.live_bench --corpus /work/corpus1g [--appends 30] [--lines 1]
        [--long 600] [--idle 60] [--json FILE]

The corpus (``python -m bench.corpus OUT ...``) is never written to: an *overlay* of it is made
under ``--work`` (every file hard-linked, or symlinked across file systems) in which one main
session file is a real copy; lines are appended to that copy. The first run of an overlay reads
it cold (its own cache); later runs start warm, as a user's explorer does.

What it measures, with a :class:`~tokentree.service.refresh.RefreshController` and
:func:`tokentree.service.live.follow_logs` (the explorer's live loop) whose refreshes run in a
worker thread like the explorer's:

* **latency**: for every appended line (``--appends`` of them, 1–10 per second; one that comes
  within ``Backend.live_gap`` of the last refresh's end waits for it, by design), the time from
  the write to (a) the refresh that read it returning — the derived tables (calls, priced,
  turns) are current then — (b) ``Backend.children`` of the day having re-read its rows (the
  session's call count includes the line), (c) the activity column of that day re-read;
* **CPU per refresh** (process CPU seconds) against the bytes it read (``--lines`` per append
  sets the appended size);
* **idle CPU** with the watcher running and nothing written (``--idle`` seconds);
* **memory** over a long run of appends at 10 per second (``--long`` seconds), sampled every
  10 s: RSS, and what DuckDB says it holds (``duckdb_memory()``); the RSS slope over the second
  half of the run (MB/min) is the figure that should be near zero (a constant rate of appends
  adds a few kilobytes of rows per call).

Numbers are informational (the machine is shared); nothing here is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tokentree.data.workspace import Options
from tokentree.service.backend import Backend
from tokentree.service.live import follow_logs
from tokentree.service.refresh import LiveState, Reason, RefreshController, Ticket

# ----------------------------------------------------------------------------- the overlay


def make_overlay(corpus: Path, work: Path) -> tuple[Path, Path]:
    """``work/projects``: the corpus's transcripts linked, one session file copied (the one to
    append to: a main session of 0.2–5 MB whose last line is earliest in its day). Returns
    (root, session file)."""
    source = corpus / ".claude" / "projects"
    root = work / "projects"
    marker = work / "session.txt"
    if marker.exists():
        return root, Path(marker.read_text().strip())
    session = _pick_session(source)
    for path in sorted(source.rglob("*")):
        target = root / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path == session:
            target.write_bytes(path.read_bytes())
        else:
            try:
                os.link(path, target)
            except OSError:
                target.symlink_to(path)
    copied = root / session.relative_to(source)
    marker.write_text(str(copied))
    return root, copied


def _pick_session(source: Path) -> Path:
    best: tuple[float, Path] | None = None
    for path in source.glob("*/*.jsonl"):
        size = path.stat().st_size
        if not 200_000 <= size <= 5_000_000:
            continue
        last = _last_assistant(path)
        if last is None:
            continue
        ts = _parse_ts(last["timestamp"])
        seconds = ts.hour * 3600 + ts.minute * 60 + ts.second
        if seconds < 20 * 3600 and (best is None or seconds < best[0]):
            best = (seconds, path)
    if best is None:
        raise SystemExit("no suitable session file in the corpus")
    return best[1]


def _last_assistant(path: Path) -> dict[str, Any] | None:
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - 400_000))
        lines = handle.read().splitlines()
    for raw in reversed(lines):
        if b'"type":"assistant"' in raw and b'"usage"' in raw:
            try:
                return json.loads(raw)
            except ValueError:
                continue
    return None


def _parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Appender:
    """Appends copies of the session's last assistant call, each a new call."""

    def __init__(self, session: Path) -> None:
        self.session = session
        template = _last_assistant(session)
        assert template is not None
        self.template = template
        self.start = _parse_ts(template["timestamp"])
        self.count = 0

    @property
    def session_id(self) -> str:
        return str(self.template["sessionId"])

    def day(self) -> str:
        return self.start.date().isoformat()

    def line(self) -> str:
        self.count += 1
        n = self.count
        line = json.loads(json.dumps(self.template))
        moment = self.start + timedelta(milliseconds=100 * n)
        line["timestamp"] = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        line["uuid"] = f"live-bench-{os.getpid()}-{n:06d}-{line['uuid'][24:]}"
        line["requestId"] = f"req_live_{os.getpid()}_{n:06d}"
        line["message"]["id"] = f"msg_live_{os.getpid()}_{n:06d}"
        line["message"]["usage"]["output_tokens"] = 1000 + n
        return json.dumps(line, separators=(",", ":")) + "\n"

    def append(self, lines: int = 1) -> int:
        text = "".join(self.line() for _ in range(lines))
        with open(self.session, "a", encoding="utf-8") as handle:
            handle.write(text)
        return len(text.encode())


# ----------------------------------------------------------------------------- the harness


@dataclass
class Refresh:
    started: float
    refreshed: float
    rows: float
    activity: float
    cpu: float
    bytes_read: int
    calls: int


@dataclass
class Harness:
    """The explorer's refresh loop without Textual: the controller's hooks."""

    backend: Backend
    appender: Appender
    loop: asyncio.AbstractEventLoop
    week: str = ""
    refreshes: list[Refresh] = field(default_factory=list)
    base_calls: int | None = None
    watching: asyncio.Event = field(default_factory=asyncio.Event)
    notices: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.controller = RefreshController(self)
        self.preparing: threading.Thread | None = None
        self.stop = asyncio.Event()
        self.done_event = threading.Event()

    # hooks
    def run_refresh(self, ticket: Ticket) -> None:
        threading.Thread(target=self._refresh, args=(ticket,), daemon=True).start()

    def start_watching(self, generation: int) -> None:
        self.loop.call_soon_threadsafe(self._start_watch, generation)

    def _start_watch(self, generation: int) -> None:
        self.preparing = threading.Thread(target=self.backend.prepare_for_changes, daemon=True)
        self.preparing.start()  # as the explorer does when live mode starts
        self.loop.create_task(
            follow_logs(
                self.backend.watch_targets(),
                self.backend.watches,
                self.controller,
                generation,
                self.stop,
                self.backend.watch_targets,
            )
        )
        self.loop.call_later(0.5, self.watching.set)

    def stop_watching(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)

    def live_changed(self, state: LiveState, notice: str | None) -> None:
        if notice:
            self.notices.append(notice)

    # the worker
    def _refresh(self, ticket: Ticket) -> None:
        cpu = time.process_time()
        started = time.perf_counter()
        report = self.backend.refresh(None, ticket.paths)
        refreshed = time.perf_counter()
        path = (self.week, self.appender.day())
        nodes = self.backend.children(path)
        rows = time.perf_counter()
        self.backend.activity(path)
        activity = time.perf_counter()
        calls = next((n.totals.calls for n in nodes if n.id == self.appender.session_id), 0)
        if ticket.reason is not Reason.LIVE:
            self.base_calls = calls
        else:
            self.refreshes.append(
                Refresh(
                    started,
                    refreshed,
                    rows,
                    activity,
                    time.process_time() - cpu,
                    report.bytes_read,
                    calls,
                )
            )
        self.controller.done(ticket)
        self.done_event.set()


def _week_of(day: str) -> str:
    return datetime.fromisoformat(day).strftime("%G-W%V")


async def run_appends(
    harness: Harness, count: int, lines: int, interval: tuple[float, float], rng: random.Random
) -> list[tuple[int, float, int]]:
    """Append ``count`` times (``lines`` calls each); returns (calls after, time, bytes)."""
    written: list[tuple[int, float, int]] = []
    for _ in range(count):
        await asyncio.sleep(rng.uniform(*interval))
        start = time.perf_counter()
        size = harness.appender.append(lines)
        written.append((harness.appender.count, start, size))
    return written


def latencies(harness: Harness, written: list[tuple[int, float, int]]) -> dict[str, list[float]]:
    """For each append: seconds until the first refresh whose rows include it."""
    result: dict[str, list[float]] = {"refreshed": [], "rows": [], "activity": []}
    base = harness.base_calls or 0
    for calls_after, moment, _ in written:
        match = next(
            (r for r in harness.refreshes if r.calls - base >= calls_after and r.rows > moment),
            None,
        )
        if match is None:
            continue
        result["refreshed"].append(match.refreshed - moment)
        result["rows"].append(match.rows - moment)
        result["activity"].append(match.activity - moment)
    return result


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def duckdb_mb(backend: Backend) -> float:
    """What DuckDB holds (tables, buffers), by its own count."""
    cursor = backend.workspace.store.cursor()
    (total,) = cursor.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()
    return round((total or 0) / 1e6, 1)


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of ``(seconds, MB)`` samples over the second half of the run."""
    half = [s for s in samples if s[0] >= samples[-1][0] / 2]
    if len(half) < 2:
        return 0.0
    xs, ys = [s[0] / 60 for s in half], [s[1] for s in half]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values) * 1000, 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))] * 1000, 1),
        "min_ms": round(ordered[0] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    root, session = make_overlay(args.corpus, args.work)
    os.environ["XDG_CACHE_HOME"] = str(args.work / "cache")
    appender = Appender(session)
    backend = Backend(Options(roots=[root], tz="UTC"))
    loop = asyncio.get_running_loop()
    harness = Harness(backend, appender, loop, week=_week_of(appender.day()))
    started = time.perf_counter()
    harness.controller.request(Reason.INITIAL)
    await asyncio.wait_for(harness.watching.wait(), 900)
    first = time.perf_counter() - started
    backend.save_cache()
    if harness.preparing is not None:  # a cached history copied into memory
        await asyncio.to_thread(harness.preparing.join)
    prepared = time.perf_counter() - started - first
    result: dict[str, Any] = {
        "corpus": str(args.corpus),
        "session": str(session),
        "session_bytes": session.stat().st_size,
        "first_read_s": round(first, 2),
        "prepare_s": round(prepared, 2),
        "cache": backend.workspace.last_report.cache_status
        if backend.workspace.last_report
        else "",
        "load": os.getloadavg(),
    }
    rng = random.Random(1)
    await asyncio.sleep(1.0)

    # latency and CPU per refresh
    written = await run_appends(harness, args.appends, args.lines, (0.1, 1.0), rng)
    await asyncio.sleep(2.0)
    found = latencies(harness, written)
    result["append_bytes"] = statistics.median(size for _, _, size in written)
    result["latency"] = {name: summary(values) for name, values in found.items()}
    result["refreshes"] = len(harness.refreshes)
    live = harness.refreshes[1:] or harness.refreshes
    result["cpu_per_refresh_s"] = round(statistics.median(r.cpu for r in live), 4)
    result["bytes_per_refresh"] = statistics.median(r.bytes_read for r in live)
    result["refresh_ms"] = summary([r.refreshed - r.started for r in live])
    result["children_ms"] = summary([r.rows - r.refreshed for r in live])
    result["activity_ms"] = summary([r.activity - r.rows for r in live])

    # idle CPU
    if args.idle:
        await asyncio.sleep(2.0)
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.sleep(args.idle)
        result["idle_cpu_percent"] = round(
            100 * (time.process_time() - cpu) / (time.perf_counter() - wall), 3
        )

    # RSS over a long run at 10 appends per second
    if args.long:
        samples: list[tuple[float, float]] = [(0.0, round(rss_mb(), 1))]
        duck: list[tuple[float, float]] = [(0.0, duckdb_mb(backend))]
        begin, cpu = time.perf_counter(), time.process_time()
        before, appended = len(harness.refreshes), appender.count
        while time.perf_counter() - begin < args.long:
            await run_appends(harness, 100, 1, (0.1, 0.1), rng)
            elapsed = round(time.perf_counter() - begin, 1)
            samples.append((elapsed, round(rss_mb(), 1)))
            duck.append((elapsed, duckdb_mb(backend)))
        wall = time.perf_counter() - begin
        result["rss_mb"] = samples
        result["duckdb_mb"] = duck
        result["long"] = {
            "seconds": round(wall, 1),
            "appends": appender.count - appended,
            "refreshes": len(harness.refreshes) - before,
            "rss_start_mb": samples[0][1],
            "rss_max_mb": max(s[1] for s in samples),
            "rss_end_mb": samples[-1][1],
            "rss_slope_second_half_mb_per_min": round(slope_mb_per_min(samples), 3),
            "duckdb_slope_second_half_mb_per_min": round(slope_mb_per_min(duck), 3),
            "cpu_share_of_a_core": round((time.process_time() - cpu) / wall, 3),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    result["notices"] = harness.notices
    harness.stop.set()
    await asyncio.sleep(0.3)
    backend.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a generated corpus (HOME)")
    parser.add_argument("--work", type=Path, help="overlay and cache (default: /tmp/...)")
    parser.add_argument("--appends", type=int, default=30)
    parser.add_argument("--lines", type=int, default=1, help="assistant lines per append")
    parser.add_argument("--idle", type=float, default=0.0, help="seconds of idle CPU sampling")
    parser.add_argument("--long", type=float, default=0.0, help="seconds of appends at 10/s")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.work = args.work or Path("/tmp") / f"tokentree-live-{args.corpus.name}"
    result = asyncio.run(main_async(args))
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
