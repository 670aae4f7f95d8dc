"""Per-day agreement of tokentree with ccusage 20.0.24 on Gemini CLI data (not a test: ccusage is
not in CI).

    python -m bench.agree_gemini [--ccusage PATH] [--sessions 40] [--seed 7] [--keep DIR]

Two data sets: the real recordings in tests/fixtures/gemini/, and a corpus generated from a
:class:`bench.plan.Plan` by ``bench/writers/gemini.py`` with every quirk (re-appended messages,
``$set`` checkpoints, ``$rewindTo``, legacy ``.json`` sessions migrated to a ``.jsonl`` beside
them, subagents, hashed and slug project directories, ``tokens: null``). Both tools run on the
same ``HOME`` in UTC. ccusage keeps Gemini's thoughts out of ``outputTokens`` but inside
``totalTokens``, so its output is compared as total − input − cache read − cache write.

The ``twins`` column is computed from the files alone: the tokens of messages that a legacy
``.json`` and its migrated ``.jsonl`` twin both hold (ccusage reads each file on its own and
counts them twice; docs/counting.md). ``Δ`` = ccusage − tokentree.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.plan import make_plan
from bench.writers import gemini as writer

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "gemini"
DEFAULT_CCUSAGE = "/work/peer/node_modules/.bin/ccusage"
FIELDS = ("input", "output", "cache_read")
Totals = dict[str, dict[str, int]]


def tokentree_days(home: Path) -> Totals:
    from tokentree.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(
            [
                *("export", "--json", "--level", "day", "--no-cache", "--tz", "UTC"),
                *("--source", "gemini", "--root", f"gemini={home}"),
            ]
        )
    if code != 0:
        raise SystemExit(f"tokentree failed with {code}")
    document = json.loads(out.getvalue())
    return {
        day["id"]: {"calls": day["totals"]["calls"], **{k: day["totals"][k] for k in FIELDS}}
        for week in document["children"]
        for day in week["children"]
    }


def ccusage_days(ccusage: str, home: Path) -> Totals:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "TZ": "UTC"}
    result = subprocess.run(
        [ccusage, "gemini", "daily", "--json", "--offline", "--timezone", "UTC"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    days: Totals = {}
    for day in json.loads(result.stdout)["daily"]:
        prompt = day["inputTokens"] + day["cacheReadTokens"] + day["cacheCreationTokens"]
        days[day["date"]] = {
            "input": day["inputTokens"],
            "output": day["totalTokens"] - prompt,
            "cache_read": day["cacheReadTokens"],
        }
    return days


def twin_days(tmp: Path) -> Totals:
    """Per day, the tokens of messages both in a legacy ``.json`` and in its ``.jsonl`` twin."""
    days: Totals = {}
    for legacy in sorted(tmp.rglob("*.json")):
        twin = legacy.with_suffix(".jsonl")
        if not twin.exists():
            continue
        twin_ids = set()
        for line in twin.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict) and record.get("type") == "gemini":
                    twin_ids.add(record.get("id"))
        for message in json.loads(legacy.read_text(encoding="utf-8")).get("messages", []):
            tokens = message.get("tokens")
            if message.get("type") != "gemini" or not tokens or message["id"] not in twin_ids:
                continue
            day = days.setdefault(message["timestamp"][:10], dict.fromkeys(FIELDS, 0))
            day["input"] += tokens["input"] - tokens["cached"] + tokens["tool"]
            day["output"] += tokens["output"] + tokens["thoughts"]
            day["cache_read"] += tokens["cached"]
    return days


def table(title: str, ours: Totals, peer: Totals, twins: Totals, truth: Totals | None) -> bool:
    print(f"\n## {title}\n")
    head = "| day | calls | tokentree input / output / cache read |"
    head += " ccusage input / output / cache read | Δ input / output / cache read | twins |"
    if truth is not None:
        head += " tokentree = plan |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    agree = True
    for day in sorted(set(ours) | set(peer)):
        mine = ours.get(day, dict.fromkeys(("calls", *FIELDS), 0))
        theirs = peer.get(day, dict.fromkeys(FIELDS, 0))
        delta = [theirs[k] - mine[k] for k in FIELDS]
        twin = [twins.get(day, {}).get(k, 0) for k in FIELDS]
        explained = delta == twin
        agree = agree and explained
        row = (
            f"| {day} | {mine['calls']} | {' / '.join(f'{mine[k]:,}' for k in FIELDS)} |"
            f" {' / '.join(f'{theirs[k]:,}' for k in FIELDS)} |"
            f" {' / '.join(f'{d:+,}' for d in delta)} |"
            f" {'0' if not any(twin) else ' / '.join(f'{t:,}' for t in twin)}"
            f"{'' if explained else ' (UNEXPLAINED)'} |"
        )
        if truth is not None:
            plan = truth.get(day, {})
            row += (
                f" {'yes' if all(mine[k] == plan.get(k) for k in ('calls', *FIELDS)) else 'NO'} |"
            )
        print(row)
    return agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ccusage", default=DEFAULT_CCUSAGE)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the homes here and keep them")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="agree-gemini-"))
    try:
        real = base / "real"
        shutil.rmtree(real, ignore_errors=True)
        shutil.copytree(FIXTURES, real / ".gemini" / "tmp" / "samples" / "chats")
        ok = table(
            "Real recordings (tests/fixtures/gemini)",
            tokentree_days(real),
            ccusage_days(args.ccusage, real),
            twin_days(real / ".gemini" / "tmp"),
            None,
        )
        corpus = base / "corpus"
        shutil.rmtree(corpus, ignore_errors=True)
        rng = random.Random(args.seed)
        plan = make_plan(
            rng, writer.SHAPE, sessions=args.sessions, start=date(2026, 11, 1), days=args.days
        )
        files = writer.write(plan, corpus, rng)
        truth = plan.day_totals()
        ours = tokentree_days(corpus)
        ok = (
            table(
                f"Generated corpus (seed {args.seed}, {args.sessions} sessions, {len(files)} files,"
                f" {plan.totals()['calls']} calls)",
                ours,
                ccusage_days(args.ccusage, corpus),
                twin_days(corpus / ".gemini" / "tmp"),
                truth,
            )
            and ok
        )
        exact = all(
            ours.get(d, {}).get(k) == truth[d][k] for d in truth for k in ("calls", *FIELDS)
        )
        print(f"\ntokentree equals the plan on every day: {exact and set(ours) == set(truth)}")
        print(f"every difference with ccusage is a legacy/.jsonl twin: {ok}")
        return 0 if ok and exact else 1
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
