"""Rebuild the embedded demo dataset (tokentree/demo/) with the corpus generators.

    python scripts/make_demo.py [--seed 0] [--check]

Writes one directory per source, each laid out as that assistant keeps its data, so that
``tokentree --demo`` shows every source in one tree over the same three weeks:

* ``claude/`` — a Claude Code config dir from the rich Claude generator (profile ``demo``), and
  ``manifest.json`` beside it (the ground truth: every billed call, totals per UTC day);
* ``codex/``, ``gemini/``, ``opencode/``, ``hermes/``, ``jsonl/`` — a few sessions each, drawn
  from one source-neutral plan per source (``bench/plan.py``) and written by that source's
  writer (``bench/writers/``); ``plans.json`` holds their totals per UTC day.

Output is byte-identical for a given seed and generator version; ``--check`` exits 1 if the
committed files differ from a fresh build.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import generate  # noqa: E402
from bench.plan import Shape, make_plan  # noqa: E402

DEMO = REPO / "tokentree" / "demo"
START, DAYS = date(2026, 10, 31), 21
"""The Claude demo's three weeks; every source's sessions fall inside them."""

OTHERS: dict[str, tuple[Shape, int, str]] = {
    "codex": (
        Shape(models=(("gpt-5.3-codex", 3), ("gpt-5.1-codex-mini", 1)), turns=(1, 4)),
        7,
        ".codex",
    ),
    "gemini": (
        Shape(models=(("gemini-2.5-pro", 2), ("gemini-3-flash-preview", 2)), turns=(1, 4)),
        6,
        ".gemini/tmp",
    ),
    "opencode": (
        Shape(
            models=(("claude-sonnet-4-5", 3), ("gpt-5.1-codex", 1)), cache_writes=True, turns=(1, 3)
        ),
        5,
        ".local/share/opencode",
    ),
    "hermes": (
        Shape(models=(("claude-sonnet-4-5", 2), ("gemini-2.5-pro", 1)), turns=(1, 3)),
        5,
        ".hermes",
    ),
    "jsonl": (
        Shape(models=(("gpt-4.1", 2), ("claude-sonnet-4-5", 1)), turns=(1, 3)),
        5,
        ".local/share/tokentree/feeds",
    ),
}
"""Per source: the shape of its sessions, how many, and where its writer puts the data under
``$HOME`` (that directory becomes ``tokentree/demo/<source>/``)."""


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build(out: Path, seed: int) -> dict[str, object]:
    """Write the demo under ``out`` (``out/<source>/`` and the two truth files)."""
    import importlib

    work = out / "work"
    generate(work, profile="demo", seed=seed)
    shutil.copytree(work / ".claude", out / "claude")
    shutil.copyfile(work / "manifest.json", out / "manifest.json")
    plans: dict[str, object] = {}
    for index, (name, (shape, sessions, data_dir)) in enumerate(OTHERS.items()):
        rng = random.Random(seed * 1000 + index)
        plan = make_plan(rng, shape, sessions=sessions, start=START, days=DAYS)
        home = out / "homes" / name
        importlib.import_module(f"bench.writers.{name}").write(plan, home, rng)
        shutil.copytree(home / data_dir, out / name)
        plans[name] = plan.day_totals()
    (out / "plans.json").write_text(json.dumps(plans, indent=1, sort_keys=True) + "\n")
    return plans


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check", action="store_true", help="only compare with the committed data")
    args = ap.parse_args(argv)
    names = ["claude", *OTHERS]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        plans = build(out, args.seed)
        if args.check:
            same = all(_tree(out / n) == _tree(DEMO / n) for n in names) and all(
                (out / f).read_bytes() == (DEMO / f).read_bytes()
                for f in ("manifest.json", "plans.json")
            )
            print("demo data is up to date" if same else "demo data differs from a fresh build")
            return 0 if same else 1
        for name in names:
            shutil.rmtree(DEMO / name, ignore_errors=True)
            shutil.copytree(out / name, DEMO / name)
        for name in ("manifest.json", "plans.json"):
            shutil.copyfile(out / name, DEMO / name)
    for name in names:
        files = [p for p in (DEMO / name).rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        calls = sum(d["calls"] for d in plans.get(name, {}).values()) if name in plans else "-"
        print(f"{name:9} {len(files):4} files {size / 1e3:8.1f} kB  calls {calls}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
