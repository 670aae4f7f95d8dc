"""docs/data-sources.md stays true: its example feed reads as it says (checked against the
reference reader), and its script snippet writes a feed tokentree reads."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import export
from tests.data.sources.jsonl import reference

DOC = Path(__file__).parents[4] / "docs" / "data-sources.md"


def _section() -> str:
    text = DOC.read_text("utf-8")
    return text[text.index("## JSONL feed") : text.index("## The cache")]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _section(), flags=re.S)


def test_the_documented_example_reads_as_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = next(block for block in _blocks("json") if block.startswith('{"timestamp"'))
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "example.jsonl").write_text(example, encoding="utf-8")
    monkeypatch.setenv("TOKENTREE_FEEDS_DIR", str(feeds))
    document, _ = export("--source", "jsonl", "--tz", "UTC", "--no-annotate")
    calls = reference.read_calls([feeds])
    total = sum(c.input + c.output + c.cache_read + c.cache_write for c in calls)
    assert document["totals"]["calls"] == len(calls) == 3
    assert document["totals"]["total"] == total
    assert f"{total:,} tokens" in _section()
    sessions = [
        n["label"]
        for week in document["children"]
        for day in week["children"]
        for n in day["children"]
    ]
    assert all(label.split(" · ")[0] in _section() for label in sessions)


def test_the_script_snippet_writes_a_feed_tokentree_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (snippet,) = [block for block in _blocks("python") if "def log_usage" in block]
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    namespace: dict[str, object] = {}
    exec(snippet, namespace)  # the documented code, run as a user would
    response = SimpleNamespace(
        id="chatcmpl-1",
        model="gpt-4.1",
        usage=SimpleNamespace(
            prompt_tokens=2006,
            completion_tokens=300,
            prompt_tokens_details=SimpleNamespace(cached_tokens=1920),
        ),
    )
    log_usage = namespace["log_usage"]
    log_usage(response)  # type: ignore[operator]
    log_usage(response)  # type: ignore[operator]  # logged twice: one request
    document, _ = export("--source", "jsonl", "--tz", "UTC", "--no-annotate")
    totals = document["totals"]
    assert (totals["calls"], totals["input"], totals["cache_read"], totals["output"]) == (
        1,
        2006 - 1920,
        1920,
        300,
    )
