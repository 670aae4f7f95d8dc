"""How long reading a large OpenCode database takes (``python -m bench.opencode_scale``).

Generates (once) a database-only OpenCode history with the corpus writer — about ``--messages``
message rows with their parts — then measures, each in a fresh process with its peak RSS:

* ``reader``: :func:`tokentree.data.sources.opencode.database.read_database` alone;
* ``tokentree cold`` / ``warm``: ``tokentree export --json --level day`` with an empty and then
  the same persisted cache;
* ``ccusage``: ``ccusage opencode daily --json --offline`` on the same data (when installed).

The numbers are for the report and the benchmark notes; no test asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.plan import make_plan
from bench.run import TOKENTREE_CMD
from bench.writers import opencode as writer

PEER = Path("/work/peer/node_modules/.bin/ccusage")
MESSAGES_PER_SESSION = 18.5
"""What one planned session becomes on average (user + assistant messages, subagents, forks)."""


def generate(out: Path, messages: int, seed: int) -> Path:
    root = out / ".local" / "share" / "opencode"
    db = root / "opencode.db"
    if db.exists():
        return db
    rng = random.Random(seed)
    sessions = max(1, int(messages / MESSAGES_PER_SESSION))
    plan = make_plan(rng, writer.SHAPE, sessions=sessions, start=date(2026, 1, 1), days=120)
    writer.write(plan, out, rng, legacy=False)
    (out / "truth.json").write_text(json.dumps(plan.day_totals()))
    return db


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system, all threads), peak RSS (MiB), stdout. The
    machine is shared: CPU time is the steadier figure."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stdout = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command[0]} failed ({status})")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss // 1024, stdout.decode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("bench/out/opencode-scale"))
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    db = generate(args.out, args.messages, args.seed)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("session", "message", "part")
        }
    print(f"database {db}: {db.stat().st_size / 2**20:.0f} MiB, {counts}")
    env = {"PATH": os.environ.get("PATH", ""), "TZ": "UTC", "HOME": str(args.out.resolve())}
    reader = (
        "from tokentree.data.sources.opencode.database import read_database as r;"
        f"rows = r({str(db)!r}); print(len(rows.calls['call_id']), len(rows.prompts), rows.skipped)"
    )
    results = {"reader": run([sys.executable, "-c", reader], {**env, "PYTHONPATH": os.getcwd()})}
    with tempfile.TemporaryDirectory() as cache:
        export = [*TOKENTREE_CMD, "--root", f"opencode={db.parent}"]
        export_env = {**env, "XDG_CACHE_HOME": cache, "PYTHONPATH": os.getcwd()}
        results["tokentree cold"] = run(export, export_env)
        results["tokentree warm"] = run(export, export_env)
    if PEER.exists():
        results["ccusage"] = run([str(PEER), "opencode", "daily", "--json", "--offline"], env)
    truth = json.loads((args.out / "truth.json").read_text())
    document = json.loads(results["tokentree cold"][3])
    days = {d["id"]: d["totals"] for w in document["children"] for d in w["children"]}
    exact = all({k: days.get(day, {}).get(k) for k in t} == t for day, t in truth.items())
    print(f"{'':15s} {'wall':>9s} {'cpu':>9s} {'peak RSS':>10s}")
    for name, (wall, cpu, rss, out) in results.items():
        note = f"calls, prompts, skipped: {out.strip()}" if name == "reader" else ""
        print(f"{name:15s} {wall:7.2f} s {cpu:7.2f} s {rss:6d} MiB  {note}")
    print(f"tokentree per-day totals equal the plan: {exact}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
