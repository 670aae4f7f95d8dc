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

import contextlib
import json
import shutil
import sys
from pathlib import Path

from bench import agreement as ag
from bench.agreement_causes import NOVEMBER, cause_arguments, fresh, work_dir
from bench.agreement_run import generate
from bench.writers import gemini as writer

FIELDS = ("input", "output", "cache_read")


def twin_days(tmp: Path) -> ag.Days:
    """Per day, the tokens of messages both in a legacy ``.json`` and in its ``.jsonl`` twin."""
    days: ag.Days = {}
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


def table(title: str, ours: ag.Days, peer: ag.Days, twins: ag.Days, truth: ag.Days | None) -> bool:
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
    args = cause_arguments(__doc__).parse_args(argv)
    with work_dir(args.keep, "gemini") as base:
        real = fresh(base / "real")
        shutil.copytree(ag.FIXTURES / "gemini", real / ".gemini" / "tmp" / "samples" / "chats")
        ok = table(
            "Real recordings (tests/fixtures/gemini)",
            ag.tokentree_days("gemini", real, real),
            ag.ccusage_days(args.ccusage, "gemini", real),
            twin_days(real / ".gemini" / "tmp"),
            None,
        )
        corpus = fresh(base / "corpus")
        plan, files = generate(
            writer, corpus, seed=args.seed, sessions=args.sessions, start=NOVEMBER, days=args.days
        )
        truth = plan.day_totals()
        ours = ag.tokentree_days("gemini", corpus, corpus)
        ok = (
            table(
                f"Generated corpus (seed {args.seed}, {args.sessions} sessions, {len(files)} files,"
                f" {plan.totals()['calls']} calls)",
                ours,
                ag.ccusage_days(args.ccusage, "gemini", corpus),
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


if __name__ == "__main__":
    sys.exit(main())
