"""Live pane and statusline benchmark: append → screen latency of ``tokentree live`` in a
50-column pseudo-terminal, its idle CPU, and ``tokentree statusline`` warm timings beside
``python -c pass`` measured in the same run.

    python -m bench.live_pane [--corpus DIR] [--appends 10] [--runs 20] [--idle 30] [--json FILE]

* **corpus**: a Claude Code tree (default: a copy of the embedded demo; ``bench/out/corpus/
  .claude`` after ``python -m bench.run``). It is copied when it is small, else appended to in
  place with calls in a new session file (deleted afterwards).
* **append → screen**: the live pane runs at 50×30 with a warm cache; each round appends one
  call with a unique tool name to the followed session and measures until that name is drawn
  (the watcher's quiet period, the refresh, the session re-read and the repaint).
* **idle CPU**: user + system CPU seconds of the pane's process over ``--idle`` seconds without
  changes, as a share of one core.
* **statusline**: the console script with Claude Code's hook JSON on stdin (the followed
  session and its transcript), ``--runs`` times, interleaved with ``python -c pass``.

Numbers are informational (a shared machine is noisy); nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.ui_bench import Terminal, environment, summary

REPO = Path(__file__).resolve().parent.parent
COPY_LIMIT = 200 * 1024 * 1024
"""Corpora up to this size are copied (appends never touch the original)."""


def tokentree() -> str:
    local = Path(sys.executable).parent / "tokentree"
    return str(local) if local.exists() else (shutil.which("tokentree") or "tokentree")


def corpus_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*.jsonl"))


def prepare(corpus: Path | None, work: Path) -> tuple[Path, Path]:
    """The root to read and the transcript to append to (a new session, the latest)."""
    from tokentree.data.workspace import demo_root

    source = corpus or demo_root() / "claude"
    if corpus is None or corpus_size(source) <= COPY_LIMIT:
        root = work / "claude"
        shutil.copytree(source, root)
    else:
        root = source
    project = next(p for p in sorted(root.rglob("*.jsonl")) if "subagents" not in p.parts).parent
    transcript = project / "bench-live-pane-session.jsonl"
    append(transcript, "msg_bench_0", "Read", session="bench-live-pane-session")
    return root, transcript


def append(path: Path, message_id: str, tool: str, session: str) -> None:
    """One assistant call now, with ``tool`` as its only tool."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    record = {
        "type": "assistant",
        "uuid": f"uuid-{message_id}",
        "sessionId": session,
        "isSidechain": False,
        "timestamp": now,
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
    with path.open("a") as handle:
        handle.write(json.dumps(record, separators=(",", ":")) + "\n")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def live_pane(root: Path, transcript: Path, env: dict[str, str], appends: int, idle: float):
    warm = subprocess.run(
        [tokentree(), "export", "--json", "--root", str(root), "--level", "day"],
        env=env,
        capture_output=True,
    )
    assert warm.returncode == 0, warm.stderr
    term = Terminal([tokentree(), "live", "--root", str(root)], env, size=(50, 30))
    term.wait_for(r"bench-li|live-pane", timeout=600)
    term.wait_for("●", timeout=60)
    latencies = []
    for index in range(1, appends + 1):
        time.sleep(1.5)
        term.drain()
        term.clear()
        tool = f"Tool{index:03d}x"
        start = time.perf_counter()
        append(transcript, f"msg_bench_{index}", tool, session="bench-live-pane-session")
        deadline = start + 30
        while tool not in term.screen and time.perf_counter() < deadline:
            term.read(0.005)
        latencies.append(time.perf_counter() - start)
    term.drain()
    before, started = cpu_seconds(term.pid), time.perf_counter()
    end = started + idle
    while time.perf_counter() < end:
        term.read(0.2)
    idle_share = (cpu_seconds(term.pid) - before) / (time.perf_counter() - started)
    rss = term.rss_mb()
    code = term.quit()
    return {
        "append_to_screen_s": latencies,
        "idle_cpu_share": idle_share,
        "rss_mb": rss,
        "exit_code": code,
    }


def statusline_runs(root: Path, transcript: Path, env: dict[str, str], runs: int):
    hook = json.dumps(
        {
            "session_id": "bench-live-pane-session",
            "transcript_path": str(transcript),
            "cost": {"total_cost_usd": 0.1},
            "rate_limits": {
                "five_hour": {"used_percentage": 12.0, "resets_at": time.time() + 3600}
            },
        }
    )
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "tokentree statusline": [tokentree(), "statusline", "--root", str(root)],
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
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--appends", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tokentree-live-bench-") as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        env = environment(work / "cache", work / "home")
        env["XDG_STATE_HOME"] = str(work / "state")
        root, transcript = prepare(args.corpus, work)
        try:
            size = corpus_size(root)
            print(f"corpus: {root} ({size / 1e6:.1f} MB of .jsonl)")
            results: dict[str, Any] = {"corpus_bytes": size}
            pane = results["live_pane"] = live_pane(root, transcript, env, args.appends, args.idle)
            print(f"live pane, append → screen: {summary(pane['append_to_screen_s'])}")
            print(
                f"live pane, idle CPU over {args.idle:.0f} s: {pane['idle_cpu_share'] * 100:.2f} %"
                f" of a core; RSS {pane['rss_mb']:.0f} MB; exit code {pane['exit_code']}"
            )
            times, line = statusline_runs(root, transcript, env, args.runs)
            results["statusline"] = {"times_s": times, "line": line}
            for name, values in times.items():
                print(f"{name:>22}: {summary(values)}")
            ratio = statistics.median(times["tokentree statusline"]) / statistics.median(
                times["python -c pass"]
            )
            print(f"statusline / python start-up (medians): {ratio:.1f}x   line: {line}")
            if args.json:
                args.json.write_text(json.dumps(results, indent=2))
        finally:
            if root != work / "claude":
                transcript.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
