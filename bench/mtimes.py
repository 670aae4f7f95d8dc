"""Give generated logs the modification times real ones have: each file's latest timestamp.

The generator writes every file at once, so all of them look modified just now; a real log was
last written when its last line was. A split cold start (``tokentree.data.read.first_frame``) orders
files by that time, so the first-frame benchmark and tests set it. A file without a timestamp
(a subagent's ``.meta.json`` sidecar) takes its newest sibling's of the same name stem.

    python -m bench.mtimes DIR
"""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime
from pathlib import Path

TAIL = 256 * 1024
"""Bytes read from each file's end (timestamps grow through a log)."""
STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")


def latest_stamp(path: Path) -> float | None:
    """The latest ISO timestamp (with a zone) in the file's last :data:`TAIL` bytes."""
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - TAIL))
        tail = handle.read()
    found = [
        datetime.fromisoformat(m.group().decode().replace("Z", "+00:00")).timestamp()
        for m in STAMP.finditer(tail)
    ]
    return max(found, default=None)


def set_mtimes(root: Path) -> int:
    """Set every file's mtime under ``root`` to its latest timestamp; returns how many."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "manifest.json")
    stamps = {path: latest_stamp(path) for path in files}
    by_stem: dict[tuple[Path, str], float] = {}
    for path, stamp in stamps.items():
        if stamp is not None:
            key = (path.parent, path.name.split(".")[0])
            by_stem[key] = max(stamp, by_stem.get(key, stamp))
    changed = 0
    for path, stamp in stamps.items():
        if stamp is None:
            stamp = by_stem.get((path.parent, path.name.split(".")[0]))
        if stamp is not None:
            os.utime(path, (stamp, stamp))
            changed += 1
    return changed


if __name__ == "__main__":
    print(f"{set_mtimes(Path(sys.argv[1]))} files dated")
