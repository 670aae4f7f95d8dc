"""Live benchmark of the real front ends: append → screen latency of ``tokentree live`` (or the
explorer) in a pseudo-terminal or a real tmux pane, idle CPU, memory over a long run of
appends, and ``tokentree statusline`` warm timings beside ``python -c pass`` in the same run.

    python -m bench.live_pane [--home DIR | --corpus DIR] [--ui live|explorer]
        [--term pty|tmux] [--cold] [--appends 20] [--idle 30] [--long SECONDS]
        [--runs 20] [--json FILE]

* **data**: ``--home`` is a home directory holding ``.claude`` (``/work/corpus1g``),
  ``--corpus`` a Claude Code tree (``bench/out/corpus/.claude``); default: the embedded demo.
  The app runs with ``HOME`` and ``CLAUDE_CONFIG_DIR`` pointing at an *overlay* of it in a temp
  directory (every transcript hard-linked, or copied across file systems) and a fresh
  ``XDG_CACHE_HOME``; the calls are appended to a new session file of the overlay, so the
  corpus is never written to. The cache is warmed by ``tokentree export`` first (``--cold``:
  the app itself reads the history cold).
* **append → screen**: each round appends one call, with a unique tool name, to the new
  session (the most recently active one) and measures until that name is drawn: the watcher's
  quiet period, the refresh, the re-read and the repaint. ``live``: a 50×30 pane following
  the session; ``explorer``: 120×40, sorted newest first and opened down to the session's
  turn, whose calls are listed.
* **terminal**: ``pty`` (a pseudo-terminal read directly) or ``tmux`` (the app in a real tmux
  pane; its output is followed through ``pipe-pane``).
* **idle CPU**: user + system CPU seconds of the app's process over ``--idle`` seconds without
  changes, as a share of one core, measured from ``SETTLE`` seconds after the last append was
  drawn (the work a change leaves behind — the summary, the activity mix, a repaint — is the
  change's, not idling).
* **long run**: ``--long`` seconds of appends at 10 per second; the app's RSS and CPU sampled
  every 10 s, the RSS slope fitted over the second half, and one more append → screen at the
  end.
* **statusline**: the console script with Claude Code's hook JSON on stdin (the followed
  session and its transcript), ``--runs`` times, interleaved with ``python -c pass``.

Numbers are informational (a shared machine is noisy; the load average is recorded); nothing
here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.live_bench import slope_mb_per_min
from bench.ui_bench import ANSI, KEYS, Terminal, environment, summary

REPO = Path(__file__).resolve().parent.parent
SESSION = "bench-live-pane-session"
DRAW_TIMEOUT = 30.0
SETTLE = 2.0
"""Seconds after the last append before idle CPU is measured (its follow-up work ends within
≈ 0.6 s: the summary 0.3 s after the refresh, then its repaint)."""


def tokentree() -> str:
    local = Path(sys.executable).parent / "tokentree"
    return str(local) if local.exists() else (shutil.which("tokentree") or "tokentree")


def corpus_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*.jsonl"))


# ----------------------------------------------------------------------------- the data


def overlay(source: Path, target: Path) -> None:
    """``target`` mirrors ``source``: directories made, files hard-linked (copied when links
    are impossible). Nothing is ever written through the links: only new files are."""
    for path in sorted(source.rglob("*")):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest)
        except OSError:
            shutil.copy2(path, dest)


def prepare(home: Path | None, corpus: Path | None, work: Path) -> tuple[Path, Path]:
    """The overlay home and the new transcript appended to (one prompt and one call in it)."""
    from tokentree.data.workspace import demo_root

    if home is not None:
        claude = home / ".claude"
    elif corpus is not None:
        claude = corpus
    else:
        claude = demo_root() / "claude"
    overlay_home = work / "home"
    overlay(claude / "projects", overlay_home / ".claude" / "projects")
    projects = overlay_home / ".claude" / "projects"
    project = next(p for p in sorted(projects.iterdir()) if p.is_dir())
    transcript = project / f"{SESSION}.jsonl"
    write_line(transcript, prompt_line())
    append(transcript, "msg_bench_0", "Read")
    return overlay_home, transcript


def stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def prompt_line() -> dict[str, Any]:
    return {
        "type": "user",
        "uuid": f"uuid-prompt-{uuid.uuid4().hex[:8]}",
        "parentUuid": None,
        "sessionId": SESSION,
        "isSidechain": False,
        "userType": "external",
        "timestamp": stamp(),
        "cwd": "/home/bench/live-pane",
        "message": {"role": "user", "content": "benchmark: watch the calls arrive"},
    }


def write_line(path: Path, record: dict[str, Any]) -> int:
    text = json.dumps(record, separators=(",", ":")) + "\n"
    with path.open("a") as handle:
        handle.write(text)
    return len(text)


def append(path: Path, message_id: str, tool: str) -> int:
    """One assistant call now, with ``tool`` as its only tool; returns the bytes written."""
    record = {
        "type": "assistant",
        "uuid": f"uuid-{message_id}",
        "sessionId": SESSION,
        "isSidechain": False,
        "timestamp": stamp(),
        "cwd": "/home/bench/live-pane",
        "requestId": f"req_{message_id}",
        "message": {
            "id": message_id,
            "model": "claude-sonnet-4-6",
            "role": "assistant",
            "content": [{"type": "tool_use", "id": f"toolu_{message_id}", "name": tool}],
            "usage": {
                "input_tokens": 3,
                "output_tokens": 120,
                "cache_read_input_tokens": 20_000,
                "cache_creation_input_tokens": 500,
            },
        },
    }
    return write_line(path, record)


# ----------------------------------------------------------------------------- terminals


class TmuxTerminal:
    """The app in a detached tmux session; what it draws is followed through ``pipe-pane``
    (the bytes tmux receives from it), the screen read with ``capture-pane``."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int], work: Path):
        self.name = f"tokentree-bench-{uuid.uuid4().hex[:8]}"
        self.log = work / f"{self.name}.out"
        self.log.touch()
        env = {**env, "TERM": "tmux-256color"}
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        command = f"exec env -i {exports} {' '.join(args)}"
        width, height = (str(n) for n in size)
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", width, "-y", height, command],
            check=True,
        )
        subprocess.run(
            ["tmux", "pipe-pane", "-o", "-t", self.name, f"cat >> {self.log}"], check=True
        )
        self.pid = int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}"))
        self.handle = self.log.open("rb")
        self.raw = ""

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout

    @property
    def screen(self) -> str:
        return ANSI.sub("", self.raw)

    def clear(self) -> None:
        self.raw = ""

    def read(self, timeout: float) -> bytes:
        deadline = time.perf_counter() + timeout
        while True:
            data = self.handle.read()
            if data:
                self.raw += data.decode("utf-8", "replace")
                return data
            if time.perf_counter() >= deadline:
                return b""
            time.sleep(0.002)

    def wait_for(self, pattern: str, timeout: float = 60.0) -> None:
        deadline = time.perf_counter() + timeout
        regex = re.compile(pattern)
        while not regex.search(self.screen) and not regex.search(self.capture()):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{pattern!r} did not appear")
            self.read(0.05)

    def capture(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def drain(self) -> None:
        while self.read(0.04):
            pass

    def send(self, key: str) -> None:
        names = {"enter": "Enter", "end": "End", "home": "Home"}
        self._tmux("send-keys", "-t", self.name, names.get(key, key))

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def quit(self) -> int:
        self.send("q")
        deadline = time.perf_counter() + 180
        while time.perf_counter() < deadline and Path(f"/proc/{self.pid}").exists():
            time.sleep(0.05)
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
        return 0 if not Path(f"/proc/{self.pid}").exists() else -1


def quit_app(term: Any, timeout: float = 180.0) -> tuple[int, float]:
    """``q``, then wait for the process (it saves what live mode read first): exit code and
    seconds taken."""
    if isinstance(term, TmuxTerminal):
        started = time.perf_counter()
        return term.quit(), time.perf_counter() - started
    started = time.perf_counter()
    os.write(term.fd, b"q")
    while time.perf_counter() - started < timeout:
        term.read(0.05)
        if len(term.raw) > 1 << 20:
            term.clear()
        pid, status = os.waitpid(term.pid, os.WNOHANG)
        if pid:
            return os.waitstatus_to_exitcode(status), time.perf_counter() - started
    os.kill(term.pid, 9)
    os.waitpid(term.pid, 0)
    return -9, time.perf_counter() - started


def send_key(term: Any, key: str) -> None:
    if isinstance(term, TmuxTerminal):
        term.send(key)
    else:
        os.write(term.fd, KEYS.get(key, key.encode()))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else 0.0


# ----------------------------------------------------------------------------- the runs


def start_app(ui: str, term_kind: str, env: dict[str, str], work: Path) -> Any:
    size = (50, 30) if ui == "live" else (120, 40)
    args = [tokentree(), "live"] if ui == "live" else [tokentree()]
    if term_kind == "tmux":
        term: Any = TmuxTerminal(args, env, size, work)
    else:
        term = Terminal(args, env, size=size)
    if ui == "live":
        term.wait_for(r"bench-li|live-pane", timeout=1800)
        term.wait_for("●", timeout=120)
        return term
    term.wait_for(r"\d{4}-W\d\d|W\d\d", timeout=1800)  # the weeks are listed
    time.sleep(1.0)
    # newest first (the cursor keeps its row when sorting: back to the top), down to calls
    for key in ("t", "t", "home", "enter", "home", "enter", "home", "enter", "home", "enter"):
        send_key(term, key)
        quiet(term)
    term.wait_for("Read", timeout=60)  # the session's first call is listed
    return term


def quiet(term: Any, first: float = 10.0, gap: float = 0.4) -> None:
    """Wait for the app's answer to a key: some output, then none for ``gap`` seconds."""
    if term.read(first):
        while term.read(gap):
            pass


def append_to_screen(term: Any, transcript: Path, first: int, count: int) -> list[float]:
    latencies = []
    for index in range(first, first + count):
        time.sleep(1.5)
        term.drain()
        term.clear()
        tool = f"Tool{index:04d}x"
        start = time.perf_counter()
        append(transcript, f"msg_bench_{index}", tool)
        deadline = start + DRAW_TIMEOUT
        while tool not in term.screen and time.perf_counter() < deadline:
            term.read(0.002)
        latencies.append(time.perf_counter() - start)
    return latencies


def idle_cpu(term: Any, seconds: float) -> float:
    settled = time.perf_counter() + SETTLE
    while time.perf_counter() < settled:
        term.read(0.2)
    term.drain()
    before, started = cpu_seconds(term.pid), time.perf_counter()
    end = started + seconds
    while time.perf_counter() < end:
        term.read(0.2)
        if len(term.raw) > 1 << 20:
            term.clear()
    return (cpu_seconds(term.pid) - before) / (time.perf_counter() - started)


def long_run(term: Any, transcript: Path, seconds: float, first: int) -> dict[str, Any]:
    """Appends at 10 per second for ``seconds``; RSS and CPU every 10 s."""
    samples: list[tuple[float, float]] = [(0.0, term.rss_mb())]
    cpu: list[tuple[float, float]] = [(0.0, cpu_seconds(term.pid))]
    begin = time.perf_counter()
    index, next_sample, appended = first, begin + 10, 0
    while time.perf_counter() - begin < seconds:
        tick = time.perf_counter()
        appended += append(transcript, f"msg_bench_{index}", "Edit")
        index += 1
        term.read(0.0)
        if len(term.raw) > 1 << 20:
            term.clear()
        if tick >= next_sample:
            elapsed = round(tick - begin, 1)
            samples.append((elapsed, round(term.rss_mb(), 1)))
            cpu.append((elapsed, round(cpu_seconds(term.pid), 2)))
            next_sample += 10
        time.sleep(max(0.0, 0.1 - (time.perf_counter() - tick)))
    final = append_to_screen(term, transcript, index, 3)
    cpu_share = (cpu[-1][1] - cpu[0][1]) / max(cpu[-1][0], 1e-9)
    return {
        "seconds": round(time.perf_counter() - begin, 1),
        "appends": index - first,
        "appended_bytes": appended,
        "rss_mb": samples,
        "rss_start_mb": samples[0][1],
        "rss_max_mb": max(s[1] for s in samples),
        "rss_end_mb": samples[-1][1],
        "rss_slope_second_half_mb_per_min": round(slope_mb_per_min(samples), 3),
        "cpu_share_of_a_core": round(cpu_share, 3),
        "append_to_screen_after_s": final,
        "next_index": index + 3,
    }


def statusline_runs(transcript: Path, env: dict[str, str], runs: int):
    hook = json.dumps(
        {
            "session_id": SESSION,
            "transcript_path": str(transcript),
            "cost": {"total_cost_usd": 0.1},
            "rate_limits": {
                "five_hour": {"used_percentage": 12.0, "resets_at": time.time() + 3600}
            },
        }
    )
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "tokentree statusline": [tokentree(), "statusline"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    line = ""
    for _ in range(runs + 1):  # the first round warms the page cache and the tail memo
        for name, command in commands.items():
            start = time.perf_counter()
            result = subprocess.run(command, input=hook, capture_output=True, text=True, env=env)
            times[name].append(time.perf_counter() - start)
            if name != "python -c pass":
                line = result.stdout.strip()
    return {name: values[1:] for name, values in times.items()}, line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--home", type=Path, help="a home directory holding .claude")
    data.add_argument("--corpus", type=Path, help="a Claude Code tree (.claude)")
    parser.add_argument("--ui", choices=("live", "explorer"), default="live")
    parser.add_argument("--term", choices=("pty", "tmux"), default="pty")
    parser.add_argument("--cold", action="store_true", help="no cache warm-up before the app")
    parser.add_argument("--appends", type=int, default=20)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--long", type=float, default=0.0, help="seconds of appends at 10/s")
    parser.add_argument("--runs", type=int, default=20, help="statusline runs (0: none)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tokentree-live-bench-") as tmp:
        work = Path(tmp)
        home, transcript = prepare(args.home, args.corpus, work)
        env = environment(work / "cache", home)
        env["CLAUDE_CONFIG_DIR"] = str(home / ".claude")
        env["XDG_STATE_HOME"] = str(work / "state")
        size = corpus_size(home / ".claude")
        print(f"corpus: {size / 1e6:.1f} MB of .jsonl; ui {args.ui} in {args.term}")
        results: dict[str, Any] = {
            "corpus_bytes": size,
            "ui": args.ui,
            "term": args.term,
            "load_before": os.getloadavg(),
        }
        if not args.cold:
            started = time.perf_counter()
            warm = subprocess.run(
                [tokentree(), "export", "--json", "--level", "day"], env=env, capture_output=True
            )
            assert warm.returncode == 0, warm.stderr
            results["cache_warm_up_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        term = start_app(args.ui, args.term, env, work)
        results["ready_s"] = round(time.perf_counter() - started, 1)
        time.sleep(5.0)  # live mode starts; a cached history is copied into memory
        latencies = append_to_screen(term, transcript, 1, args.appends)
        results["append_to_screen_s"] = latencies
        results["load_after_appends"] = os.getloadavg()
        print(f"{args.ui}, append → screen: {summary(latencies)}  load {os.getloadavg()}")
        if args.idle:
            share = results["idle_cpu_share"] = idle_cpu(term, args.idle)
            print(f"idle CPU over {args.idle:.0f} s: {share * 100:.2f} % of a core")
        if args.long:
            run = results["long"] = long_run(term, transcript, args.long, args.appends + 1)
            print(
                f"long run: {run['appends']} appends in {run['seconds']} s; RSS "
                f"{run['rss_start_mb']} → {run['rss_end_mb']} MB (max {run['rss_max_mb']}), "
                f"slope over the second half {run['rss_slope_second_half_mb_per_min']} MB/min; "
                f"CPU {run['cpu_share_of_a_core'] * 100:.1f} % of a core; append → screen after: "
                f"{summary(run['append_to_screen_after_s'])}"
            )
        results["rss_mb"] = term.rss_mb()
        results["exit_code"], results["exit_s"] = quit_app(term)
        print(
            f"RSS {results['rss_mb']:.0f} MB; exit code {results['exit_code']} after "
            f"{results['exit_s']:.1f} s (saving the cache)"
        )
        if args.runs:
            times, line = statusline_runs(transcript, env, args.runs)
            results["statusline"] = {"times_s": times, "line": line}
            for name, values in times.items():
                print(f"{name:>22}: {summary(values)}")
            ratio = statistics.median(times["tokentree statusline"]) / statistics.median(
                times["python -c pass"]
            )
            print(f"statusline / python start-up (medians): {ratio:.1f}x   line: {line}")
        results["load_after"] = os.getloadavg()
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
