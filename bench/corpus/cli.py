"""``python -m bench.corpus OUT --profile …``: generate a corpus and print its statistics."""

from __future__ import annotations

import json
import time as _time
from pathlib import Path

from bench.corpus.generator import generate
from bench.corpus.profiles import PROFILES


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Generate a synthetic Claude Code transcript tree.")
    ap.add_argument("out", type=Path)
    ap.add_argument("--profile", choices=PROFILES, default="small")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--target-bytes", type=int)
    ap.add_argument("--days", type=int)
    ap.add_argument(
        "--quirks",
        action=argparse.BooleanOptionalAction,
        help="add (or remove) the later quirks: advisor, copies-only subagents, BOM, …",
    )
    a = ap.parse_args(argv)
    t = _time.perf_counter()
    m = generate(
        a.out,
        profile=a.profile,
        seed=a.seed,
        target_bytes=a.target_bytes,
        days=a.days,
        quirks=a.quirks,
    )
    print(
        json.dumps(
            {
                "seconds": round(_time.perf_counter() - t, 2),
                "files": m.files,
                "unique_calls": m.unique_calls,
                "broken_by_kind": m.broken_by_kind,
                "lines_by_type": m.lines_by_type,
                "features": m.features,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
