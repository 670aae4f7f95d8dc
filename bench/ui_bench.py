"""Explorer benchmark: time to first frame, key-press latency at a 10,000-children level, and
memory while browsing. Runs the installed ``tokentree`` in a pseudo-terminal, like a user.

    python -m bench.ui_bench [--corpus bench/out/corpus/.claude] [--rounds 5] [--json FILE]

* **first frame**: from ``exec`` until the terminal shows the header (``All``), with a warm
  cache on the corpus; **root ready**: until the root level's totals (``… tok``) are drawn.
* **key latency**: a synthetic session with one turn of 10,000 calls is generated; the bench
  opens that level (week → day → session → turn) and, per key, measures from writing the key
  to the last byte of the redraw (output quiet for ``QUIET`` s, not counted).
* **memory**: VmRSS of the process sampled while browsing the corpus (in and out of many
  levels); reported as start / max / end.

Numbers are informational (a shared machine is noisy); nothing here is asserted.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import random
import re
import select
import shutil
import signal
import statistics
import struct
import tempfile
import termios
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / "bench" / "out" / "corpus" / ".claude"
QUIET = 0.04
"""Seconds without output that end a redraw."""
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b[()][A-Z0-9]|\x1b[=>]|\x1b\][^\x07]*\x07")
KEYS = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "end": b"\x1b[F",
    "home": b"\x1b[H",
    "enter": b"\r",
    "left": b"\x1b[D",
}


def tokentree_command() -> list[str]:
    exe = shutil.which("tokentree") or str(REPO / ".venv" / "bin" / "tokentree")
    return [exe]


class Terminal:
    """A process in a pseudo-terminal of a fixed size."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (120, 40)):
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            cols, rows = size
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(args[0], args, env)
        self.pid, self.fd = pid, fd
        self.raw = ""

    @property
    def screen(self) -> str:
        """The text written so far (escape sequences removed)."""
        return ANSI.sub("", self.raw)

    def clear(self) -> None:
        self.raw = ""

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return b""
        self.raw += data.decode("utf-8", "replace")
        return data

    def wait_for(self, pattern: str, timeout: float = 60.0) -> float:
        """Seconds since start until ``pattern`` (a regex) appears in the text output."""
        deadline = time.perf_counter() + timeout
        regex = re.compile(pattern)
        while not regex.search(self.screen):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{pattern!r} did not appear")
            self.read(0.01)
        return time.perf_counter() - self.started

    def drain(self) -> None:
        while self.read(QUIET):
            pass

    def press(self, key: str) -> tuple[float, float]:
        """Latency of one key: (first output of the redraw, last byte before quiet)."""
        self.drain()
        self.clear()
        start = time.perf_counter()
        os.write(self.fd, KEYS.get(key, key.encode()))
        first = last = start
        while True:
            data = self.read(2.0 if last == start else QUIET)
            if len(self.raw) > 1 << 20:
                self.clear()
            if not data:
                break
            last = time.perf_counter()
            if first == start:
                first = last
        return first - start, last - start

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else 0.0

    def quit(self) -> int:
        os.write(self.fd, b"q")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            self.read(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return -9


def environment(cache: Path, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(cache),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
    }


# ----------------------------------------------------------------------------- synthetic data


def write_big_session(root: Path, calls: int = 10_000, seed: int = 1) -> Path:
    """One session whose single turn has ``calls`` calls (a level with that many children)."""
    rng = random.Random(seed)
    session = "b16b16b1-0000-4000-8000-000000010000"
    folder = root / "projects" / "-home-dev-src-big"
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 11, 18, 0, 30, tzinfo=UTC)

    def iso(moment: datetime) -> str:
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    base = {
        "isSidechain": False,
        "userType": "external",
        "cwd": "/home/dev/src/big",
        "sessionId": session,
        "version": "2.1.77",
        "gitBranch": "main",
    }
    lines = [
        {
            **base,
            "parentUuid": None,
            "type": "user",
            "uuid": "u-0",
            "timestamp": iso(start),
            "message": {"role": "user", "content": "refactor everything, one file at a time"},
        }
    ]
    tools = ["Read", "Edit", "Bash", "Grep", "Glob", "Write"]
    for index in range(calls):
        moment = start + timedelta(seconds=index + 1)
        content: list[dict[str, Any]] = [{"type": "text", "text": "working"}]
        if index % 3 == 0:
            content.append(
                {
                    "type": "tool_use",
                    "id": f"toolu_{index:08d}",
                    "name": rng.choice(tools),
                    "input": {"file_path": f"src/f{index}.py"},
                }
            )
        lines.append(
            {
                **base,
                "parentUuid": f"u-{index}",
                "type": "assistant",
                "uuid": f"a-{index}",
                "timestamp": iso(moment),
                "requestId": f"req_{index:08d}",
                "message": {
                    "model": "claude-sonnet-4-5-20250929",
                    "id": f"msg_{index:08d}",
                    "type": "message",
                    "role": "assistant",
                    "content": content,
                    "usage": {
                        "input_tokens": rng.randint(1, 50),
                        "output_tokens": rng.randint(10, 4000),
                        "cache_read_input_tokens": rng.randint(0, 150_000),
                        "cache_creation_input_tokens": rng.randint(0, 5000),
                    },
                },
            }
        )
    path = folder / f"{session}.jsonl"
    with path.open("w") as handle:
        for line in lines:
            handle.write(json.dumps(line, separators=(",", ":")) + "\n")
    return root


# ----------------------------------------------------------------------------- measurements


def first_frame(corpus: Path, rounds: int, work: Path) -> dict[str, Any]:
    cache, home = work / "cache-corpus", work / "home"
    env = environment(cache, home)
    args = [*tokentree_command(), "--root", str(corpus), "--no-watch"]
    warm = Terminal(args, env)  # fills the cache
    warm.wait_for(r"\d[kMBT]? tok ", timeout=600)
    warm.quit()
    frames, ready, codes = [], [], []
    for _ in range(rounds):
        term = Terminal(args, env)
        frames.append(term.wait_for(r"All"))
        ready.append(term.wait_for(r"\d[kMBT]? tok "))
        codes.append(term.quit())
    return {"first_frame_s": frames, "root_ready_s": ready, "exit_codes": codes}


def key_latency(work: Path, repeats: int) -> dict[str, Any]:
    root = write_big_session(work / "big")
    env = environment(work / "cache-big", work / "home")
    term = Terminal([*tokentree_command(), "--root", str(root), "--no-watch"], env)
    term.wait_for(r"\d[kMBT]? tok ", timeout=120)
    opened = {}
    for level in ("day", "session", "turn", "call"):
        term.clear()
        started = time.perf_counter()
        os.write(term.fd, b"\r")
        title = {"day": "days", "session": "sessions", "turn": "turns", "call": "calls"}[level]
        term.wait_for(rf" {title} {{20,}}", timeout=60)  # the list's first column title
        if level == "call":
            term.wait_for(r"\d{2}:\d{2}:\d{2} · sonnet", timeout=60)
        opened[level] = time.perf_counter() - started
    term.drain()
    results: dict[str, list[tuple[float, float]]] = {}
    sequence = [
        "down",
        "up",
        "pagedown",
        "pageup",
        "end",
        "home",
        "down",
        "s",
        "s",
        "c",
        "t",
        "C",
        "%",
        "a",
        "g",
        "left",
        "enter",
    ]
    for _ in range(repeats):
        for key in sequence:
            results.setdefault(key, []).append(term.press(key))
    rss = term.rss_mb()
    code = term.quit()
    return {"open_level_s": opened, "latency_s": results, "rss_mb": rss, "exit_code": code}


def browsing_memory(corpus: Path, work: Path, cycles: int) -> dict[str, Any]:
    env = environment(work / "cache-corpus", work / "home")
    term = Terminal([*tokentree_command(), "--root", str(corpus), "--no-watch"], env)
    term.wait_for(r"\d[kMBT]? tok ", timeout=600)
    term.drain()
    samples = [term.rss_mb()]
    walk = [
        "enter",
        "enter",
        "enter",
        "enter",
        "end",
        "left",
        "down",
        "enter",
        "left",
        "left",
        "down",
        "enter",
        "left",
        "left",
        "down",
        "enter",
        "enter",
        "left",
        "left",
        "left",
        "down",
    ]
    for cycle in range(cycles):
        for key in walk:
            term.press(key)
        if cycle % 2:
            term.press("home")
        samples.append(term.rss_mb())
    code = term.quit()
    return {"rss_mb": samples, "exit_code": code}


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cycles", type=int, default=12)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tokentree-ui-bench-") as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        results: dict[str, Any] = {}
        if args.corpus.exists():
            results["first_frame"] = first_frame(args.corpus, args.rounds, work)
            frame = results["first_frame"]
            print(f"first frame (warm cache, {args.corpus}): {summary(frame['first_frame_s'])}")
            print(f"root level ready:                       {summary(frame['root_ready_s'])}")
        else:
            print(f"no corpus at {args.corpus} (python -m bench.run generates it)")
        keys = results["keys"] = key_latency(work, args.repeats)
        print(
            "open levels of the 10k session: "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in keys["open_level_s"].items())
        )
        print("key latency at the 10,000-call level (first redraw output | output settled):")
        for key, values in keys["latency_s"].items():
            first = summary([v[0] for v in values])
            settled = summary([v[1] for v in values])
            print(f"  {key:>8}: {first}  |  {settled}")
        print(f"RSS with the 10k level open: {keys['rss_mb']:.0f} MB")
        if args.corpus.exists():
            memory = results["memory"] = browsing_memory(args.corpus, work, args.cycles)
            rss = memory["rss_mb"]
            print(
                f"RSS while browsing the corpus: start {rss[0]:.0f} MB, max {max(rss):.0f} MB,"
                f" end {rss[-1]:.0f} MB over {len(rss) - 1} cycles"
            )
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
