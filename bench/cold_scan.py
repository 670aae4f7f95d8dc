"""The cold scan alone, beside ccusage and the engine's floor, in alternating rounds.

    python -m bench.cold_scan --corpus DIR [--ccusage PATH] [--rounds 3] [--workers 2]
                              [--baseline CHECKOUT]

Three commands per round, each in its own process (wall time, peak RSS of the process):

* ``scan``: tokentree's ingest of the corpus's Claude transcripts into a fresh store (no cache,
  no derived tables, no export): discovery, the DuckDB scan with its byte check and tolerant
  fallback, the typed raw tables;
* ``floor``: one DuckDB query that splits every transcript into lines, keeps the assistant lines
  with usage, extracts the counted fields and sums them per UTC day after deduplication — not the
  full rule set (no prompts, tools, sidechain replays, byte check), the least a DuckDB reader pays;
* ``extract``: tokentree's own line scan (the same SQL, every field the tree needs: tools,
  prompts, compaction events) over every transcript in ONE query, its staging rows then written
  to a DuckDB file — no byte check, typing, per-file collapse, dedup or derived tables: the
  least a reader that keeps what the explorer shows pays, cold, before any answer;
* ``ccusage``: ``ccusage daily --json --offline`` (when ``--ccusage`` is given).

Load averages are printed before and after each round: the figures are ratios on a shared
machine, not absolutes. CPU time (user + sys) is printed too: on a crowded machine it moves less
than wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from bench.run import base_env, run_measured

SCAN = """
import sys, time
from pathlib import Path
from tokentree.data import sources
from tokentree.data.read.discovery import SourceRoot
from tokentree.data.read.ingest import ingest
from tokentree.data.store.store import UsageStore
store = UsageStore()
root = SourceRoot(sources.get("claude"), Path(sys.argv[1]) / ".claude" / "projects")
report, _ = ingest(store, [root])
calls, output = store.cursor().execute("SELECT count(*), sum(output) FROM raw_calls").fetchone()
print(report.files_read, calls, output)
"""

FLOOR = r"""
import sys, glob, duckdb
files = glob.glob(sys.argv[1] + "/.claude/projects/**/*.jsonl", recursive=True)
con = duckdb.connect(config={"threads": 2, "preserve_insertion_order": False})
con.execute("SET enable_progress_bar = false")
rows = con.execute('''
WITH lines AS (
    SELECT line FROM read_csv($files, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '',
        escape = '', header = false, auto_detect = false, new_line = '\\n',
        strict_mode = false, ignore_errors = true, max_line_size = 8388608,
        buffer_size = 16777216)
    WHERE contains(line, '"type":"assistant"') AND contains(line, '"usage"')
),
x AS (
    SELECT try(json_extract_string(line, ['$.message.id', '$.requestId', '$.timestamp',
        '$.message.usage.input_tokens', '$.message.usage.output_tokens',
        '$.message.usage.cache_read_input_tokens', '$.message.usage.cache_creation_input_tokens',
        '$.message.model', '$.isSidechain', '$.message.content[0].name'])) AS v
    FROM lines
),
calls AS (
    SELECT v[1] || coalesce(v[2], '') AS k, arg_max(v, try_cast(v[5] AS BIGINT)) AS v
    FROM x WHERE v IS NOT NULL GROUP BY k
)
SELECT try_cast(v[3] AS TIMESTAMPTZ)::DATE AS day, sum(try_cast(v[4] AS BIGINT)),
       sum(try_cast(v[5] AS BIGINT)), count(*)
FROM calls GROUP BY day ORDER BY day
''', {"files": files}).fetchall()
print(len(rows), sum(r[3] for r in rows))
"""


EXTRACT = r"""
import glob, os, sys, tempfile
from tokentree.data import sources
from tokentree.data.read import scan
from tokentree.data.read.identity import file_id
from tokentree.data.store.store import UsageStore
files = glob.glob(sys.argv[1] + "/.claude/projects/**/*.jsonl", recursive=True)
fmt = sources.format_of("claude", "transcript")
cursor = UsageStore().cursor()
for statement in fmt.setup_sql:
    cursor.execute(statement)
scan._reset_staging(cursor)
cursor.execute(
    "CREATE OR REPLACE TEMP TABLE scan_files AS "
    "SELECT unnest(?::VARCHAR[]) AS path, unnest(?::UBIGINT[]) AS file_id",
    [files, [file_id("claude", f) for f in files]],
)
cursor.execute(scan.scan_statement(fmt), {"files": files})
out = os.path.join(tempfile.mkdtemp(), "floor.duckdb")
cursor.execute(f"ATTACH '{out}' AS out")
cursor.execute("CREATE TABLE out.staging AS SELECT * FROM staging WHERE kind IS NOT NULL")
cursor.execute("DETACH out")
print(cursor.execute("SELECT count(*), count(kind) FROM staging").fetchone())
os.remove(out)
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a HOME with .claude/projects")
    ap.add_argument("--ccusage", help="ccusage npm command (node_modules/.bin/ccusage)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None, help="$TOKENTREE_SCAN_WORKERS")
    ap.add_argument("--baseline", type=Path, help="another checkout's scan too (``base``)")
    args = ap.parse_args(argv)
    env = base_env(args.corpus)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    if args.workers is not None:
        env["TOKENTREE_SCAN_WORKERS"] = str(args.workers)
    commands = {
        "scan": [sys.executable, "-c", SCAN, str(args.corpus)],
        "floor": [sys.executable, "-c", FLOOR, str(args.corpus)],
        "extract": [sys.executable, "-c", EXTRACT, str(args.corpus)],
    }
    envs = {name: env for name in commands}
    if args.baseline:
        commands["base"] = commands["scan"]
        envs["base"] = {**env, "PYTHONPATH": str(args.baseline)}
    if args.ccusage:
        envs["ccusage"] = env
        commands["ccusage"] = [args.ccusage, "daily", "--json", "--offline"]
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in commands}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}: load {os.getloadavg()}")
        order = list(commands)[round_ % len(commands) :] + list(commands)[: round_ % len(commands)]
        for name in order:
            result = run_measured(commands[name], envs[name], Path.cwd())
            if result.get("failed"):
                print(f"  {name} failed: {result.get('stderr_tail')}")
                return 1
            runs[name].append(result)
            stdout = str(result.get("stdout", "")).strip()
            cpu = float(result["user_s"]) + float(result["sys_s"])  # type: ignore[arg-type]
            result["cpu_s"] = round(cpu, 2)
            print(
                f"  {name:8} {result['wall_s']:7.2f} s  cpu {cpu:6.2f} s  "
                f"{result['maxrss_mib']:7.1f} MiB  "
                f"{stdout[:60] if name != 'ccusage' else ''}"
            )
    print(f"load after: {os.getloadavg()}")
    medians = {
        name: tuple(
            statistics.median(float(r[key]) for r in rs)  # type: ignore[arg-type]
            for key in ("wall_s", "cpu_s", "maxrss_mib")
        )
        for name, rs in runs.items()
    }
    for name, (wall, cpu, rss) in medians.items():
        line = f"{name:8} median {wall:6.2f} s, cpu {cpu:6.2f} s, {rss:7.1f} MiB"
        if "ccusage" in medians and name != "ccusage":
            cc_wall, cc_cpu, cc_rss = medians["ccusage"]
            line += (
                f"  = {wall / cc_wall:.2f}x ccusage wall, {cpu / cc_cpu:.2f}x its cpu, "
                f"{rss / cc_rss:.2f}x its RSS"
            )
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
