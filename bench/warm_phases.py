"""Where a warm ``tokentree export --json --level day`` spends its time, phase by phase.

    python -m bench.warm_phases [--corpus DIR] [--rounds 5] [--cache DIR]

Fills a cache with one cold export (unless ``--cache`` names a filled one), then runs the warm
export ``--rounds`` times, each in a fresh interpreter that wraps the phases' functions with
wall clocks (no profiler: its overhead would distort the small phases), and prints the median
of each. The environment is bench.run's (``base_env``). See bench/README.md, "The warm export".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import DEFAULT_OUT, REPO, TOKENTREE_CMD, base_env

PHASES = [
    ("tokentree.data.workspace", "Workspace.__init__", "workspace (sources, store, prices)"),
    ("tokentree.data.store.cache", "PersistedCache.load_walk", "walk memory loaded"),
    ("tokentree.data.workspace", "discover", "discovery (stat of every file)"),
    ("tokentree.data.store.cache", "PersistedCache.attach", "cache attached"),
    ("tokentree.data.read.ingest", "walk_key", "key of the files found"),
    ("tokentree.data.store.cache", "PersistedCache.manifest", "manifest read (a change)"),
    ("tokentree.data.read.ingest", "_plan", "plan (a change)"),
    ("tokentree.data.store.cache", "PersistedCache.expose", "cache served as views"),
    ("tokentree.data.workspace", "Workspace._adopt_cached_stages", "derived stages adopted"),
    ("tokentree.data.store.cache", "PersistedCache.manifest_summary", "read report"),
    ("tokentree.data.workspace", "Workspace.refresh", "refresh (all of the above from walk)"),
    ("tokentree.data.tree.export", "write_export", "export written"),
    ("tokentree.service.collect", "write_summary", "statusline summary"),
    ("tokentree.data.workspace", "Workspace.close", "close (cache touched)"),
]

CHILD = r"""
import functools, importlib, json, sys, time
t0 = time.perf_counter()
import tokentree.cli as cli
t1 = time.perf_counter()
import tokentree.data.workspace, tokentree.data.tree.export, tokentree.service.collect
t2 = time.perf_counter()
marks = {}
def wrap(module, attr, label):
    owner = importlib.import_module(module)
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part)
    fn = getattr(owner, name)
    @functools.wraps(fn)
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            marks[label] = marks.get(label, 0.0) + time.perf_counter() - t
    setattr(owner, name, timed)
for module, attr, label in json.loads(sys.argv[1]):
    wrap(module, attr, label)
cli.main(json.loads(sys.argv[2]))
t3 = time.perf_counter()
marks["import cli"] = t1 - t0
marks["import workspace, export, collect (duckdb)"] = t2 - t1
marks["in process, total"] = t3 - t0
print(json.dumps(marks))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", type=Path, help="a filled XDG_CACHE_HOME (default: fill one)")
    args = parser.parse_args()
    env = base_env(args.corpus)
    env["XDG_CACHE_HOME"] = str(args.cache or tempfile.mkdtemp(prefix="tokentree-warm-"))
    export = [*TOKENTREE_CMD[3:], "--output", os.devnull]
    if args.cache is None:
        subprocess.run([*TOKENTREE_CMD, "--output", os.devnull], env=env, cwd=REPO, check=True)
    runs: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(PHASES), json.dumps(export)],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for label, seconds in json.loads(out.splitlines()[-1]).items():
            runs.setdefault(label, []).append(seconds)
    print(f"warm export phases, median of {args.rounds} (ms), load {os.getloadavg()[0]:.2f}")
    order = ["import cli", "import workspace, export, collect (duckdb)"]
    order += [label for _, _, label in PHASES] + ["in process, total"]
    for label in order:
        if label in runs:
            print(f"  {label:45s} {1000 * statistics.median(runs[label]):7.1f}")


if __name__ == "__main__":
    main()
