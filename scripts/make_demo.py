"""Rebuild the embedded demo dataset (tokentree/demo/claude/) with the corpus generator.

    python scripts/make_demo.py [--seed 0] [--check]

Writes ``tokentree/demo/claude/projects/<encoded-cwd>/...`` (a Claude Code config dir, so
``CLAUDE_CONFIG_DIR=tokentree/demo/claude`` works) and ``tokentree/demo/manifest.json`` (the ground
truth: every billed call, totals per UTC day). Output is byte-identical for a given seed and
generator version; ``--check`` exits 1 if the committed files differ from a fresh build.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import generate  # noqa: E402

DEMO = REPO / "tokentree" / "demo"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check", action="store_true", help="only compare with the committed data")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        m = generate(out, profile="demo", seed=args.seed)
        fresh = _tree(out / ".claude")
        if args.check:
            same = (
                fresh == _tree(DEMO / "claude")
                and (out / "manifest.json").read_bytes() == (DEMO / "manifest.json").read_bytes()
            )
            print("demo data is up to date" if same else "demo data differs from a fresh build")
            return 0 if same else 1
        shutil.rmtree(DEMO / "claude", ignore_errors=True)
        shutil.copytree(out / ".claude", DEMO / "claude")
        shutil.copyfile(out / "manifest.json", DEMO / "manifest.json")
    t = m.totals()
    days = m.day_totals()
    print(
        f"demo: {m.files['jsonl_files']} .jsonl files, {m.files['bytes'] / 1e6:.2f} MB, "
        f"{m.unique_calls} calls, {len(days)} days ({min(days)} .. {max(days)}), "
        f"output {t['output']:,} tokens -> {DEMO.relative_to(REPO)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
