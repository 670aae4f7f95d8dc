"""Benchmark tokentree against ccusage on a generated Claude Code corpus.

    python -m bench.run [--out DIR] [--target-bytes N] [--rounds 3] [--ccusage PATH]
                        [--skip-generate] [--only all|ccusage|tokentree] [--scaling]

See bench/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.corpus import GENERATOR_VERSION, Manifest, generate

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
DEFAULT_OUT = BENCH / "out" / "corpus"
RESULTS = BENCH / "out" / "results.json"
PEER = BENCH / ".peer"
CCUSAGE_VERSION = "20.0.24"
TOKENTREE_CMD = [
    sys.executable,
    "-m",
    "tokentree",
    "export",
    "--json",
    "--level",
    "day",
    "--tz",
    "UTC",
]
TARGETS = {"cold": 0.8, "warm": 0.08, "rss": 0.6}

# USD per million tokens: input, output, cache write 5m, cache read (1h write = 2x input).
# Used only for an approximate reference cost from the manifest (no long-context tier).
PRICES = {
    "claude-opus-4-6": (5, 25, 6.25, 0.5),
    "claude-opus-4-5-20251101": (5, 25, 6.25, 0.5),
    "claude-opus-4-1-20250805": (15, 75, 18.75, 1.5),
    "claude-sonnet-4-6": (3, 15, 3.75, 0.3),
    "claude-sonnet-4-5-20250929": (3, 15, 3.75, 0.3),
    "claude-sonnet-4-20250514": (3, 15, 3.75, 0.3),
    "claude-haiku-4-5-20251001": (1, 5, 1.25, 0.1),
}


# ------------------------------------------------------------------------------------------
# corpus
# ------------------------------------------------------------------------------------------


def ensure_corpus(out: Path, target_bytes: int, seed: int, skip: bool) -> Manifest:
    mf = out / "manifest.json"
    want = {
        "profile": "bench",
        "seed": seed,
        "target_bytes": target_bytes,
        "generator_version": GENERATOR_VERSION,
    }
    if mf.exists():
        m = Manifest.load(mf)
        have = {k: m.params.get(k) for k in want}
        if skip or have == want:
            print(
                f"corpus: reusing {out} ({m.files['bytes'] / 1e6:.0f} MB, "
                f"{m.files['jsonl_files']} .jsonl files)"
            )
            return m
        print(f"corpus: parameters changed ({have} != {want}), regenerating")
    elif skip:
        raise SystemExit(f"--skip-generate but no corpus at {out}")
    if out.exists():
        shutil.rmtree(out)
    t = time.perf_counter()
    m = generate(out, profile="bench", seed=seed, target_bytes=target_bytes)
    print(
        f"corpus: generated {out} in {time.perf_counter() - t:.1f} s "
        f"({m.files['bytes'] / 1e6:.0f} MB, {m.files['jsonl_files']} .jsonl files, "
        f"{m.unique_calls} calls)"
    )
    return m


def warm_page_cache(root: Path) -> None:
    """Read every file once so that all commands see the same (warm) OS page cache."""
    for p in root.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                while f.read(1 << 22):
                    pass


# ------------------------------------------------------------------------------------------
# ccusage
# ------------------------------------------------------------------------------------------


def locate_ccusage(arg: str | None, only: str) -> tuple[Path | None, Path | None]:
    """(npm command, native binary) of ccusage; installs it into bench/.peer if needed."""
    if only == "tokentree":
        return None, None
    if arg:
        npm_cmd = Path(arg)
    else:
        npm_cmd = PEER / "node_modules" / ".bin" / "ccusage"
        if not npm_cmd.exists():
            print(f"ccusage: installing {CCUSAGE_VERSION} into {PEER} (npm)")
            PEER.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    "npm",
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(PEER),
                    f"ccusage@{CCUSAGE_VERSION}",
                    f"@ccusage/ccusage-linux-x64@{CCUSAGE_VERSION}",
                ],
                check=True,
            )
    nm = npm_cmd.resolve().parent
    while nm.name != "node_modules" and nm != nm.parent:
        nm = nm.parent
    native = nm / "@ccusage" / "ccusage-linux-x64" / "bin" / "ccusage"
    if not npm_cmd.exists():
        print(f"ccusage: {npm_cmd} not found")
        npm_cmd = None  # type: ignore[assignment]
    return npm_cmd, (native if native.exists() else None)


def ccusage_version(native: Path | None, npm_cmd: Path | None) -> str:
    for exe in (native, npm_cmd):
        if exe is None:
            continue
        try:
            r = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
            return r.stdout.strip() or r.stderr.strip()
        except (OSError, subprocess.SubprocessError):
            continue
    return "?"


# ------------------------------------------------------------------------------------------
# measuring
# ------------------------------------------------------------------------------------------


def _tree_rss_kb(root_pid: int) -> int:
    """Sum of VmRSS over the process group led by root_pid (the command runs in its own group)."""
    total = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                st = f.read()
            # fields after the ")" of comm: state ppid pgrp ...
            pgrp = int(st[st.rindex(b")") + 2 :].split()[2])
            if pgrp != root_pid:
                continue
            with open(f"/proc/{d}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total


def run_measured(
    cmd: list[str], env: dict[str, str], cwd: Path, poll: float = 0.02
) -> dict[str, Any]:
    """Run cmd; wall time (perf_counter), peak RSS (wait4 ru_maxrss and polled tree sum)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, outlives the Popen
    err = tempfile.TemporaryFile()  # noqa: SIM115
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
    peak = [0]
    done = threading.Event()

    def poller() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(p.pid))
            done.wait(poll)

    th = threading.Thread(target=poller, daemon=True)
    th.start()
    _pid, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode("utf-8", "replace")
    stderr = err.read().decode("utf-8", "replace")
    out.close()
    err.close()
    res: dict[str, Any] = {
        "wall_s": round(wall, 4),
        "maxrss_mib": round(ru.ru_maxrss / 1024, 1),  # Linux: KiB; largest process of the tree
        "tree_rss_mib": round(peak[0] / 1024, 1),  # polled sum over the process group
        "user_s": round(ru.ru_utime, 3),
        "sys_s": round(ru.ru_stime, 3),
        "exit": p.returncode,
    }
    if p.returncode != 0:
        res["failed"] = True
        res["stderr_tail"] = stderr[-2000:]
    else:
        res["stdout"] = stdout
    return res


def base_env(corpus: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TERM")}
    env.update(
        {
            "HOME": str(corpus),
            "CLAUDE_CONFIG_DIR": str(corpus / ".claude"),
            "XDG_CONFIG_HOME": str(corpus / ".config"),
            "XDG_DATA_HOME": str(corpus / ".local" / "share"),
            "CODEX_HOME": str(corpus / ".codex"),
            "TZ": "UTC",
            "NO_COLOR": "1",
        }
    )
    return env


# ------------------------------------------------------------------------------------------
# comparing
# ------------------------------------------------------------------------------------------

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TT_KEYS = {
    "input": ("input", "input_tokens"),
    "output": ("output", "output_tokens"),
    "cache_read": ("cache_read", "cache_read_tokens"),
    "cache_write": ("cache_write", "cache_write_tokens"),
    "cost": ("cost_usd", "cost"),
}


def _tt_fig(node: dict[str, Any], key: str) -> float | None:
    for src in (node.get("totals"), node):
        if isinstance(src, dict):
            for k in _TT_KEYS[key]:
                if isinstance(src.get(k), (int, float)):
                    return src[k]
    return None


def parse_tokentree(stdout: str) -> dict[str, Any]:
    d = json.loads(stdout)
    totals = {k: _tt_fig(d, k) for k in _TT_KEYS}
    days: dict[str, dict[str, Any]] = {}

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            nid = n.get("id")
            if isinstance(nid, str) and _DAY.match(nid):
                days[nid] = {k: _tt_fig(n, k) for k in _TT_KEYS}
            for v in n.values():
                if isinstance(v, (dict, list)):
                    walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(d)
    return {"totals": totals, "days": days}


def parse_ccusage(stdout: str) -> dict[str, Any]:
    d = json.loads(stdout)
    t = d.get("totals", {})
    tot = {
        "input": t.get("inputTokens"),
        "output": t.get("outputTokens"),
        "cache_read": t.get("cacheReadTokens"),
        "cache_write": t.get("cacheCreationTokens"),
        "cost": t.get("totalCost"),
    }
    days = {}
    for row in d.get("daily", []):
        day = row.get("period") or row.get("date")
        days[day] = {
            "input": row.get("inputTokens"),
            "output": row.get("outputTokens"),
            "cache_read": row.get("cacheReadTokens"),
            "cache_write": row.get("cacheCreationTokens"),
            "cost": row.get("totalCost"),
        }
    return {"totals": tot, "days": days}


def manifest_view(m: Manifest) -> dict[str, Any]:
    days = {}
    for day, v in m.day_totals("UTC").items():
        days[day] = {
            "input": v["input"],
            "output": v["output"],
            "cache_read": v["cache_read"],
            "cache_write": v["cache_write"],
            "cost": None,
        }
    t = m.totals()
    return {
        "totals": {
            "input": t["input"],
            "output": t["output"],
            "cache_read": t["cache_read"],
            "cache_write": t["cache_write"],
            "cost": reference_cost(m),
        },
        "days": days,
    }


def reference_cost(m: Manifest) -> float:
    cost = 0.0
    for c in m.calls:
        p = PRICES.get(c[3])
        if p is None:
            continue
        pin, pout, pw5, pr = p
        x = (c[4] * pin + c[5] * pout + c[6] * pr + c[7] * pw5 + c[8] * 2 * pin) / 1e6
        cost += x * (6 if c[11] else 1)
    return round(cost, 2)


def compare(
    a_name: str, a: dict[str, Any], b_name: str, b: dict[str, Any], *, max_days: int = 15
) -> dict[str, Any]:
    keys = ("input", "output", "cache_read", "cache_write")
    tot = {}
    for k in (*keys, "cost"):
        x, y = a["totals"].get(k), b["totals"].get(k)
        tot[k] = {
            a_name: x,
            b_name: y,
            "diff": (None if x is None or y is None else round(x - y, 6)),
            "rel": (None if not x or not y else round((x - y) / y, 6)),
        }
    mism = []
    for day in sorted(set(a["days"]) | set(b["days"])):
        da, db = a["days"].get(day), b["days"].get(day)
        if da is None or db is None:
            mism.append({"day": day, "only_in": a_name if db is None else b_name})
            continue
        diffs = {k: [da[k], db[k]] for k in keys if da[k] != db[k]}
        if diffs:
            mism.append({"day": day, **diffs})
    token_equal = all(tot[k]["diff"] == 0 for k in keys)
    print(
        f"\n== {a_name} vs {b_name}: token totals {'EQUAL' if token_equal else 'DIFFER'}; "
        f"{len(mism)} of {len(set(a['days']) | set(b['days']))} days differ"
    )
    for k in (*keys, "cost"):
        r = tot[k]
        rel = f"{r['rel'] * 100:+.3f}%" if r["rel"] is not None else ""
        print(f"   {k:12s} {a_name}={_fmt(r[a_name])}  {b_name}={_fmt(r[b_name])}  {rel}")
    for row in mism[:max_days]:
        print("   " + json.dumps(row))
    if len(mism) > max_days:
        print(f"   ... {len(mism) - max_days} more days")
    return {"totals": tot, "day_mismatches": mism, "token_totals_equal": token_equal}


def _stable(stdout: str) -> Any:
    """The export without volatile fields (generated_at), for the cold == warm check."""

    def strip(n: Any) -> Any:
        if isinstance(n, dict):
            return {k: strip(v) for k, v in n.items() if k != "generated_at"}
        if isinstance(n, list):
            return [strip(v) for v in n]
        return n

    try:
        return strip(json.loads(stdout))
    except ValueError:
        return stdout


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:,.2f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


# ------------------------------------------------------------------------------------------
# main
# ------------------------------------------------------------------------------------------


def run_rounds(
    corpus: Path, rounds: int, npm_cmd: Path | None, native: Path | None, only: str
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    env = base_env(corpus)
    cmds: list[tuple[str, list[str] | None]] = []
    if only in ("all", "ccusage"):
        if npm_cmd:
            cmds.append(("ccusage_npm", [str(npm_cmd), "daily", "--json", "--offline"]))
        if native:
            cmds.append(("ccusage_native", [str(native), "daily", "--json", "--offline"]))
    if only in ("all", "tokentree"):
        cmds.append(("tokentree_cold", TOKENTREE_CMD))
        cmds.append(("tokentree_warm", TOKENTREE_CMD))
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in cmds}
    last_out: dict[str, str] = {}
    for i in range(rounds):
        cache = Path(tempfile.mkdtemp(prefix="tokentree-bench-cache-"))
        try:
            for name, cmd in cmds:
                e = dict(env)
                if name.startswith("tokentree"):
                    e["XDG_CACHE_HOME"] = str(cache)  # cold: empty; warm: filled by cold run
                r = run_measured(cmd, e, REPO)  # type: ignore[arg-type]
                if "stdout" in r:
                    last_out[name] = r.pop("stdout")
                status = "failed" if r.get("failed") else "ok"
                print(
                    f"round {i + 1}/{rounds} {name:15s} {r['wall_s']:8.3f} s  "
                    f"rss {r['tree_rss_mib']:8.1f} MiB (max proc {r['maxrss_mib']:.1f})  {status}"
                )
                if r.get("failed"):
                    tail = "\n".join(r["stderr_tail"].strip().splitlines()[-6:])
                    print("    " + tail.replace("\n", "\n    "))
                runs[name].append(r)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    return runs, last_out


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    med = {}
    for name, rs in runs.items():
        ok = [r for r in rs if not r.get("failed")]
        if not ok:
            med[name] = {
                "status": "failed",
                "stderr_tail": rs[-1].get("stderr_tail", "") if rs else "",
            }
            continue
        med[name] = {
            "status": "ok",
            "runs": len(ok),
            "wall_s": round(statistics.median(r["wall_s"] for r in ok), 4),
            "wall_min_s": min(r["wall_s"] for r in ok),
            "rss_mib": round(statistics.median(r["tree_rss_mib"] for r in ok), 1),
            "maxrss_mib": round(statistics.median(r["maxrss_mib"] for r in ok), 1),
        }
    return med


def ratios(med: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for peer in ("ccusage_npm", "ccusage_native"):
        pm = med.get(peer)
        if not pm or pm.get("status") != "ok":
            continue
        for kind, tt in (("cold", "tokentree_cold"), ("warm", "tokentree_warm")):
            tm = med.get(tt)
            if not tm or tm.get("status") != "ok":
                continue
            r = tm["wall_s"] / pm["wall_s"]
            out[f"{kind}_vs_{peer}"] = {
                "ratio": round(r, 3),
                "target": TARGETS[kind],
                "pass": r <= TARGETS[kind],
            }
            rr = tm["rss_mib"] / pm["rss_mib"] if pm["rss_mib"] else float("nan")
            out[f"rss_{kind}_vs_{peer}"] = {
                "ratio": round(rr, 3),
                "target": TARGETS["rss"],
                "pass": rr <= TARGETS["rss"],
            }
    return out


def print_table(med: dict[str, Any], rat: dict[str, Any]) -> None:
    print("\n| command | median wall | min wall | peak RSS (tree) | max single proc |")
    print("|---|---:|---:|---:|---:|")
    for name, m in med.items():
        if m.get("status") != "ok":
            print(f"| {name} | failed | | | |")
            continue
        print(
            f"| {name} | {m['wall_s']:.3f} s | {m['wall_min_s']:.3f} s | {m['rss_mib']:.0f} MiB | "
            f"{m['maxrss_mib']:.0f} MiB |"
        )
    if rat:
        print("\n| ratio | value | target | |")
        print("|---|---:|---:|---|")
        for k, v in rat.items():
            print(
                f"| {k} | {v['ratio']:.3f}x | <= {v['target']}x | {'PASS' if v['pass'] else 'FAIL'} |"  # noqa: E501
            )


def machine_info() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def scaling(args: argparse.Namespace) -> dict[str, Any]:
    sizes = [int(args.target_bytes * f) for f in (0.25, 0.5, 1.0)]
    rows = []
    for size in sizes:
        out = (
            args.out
            if size == args.target_bytes
            else args.out.with_name(f"{args.out.name}-{size // 1_000_000}MB")
        )
        m = ensure_corpus(out, size, args.seed, False)
        warm_page_cache(out)
        runs, _ = run_rounds(out, args.rounds, None, None, "tokentree")
        med = summarise(runs)
        cold = med.get("tokentree_cold", {})
        gb = m.files["bytes"] / 1e9
        row = {
            "corpus": str(out),
            "bytes": m.files["bytes"],
            "calls": m.unique_calls,
            "cold_s": cold.get("wall_s"),
            "warm_s": med.get("tokentree_warm", {}).get("wall_s"),
            "cold_s_per_gb": round(cold["wall_s"] / gb, 3) if cold.get("wall_s") else None,
        }
        rows.append(row)
        print(f"scaling: {gb:.2f} GB cold {row['cold_s']} s -> {row['cold_s_per_gb']} s/GB")
    return {"rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="corpus directory")
    ap.add_argument("--target-bytes", type=int, default=1_000_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ccusage", help="ccusage npm command (node_modules/.bin/ccusage)")
    ap.add_argument("--skip-generate", action="store_true", help="use the corpus as it is")
    ap.add_argument("--only", choices=["all", "ccusage", "tokentree"], default="all")
    ap.add_argument(
        "--scaling",
        action="store_true",
        help="tokentree cold time per GB on 0.25/0.5/1x target-bytes corpora",
    )
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    args.out = args.out.resolve()

    results: dict[str, Any] = {
        "machine": machine_info(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "args": {k: str(v) for k, v in vars(args).items()},
    }
    if args.scaling:
        results["scaling"] = scaling(args)
        _write(args.results, results)
        return 0

    m = ensure_corpus(args.out, args.target_bytes, args.seed, args.skip_generate)
    results["corpus"] = {
        "path": str(args.out),
        "params": m.params,
        "files": m.files,
        "unique_calls": m.unique_calls,
        "lines_by_type": m.lines_by_type,
        "broken_by_kind": m.broken_by_kind,
        "features": m.features,
        "totals": m.totals(),
    }
    npm_cmd, native = locate_ccusage(args.ccusage, args.only)
    results["ccusage"] = {
        "npm": str(npm_cmd) if npm_cmd else None,
        "native": str(native) if native else None,
        "version": ccusage_version(native, npm_cmd) if args.only != "tokentree" else None,
    }
    print("warming the page cache ...")
    warm_page_cache(args.out)
    runs, outputs = run_rounds(args.out, args.rounds, npm_cmd, native, args.only)
    med = summarise(runs)
    rat = ratios(med)
    results["runs"] = runs
    results["median"] = med
    results["ratios"] = rat

    truth = manifest_view(m)
    views: dict[str, dict[str, Any]] = {}
    for name in ("ccusage_native", "ccusage_npm"):
        if name in outputs:
            try:
                views["ccusage"] = parse_ccusage(outputs[name])
                break
            except (ValueError, KeyError) as e:
                print(f"cannot parse {name} output: {e}")
    for name in ("tokentree_warm", "tokentree_cold"):
        if name in outputs:
            try:
                views["tokentree"] = parse_tokentree(outputs[name])
                break
            except (ValueError, KeyError) as e:
                print(f"cannot parse {name} output: {e}")
    if (
        "tokentree_cold" in outputs
        and "tokentree_warm" in outputs
        and _stable(outputs["tokentree_cold"]) != _stable(outputs["tokentree_warm"])
    ):
        print("WARNING: tokentree cold and warm outputs differ")
        results["cold_warm_outputs_differ"] = True
    cmp_: dict[str, Any] = {}
    for name, v in views.items():
        cmp_[f"{name}_vs_manifest"] = compare(name, v, "manifest", truth)
    if "ccusage" in views and "tokentree" in views:
        cmp_["tokentree_vs_ccusage"] = compare(
            "tokentree", views["tokentree"], "ccusage", views["ccusage"]
        )
    results["comparisons"] = cmp_
    print_table(med, rat)
    _write(args.results, results)
    return 0


def _write(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nresults written to {path}")


if __name__ == "__main__":
    raise SystemExit(main())
