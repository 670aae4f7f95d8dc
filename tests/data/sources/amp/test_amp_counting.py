"""Amp: documented-shape threads (no real thread file is public; the shapes are those of
ccusage's Amp adapter and tests, a user's report in ccusage #1138 and agentsview's parser), a
fixture per pitfall, bad input, and the independent reference reader."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import days_of, export, walk
from tests.data.sources.amp import reference
from tests.data.sources.amp.samples import text, usage, write_sample, write_thread
from tests.data.sources.truth import Truth, truth_of
from tokentree.data.sources.amp import paths

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")
HAIKU = "claude-haiku-4-5-20251001"


def run(root: Path, *extra: str) -> tuple[dict, str]:
    return export("--root", f"amp={root}", "--tz", "UTC", "--no-cache", *extra)


def day_totals(document: dict) -> dict[str, dict[str, int]]:
    return {day: {k: node["totals"][k] for k in FIELDS} for day, node in days_of(document).items()}


def thread(root: Path, ident: str, messages: list[dict], **extra: object) -> Path:
    return write_thread(
        root / "threads" / f"{ident}.json",
        {"v": 1, "id": ident, "created": 1795338000000, "messages": messages, **extra},
    )


def test_the_samples_equal_the_reference_reader(tmp_path: Path) -> None:
    write_sample(tmp_path)
    document, _ = run(tmp_path, "--level", "day")
    assert day_totals(document) == reference.day_totals(reference.read_calls([tmp_path]))


def test_a_thread_continued_after_the_ledger_counts_every_request_once(tmp_path: Path) -> None:
    """Events name the messages they billed; a later message no event names still billed."""
    thread(
        tmp_path,
        "T-mixed",
        [
            text("user", 0, "go"),
            {"role": "assistant", "messageId": 1,
             "usage": {"model": HAIKU, "inputTokens": 100, "outputTokens": 50,
                       "cacheCreationInputTokens": 500, "cacheReadInputTokens": 200}},
            text("user", 2, "more"),
            {"role": "assistant", "messageId": 3,
             "usage": usage(HAIKU, "2026-01-20T10:00:00.000Z", 7, 9, 0, 1000)},
        ],
        usageLedger={"events": [
            {"id": "e1", "timestamp": "2025-11-23T10:00:00.000Z", "model": HAIKU,
             "tokens": {"input": 100, "output": 50}, "toMessageId": 1},
            {"id": "e2", "timestamp": "2025-11-23T10:05:00.000Z", "model": HAIKU,
             "tokens": {"input": 3, "output": 4}, "toMessageId": 99},
        ]},
    )  # fmt: skip
    document, _ = run(tmp_path, "--level", "day")
    assert day_totals(document) == {
        "2025-11-23": {"calls": 2, "input": 103, "output": 54, "cache_read": 200,
                       "cache_write": 500},
        "2026-01-20": {"calls": 1, "input": 7, "output": 9, "cache_read": 1000, "cache_write": 0},
    }  # fmt: skip
    assert day_totals(document) == reference.day_totals(reference.read_calls([tmp_path]))


def test_two_events_naming_one_message_each_count_its_cache_once(tmp_path: Path) -> None:
    """Each event is a billed operation; the message's usage logs one request's cache counts,
    which go to the first event naming it."""
    thread(
        tmp_path,
        "T-twice",
        [
            text("user", 0, "go"),
            {"role": "assistant", "messageId": 1,
             "usage": {"model": HAIKU, "inputTokens": 100, "outputTokens": 50,
                       "cacheCreationInputTokens": 500, "cacheReadInputTokens": 200}},
        ],
        usageLedger={"events": [
            {"id": "e1", "timestamp": "2025-11-23T10:00:00.000Z", "model": HAIKU,
             "tokens": {"input": 100, "output": 50}, "toMessageId": 1},
            {"id": "e2", "timestamp": "2025-11-23T10:01:00.000Z", "model": HAIKU,
             "tokens": {"input": 30, "output": 20}, "toMessageId": 1},
        ]},
    )  # fmt: skip
    document, _ = run(tmp_path, "--level", "day")
    assert day_totals(document) == {
        "2025-11-23": {"calls": 2, "input": 130, "output": 70, "cache_read": 200,
                       "cache_write": 500},
    }  # fmt: skip
    assert day_totals(document) == reference.day_totals(reference.read_calls([tmp_path]))


def test_times_and_models_that_are_missing(tmp_path: Path) -> None:
    """A usage without a time is dated by the thread's creation; one without a model is
    counted unpriced (never $0)."""
    thread(
        tmp_path,
        "T-sparse",
        [{"role": "assistant", "messageId": 1,
          "usage": {"inputTokens": 5, "outputTokens": 6}}],
    )  # fmt: skip
    document, _ = run(tmp_path, "--level", "day")
    assert list(days_of(document)) == ["2026-11-22"]  # created: 1795338000000
    assert truth_of(document["totals"]) == Truth(1, 5, 6) and document["unpriced_calls"] == 1


def test_prompts_tools_and_the_workspace(tmp_path: Path) -> None:
    write_sample(tmp_path)
    document, _ = run(tmp_path, "--level", "call", "--annotate")
    session = next(
        n for n in walk(document) if n.get("kind") == "session" and n["id"].endswith("0001")
    )
    assert session["cwd"] == "/home/dev/src/uploader" and session["project"] == "uploader"
    turns = [n for n in walk(session) if n.get("kind") == "turn"]
    assert [t["prompt"] for t in turns] == ["fix the flaky upload test"]  # not the tool result
    assert turns[0]["start"].startswith("2026-11-22T08:20:05")  # its first call
    tools = [t for n in walk(session) if n.get("kind") == "call" for t in n["tool_calls"]]
    assert tools == [{"id": "toolu_1", "name": "Bash", "detail": "pytest -q tests/test_upload.py"}]
    assert "testing" in session["activity"]


def test_a_prompt_without_its_send_time_takes_its_answer_s(tmp_path: Path) -> None:
    thread(
        tmp_path,
        "T-p",
        [
            text("user", 0, "first"),
            {"role": "assistant", "messageId": 1,
             "usage": usage(HAIKU, "2026-11-22T09:00:00.000Z", 1, 2, 0, 0)},
            text("user", 2, "second"),
            {"role": "assistant", "messageId": 3,
             "usage": usage(HAIKU, "2026-11-22T09:05:00.000Z", 1, 2, 0, 0)},
        ],
    )  # fmt: skip
    document, _ = run(tmp_path, "--level", "turn")
    turns = [n for n in walk(document) if n.get("kind") == "turn"]
    assert [(t["prompt"], t["totals"]["calls"]) for t in turns] == [("first", 1), ("second", 1)]


def test_a_thread_seen_under_two_roots_counts_once(tmp_path: Path) -> None:
    write_sample(tmp_path / "a")
    write_sample(tmp_path / "b")
    document, _ = export(
        "--root", f"amp={tmp_path / 'a'}", "--root", f"amp={tmp_path / 'b'}", "--tz", "UTC",
        "--no-cache",
    )  # fmt: skip
    single, _ = run(tmp_path / "a")
    assert truth_of(document["totals"]) == truth_of(single["totals"])


def test_bad_threads_are_reported_and_the_rest_counted(tmp_path: Path) -> None:
    truth = write_sample(tmp_path)
    folder = tmp_path / "threads"
    (folder / "T-cut.json").write_text('{"id": "T-cut", "messages": [{"role": "assis')
    (folder / "T-list.json").write_text("[1, 2]")
    (folder / "T-odd.json").write_text(
        '{"id": "T-odd", "messages": [17, "x", {"role": "assistant", "usage": "none"}], '
        '"usageLedger": {"events": "no"}}'
    )
    document, stderr = run(tmp_path)
    assert truth_of(document["totals"]) == truth
    assert document["unreadable_files"] == 2 and "could not read" in stderr
    assert document["skipped_lines"] == 2  # the two messages that are not objects


def test_roots(tmp_path: Path) -> None:
    home = tmp_path
    assert paths.default_roots({"HOME": str(home)}) == [
        home / ".local" / "share" / "amp" / "threads"
    ]
    env = {"HOME": str(home), "AMP_DATA_DIR": "/a,/b", "XDG_DATA_HOME": "/xdg"}
    assert paths.default_roots(env) == [
        Path("/a/threads"),
        Path("/b/threads"),
        Path("/xdg/amp/threads"),
        home / ".local" / "share" / "amp" / "threads",
    ]
    assert paths.match("/x/threads/T-1.json") == "thread"
    assert paths.match("/x/other/T-1.json") == "thread"
    assert paths.match("/x/other/settings.json") is None
    assert paths.match("/x/threads/T-1.json.tmp") is None
