"""``tokentree statusline``: the line for Claude Code's hook JSON (real shapes), the tail of
the current transcript added to the summary, what is kept for live mode, and its import
hygiene (no DuckDB, no Textual on its path)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tokentree.data.pricing.prices import PriceTable
from tokentree.data.workspace import Options, Workspace, demo_root
from tokentree.model import format as fmt
from tokentree.model.callcost import cost_units
from tokentree.model.usage import UNITS_PER_USD
from tokentree.service import hook as hooks
from tokentree.service import summary as summaries
from tokentree.service.collect import collect, publish_summary
from tokentree.service.statusline import Request, read_hook, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "statusline"
NOW = datetime(2026, 11, 20, 23, 58, 30, tzinfo=UTC)
LATEST = "bbf26aa4-a3dc-4316-854e-6757357cf14f"
"""The demo's most recently active session."""


class Pipe(io.StringIO):
    """Hook JSON on a stdin that is a pipe (``select`` needs a real descriptor)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._read_fd, write_fd = os.pipe()
        os.write(write_fd, text.encode())
        os.close(write_fd)

    def fileno(self) -> int:
        return self._read_fd

    def isatty(self) -> bool:
        return False


@pytest.fixture
def data_set(tmp_path: Path) -> tuple[Path, Path, Request]:
    """A writable copy of the demo transcripts, its summary published at ``NOW`` in a cache
    directory; returns (logs, cache directory, the statusline request for that data set)."""
    logs = tmp_path / "claude"
    shutil.copytree(demo_root() / "claude", logs)
    cache = tmp_path / "cache"
    options = Options(roots=[logs], tz="UTC")
    workspace = Workspace(options)
    try:
        workspace.refresh()
        workspace.store.build(workspace.view)
        assert publish_summary(workspace, collect(workspace, NOW), cache)
    finally:
        workspace.close()
    return logs, cache, Request([logs], [])


def statusline(request: Request, cache: Path, stdin: str | None = None, **kwargs) -> str:
    out = io.StringIO()
    stream = Pipe(stdin) if stdin is not None else io.StringIO()
    if stdin is None:
        request = Request(request.roots, request.sources, request.demo, request.session, False)
    assert (
        run(request, cache_dir=cache, stdin=stream, stdout=out, now=NOW.timestamp(), **kwargs) == 0
    )
    return out.getvalue().rstrip("\n")


def hook_json(session: str, transcript: Path) -> str:
    data = json.loads((FIXTURES / "with-rate-limits.json").read_text())
    data["session_id"], data["transcript_path"] = session, str(transcript)
    return json.dumps(data)


def append(transcript: Path, message_id: str, output: int, second: int) -> dict:
    """Append a copy of the file's last call as a new message; returns its usage."""
    lines = transcript.read_text().splitlines()
    record = next(
        json.loads(line) for line in reversed(lines) if '"assistant"' in line and '"usage"' in line
    )
    record["timestamp"] = f"2026-11-20T23:58:{second:02d}.000Z"
    record["message"]["id"] = message_id
    record["requestId"] = f"req_{message_id}"
    record["message"]["usage"]["output_tokens"] = output
    with transcript.open("a") as handle:
        handle.write(json.dumps(record, separators=(",", ":")) + "\n")
    return record["message"]


def test_ccusage_hook_inputs_give_a_line(data_set) -> None:
    """Claude Code 1.0.88's input (ccusage's fixtures): its own session cost is shown beside
    tokentree's figures; a session tokentree has not read has no tokentree cost."""
    _, cache, request = data_set
    summary = summaries.load(
        summaries.summary_file(cache, summaries.data_set_key(request.roots, [], False))
    )
    assert summary is not None
    for name in sorted(FIXTURES.glob("ccusage-*.json")):
        data = json.loads(name.read_text())
        line = statusline(request, cache, name.read_text())
        parts = line.split(" · ")
        assert parts[0] == f"sess cc {fmt.usd(data['cost']['total_cost_usd'])}", line
        assert parts[1] == f"today {fmt.usd(summary.today.cost_usd)}"
        assert parts[2] == "5h 200k ↻02:00"  # the demo's last block: 21:00–02:00, estimated
        assert parts[3].endswith("/h") and len(parts) == 4
    kept = hooks.load(hooks.kept_file(cache))
    assert {"test-session-opus4", "73cc9f9a-2775-4418-beec-bc36b62a1c6f"} <= set(kept.sessions)
    assert kept.sessions["test-session-opus4"].cost_usd == 0.0892
    assert kept.readings == ()  # these inputs carry no rate limits


def test_the_tail_of_the_current_transcript_is_added(data_set) -> None:
    logs, cache, request = data_set
    transcript = next(logs.rglob(f"{LATEST}.jsonl"))
    key = summaries.data_set_key(request.roots, [], False)
    summary = summaries.load(summaries.summary_file(cache, key))
    assert summary is not None
    before = summary.sessions[LATEST].totals

    first = statusline(request, cache, hook_json(LATEST, transcript))
    assert first.startswith(f"sess {fmt.usd(before.cost_usd)} (cc $0.21) · ")
    assert " · 5h 42% ↻02:00 · " in first  # the official window wins

    append(transcript, "msg_tail_1", 100, second=1)
    message = append(transcript, "msg_tail_1", 900, second=2)  # its later snapshot
    usage = message["usage"]
    pusd = PriceTable.bundled().call_cost_pusd(
        message["model"],
        input=usage["input_tokens"],
        output=900,
        cache_read=usage["cache_read_input_tokens"],
        cache_write_5m=usage["cache_creation"]["ephemeral_5m_input_tokens"],
        cache_write_1h=usage["cache_creation"]["ephemeral_1h_input_tokens"],
    )
    assert pusd is not None
    expected = (before.cost_units + cost_units(pusd)) / UNITS_PER_USD
    today = (summary.today.cost_units + cost_units(pusd)) / UNITS_PER_USD
    second = statusline(request, cache, hook_json(LATEST, transcript))
    assert second.startswith(f"sess {fmt.usd(expected)} (cc $0.21) · today {fmt.usd(today)} · ")
    assert statusline(request, cache, hook_json(LATEST, transcript)) == second  # read once

    kept = hooks.load(hooks.kept_file(cache))
    assert kept.tail is not None and kept.tail.offset == transcript.stat().st_size
    assert [r.name for r in kept.readings] == ["5h", "week", "week opus", "week sonnet"]
    assert kept.sessions[LATEST].cost_usd == 0.2075

    # without the hook (a shell prompt), the latest session and the kept readings
    plain = statusline(request, cache)
    assert plain.startswith(f"sess {fmt.usd(expected)} (cc $0.21) · ")
    assert " · 5h 42% ↻02:00 · " in plain


def test_without_a_summary_it_says_so(tmp_path: Path) -> None:
    request = Request([tmp_path / "logs"], [])
    line = statusline(request, tmp_path / "cache")
    assert line == "tokentree: no summary yet (open tokentree once)"
    with_hook = statusline(
        request, tmp_path / "cache", (FIXTURES / "ccusage-statusline-test.json").read_text()
    )
    assert with_hook == "sess cc $0.06 · tokentree: no summary yet (open tokentree once)"


def test_ascii_terminals_get_ascii(data_set) -> None:
    _, cache, request = data_set
    line = statusline(request, cache, env={"LANG": "C"})
    assert "5h 200k @02:00" in line and line.isascii()


def test_a_pipe_without_input_does_not_block() -> None:
    read_fd, write_fd = os.pipe()
    try:
        stream = os.fdopen(read_fd, "r")
        assert read_hook(stream, 0.0, wait=0.05) is None
    finally:
        os.close(write_fd)
        stream.close()
    assert read_hook(io.StringIO("not json"), 0.0) is None


def test_statusline_imports_neither_duckdb_nor_textual(data_set) -> None:
    """The console entry point, as Claude Code runs it, in a fresh interpreter: nothing it
    does not need (not even argparse, the config's TOML parser, platformdirs, pathlib or
    dataclasses: each is a sizeable share of a Python start-up)."""
    logs, cache, _ = data_set
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from tokentree.entry import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = ('duckdb', 'textual', 'pyarrow', 'rich', 'watchfiles', 'tomllib', 'argparse',\n"
        "         'platformdirs', 'pathlib', 'dataclasses')\n"
        "loaded = set(sys.modules) - before\n"
        "print(sorted(m for m in heavy if m in loaded), file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    env = dict(os.environ, TOKENTREE_CACHE_DIR=str(cache))
    result = subprocess.run(
        [sys.executable, "-c", code, "statusline", "--root", str(logs)],
        input=(FIXTURES / "ccusage-statusline-test.json").read_text(),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"
    assert result.stdout.startswith("sess cc $0.06 · today $")


def test_a_transcript_named_through_a_symlink_is_not_counted_twice(data_set, tmp_path) -> None:
    logs, cache, request = data_set
    transcript = next(logs.rglob(f"{LATEST}.jsonl"))
    link = tmp_path / "link.jsonl"
    link.symlink_to(transcript)
    direct = statusline(request, cache, hook_json(LATEST, transcript))
    assert statusline(request, cache, hook_json(LATEST, link)) == direct
    stranger = tmp_path / "elsewhere.jsonl"
    stranger.write_text(transcript.read_text())  # not a file the summary read for it
    assert statusline(request, cache, hook_json(LATEST, stranger)) == direct


def test_bad_arguments_are_usage_errors(capsys) -> None:
    from tokentree.service.statusline import main

    assert main(["--root"]) == 2
    assert "--root needs a value" in capsys.readouterr().err
    assert main(["--colour"]) == 2
    assert "unrecognized argument: --colour" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: tokentree statusline")
