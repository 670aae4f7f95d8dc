"""Discovery with glob-narrowed roots: several globs over one directory each find their files,
and a file reached by two roots is listed once."""

from __future__ import annotations

from pathlib import Path

from tokentree.data import sources
from tokentree.data.read.discovery import SourceRoot, discover


def test_two_globs_over_one_directory_both_find_their_files(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    (logs / "nested").mkdir(parents=True)
    for name in ("a-1.jsonl", "b-1.jsonl", "c-1.jsonl", "nested/a-2.jsonl"):
        (logs / name).write_text("{}\n")
    source = sources.get("claude")
    found = discover(
        [
            SourceRoot(source, logs, "a-*.jsonl"),
            SourceRoot(source, logs, "b-*.jsonl"),
            SourceRoot(source, logs, "*a-*.jsonl"),  # overlaps the first: no duplicates
        ]
    )
    assert sorted(Path(f.path).relative_to(logs).as_posix() for f in found.files) == [
        "a-1.jsonl",
        "b-1.jsonl",
        "nested/a-2.jsonl",
    ]
