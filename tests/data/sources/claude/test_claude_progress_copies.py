"""agent_progress copies (docs/counting.md, "Subagents seen only through their copies").

A parent transcript gets one ``progress`` line per line of a running subagent, carrying a copy
of it in ``data.message``. When the subagent's own transcript exists, the copies change nothing;
when it is missing, they are the only record of the subagent's billed calls and are counted,
deduplicated with each other (and with any own line) by ``message.id``, the largest
``output_tokens`` winning — whether or not the copies carry ``requestId`` (2.1.x copies do).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import days_of, export, walk
from tests.data.sources.claude.lines import agent_progress, assistant, dumps, prompt, write
from tests.data.sources.claude.reference import day_totals, read_calls
from tests.data.sources.documents import calls_by_id
from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.store.store import UsageStore

SESSION = "7f3c1e52-9a0b-4c1d-8e2f-3a4b5c6d7e8f"
AGENT = "a4e1f09c2b7d63e85"
T = "2026-11-20T10:{:02d}:{:02d}.000Z"
HAIKU = "claude-haiku-4-5-20251001"


def _sub(mid: str, minute: int, second: int, *, out: int, uuid: str, **kw: object) -> str:
    """A line of the subagent's own transcript."""
    return assistant(
        mid,
        T.format(minute, second),
        rid=f"req_{mid}",
        session=SESSION,
        model=HAIKU,
        inp=6,
        out=out,
        read=9_000,
        write5=400,
        sidechain=True,
        agent=AGENT,
        uuid=uuid,
        **kw,  # type: ignore[arg-type]
    )


SUBAGENT_LINES = [
    _sub("msg_s1", 1, 10, out=3, uuid="s1a"),
    _sub("msg_s1", 1, 12, out=250, uuid="s1b", tool="Grep", tool_input={"pattern": "parse_"}),
    _sub("msg_s2", 1, 20, out=40, uuid="s2a"),
]


def _tree(root: Path, *, own_file: bool, copied: list[int], request_id: bool = True) -> Path:
    """A session whose Task call spawned the subagent: the parent holds progress copies of the
    subagent lines ``copied`` (indexes into SUBAGENT_LINES); the subagent's own transcript
    exists only with ``own_file``."""
    project = root / "projects" / "-home-dev-src-atlas"
    parent = [
        prompt("find the parser entry points", T.format(0, 0), session=SESSION, uuid="p1"),
        assistant(
            "msg_m1",
            T.format(1, 0),
            rid="req_m1",
            session=SESSION,
            out=120,
            read=12_000,
            tool="Task",
            tool_input={"subagent_type": "Explore", "description": "Find entry points"},
            uuid="m1",
        ),
    ]
    for n, index in enumerate(copied):
        line = SUBAGENT_LINES[index]
        parent.append(
            agent_progress(
                line,
                T.format(1, 30 + n),
                session=SESSION,
                agent=AGENT,
                request_id=request_id,
                uuid=f"pg{n}",
                tool_id="toolu_m1",
            )
        )
    parent.append(
        assistant("msg_m2", T.format(2, 0), rid="req_m2", session=SESSION, out=80, uuid="m2")
    )
    write(project / f"{SESSION}.jsonl", parent)
    if own_file:
        write(project / SESSION / "subagents" / f"agent-{AGENT}.jsonl", SUBAGENT_LINES)
    return root


def _day_totals(document: dict) -> dict[str, dict[str, int]]:
    keys = ("input", "output", "cache_read", "cache_write", "calls")
    return {day: {k: n["totals"][k] for k in keys} for day, n in days_of(document).items()}


@pytest.mark.parametrize("request_id", [True, False], ids=["2.1.x copies", "copies without rid"])
@pytest.mark.parametrize("copied", [[0], [0, 2], [0, 1, 2]], ids=["early", "some", "all"])
def test_copies_change_nothing_when_the_subagent_file_exists(
    tmp_path: Path, copied: list[int], request_id: bool
) -> None:
    plain, _ = export("--root", str(_tree(tmp_path / "a", own_file=True, copied=[])), "--tz", "UTC")
    root = _tree(tmp_path / "b", own_file=True, copied=copied, request_id=request_id)
    document, stderr = export("--root", str(root), "--tz", "UTC")
    assert "malformed" not in stderr
    assert document["totals"] == plain["totals"]
    assert _day_totals(document) == day_totals(read_calls([root / "projects"]), "UTC")
    calls = calls_by_id(document)
    assert sorted(calls) == ["msg_m1", "msg_m2", "msg_s1", "msg_s2"]
    subagent = calls["msg_s1"]
    assert (subagent["totals"]["output"], subagent["agent_id"], subagent["sidechain"]) == (
        250,
        AGENT,
        True,
    )
    assert subagent["request_id"] == "req_msg_s1"  # the own line (largest output) is kept
    assert subagent["tools"] == ["Grep"]


@pytest.mark.parametrize("request_id", [True, False], ids=["2.1.x copies", "copies without rid"])
def test_copies_are_the_calls_when_the_subagent_file_is_missing(
    tmp_path: Path, request_id: bool
) -> None:
    full, _ = export("--root", str(_tree(tmp_path / "a", own_file=True, copied=[])), "--tz", "UTC")
    root = _tree(tmp_path / "b", own_file=False, copied=[0, 1, 2], request_id=request_id)
    document, _ = export("--root", str(root), "--tz", "UTC")
    # every billed call is there, with the same tokens as when the subagent's file exists
    assert document["totals"] == full["totals"]
    assert _day_totals(document) == day_totals(read_calls([root / "projects"]), "UTC")
    calls = calls_by_id(document)
    s1, s2 = calls["msg_s1"], calls["msg_s2"]
    assert (s1["totals"]["output"], s1["totals"]["input"], s1["totals"]["cache_read"]) == (
        250,
        6,
        9_000,
    )
    assert s1["totals"]["cache_write"] == 400 and s1["model"] == HAIKU
    assert (s1["agent_id"], s1["sidechain"], s1["merged_lines"]) == (AGENT, True, 2)
    assert s1["tools"] == ["Grep"]  # the copy's tool_use block: activity attribution works
    assert s1["request_id"] == ("req_msg_s1" if request_id else None)
    assert s1["start"].startswith("2026-11-20T10:01:12")  # the copied line's time
    assert s2["totals"]["output"] == 40
    # the subagent's calls are in the parent's session, in the turn that spawned them
    (session,) = [n for n in walk(document) if n.get("kind") == "session"]
    assert session["id"] == SESSION and session["subagent_calls"] == 2
    (turn,) = [n for n in walk(document) if n.get("kind") == "turn"]
    assert turn["totals"]["calls"] == 4


def test_only_the_copied_lines_are_known_when_the_file_is_missing(tmp_path: Path) -> None:
    """A copy of an early streaming line is all there is: its partial output is counted."""
    root = _tree(tmp_path, own_file=False, copied=[0])
    document, _ = export("--root", str(root), "--tz", "UTC")
    calls = calls_by_id(document)
    assert sorted(calls) == ["msg_m1", "msg_m2", "msg_s1"]
    assert calls["msg_s1"]["totals"]["output"] == 3
    assert _day_totals(document) == day_totals(read_calls([root / "projects"]), "UTC")


def test_copies_of_user_lines_and_other_progress_lines_are_not_calls(tmp_path: Path) -> None:
    project = tmp_path / "projects" / "p"
    task_prompt = dumps(
        {
            "parentUuid": None,
            "isSidechain": True,
            "userType": "external",
            "cwd": "/x",
            "sessionId": SESSION,
            "version": "2.1.45",
            "gitBranch": "main",
            "agentId": AGENT,
            "type": "user",
            "message": {"role": "user", "content": "Explore the parser module"},
            "uuid": "u1",
            "timestamp": T.format(1, 5),
        }
    )
    hook = dumps(
        {
            "parentUuid": None,
            "isSidechain": False,
            "sessionId": SESSION,
            "type": "progress",
            "data": {"type": "hook_progress", "hookEvent": "PostToolUse", "hookName": "x"},
            "uuid": "h1",
            "timestamp": T.format(1, 6),
        }
    )
    write(
        project / f"{SESSION}.jsonl",
        [
            assistant("msg_m1", T.format(1, 0), session=SESSION, uuid="m1"),
            agent_progress(task_prompt, T.format(1, 7), session=SESSION, uuid="pg1"),
            hook,
        ],
    )
    document, stderr = export("--root", str(tmp_path), "--tz", "UTC")
    assert sorted(calls_by_id(document)) == ["msg_m1"]
    assert "malformed" not in stderr
    (turn,) = [n for n in walk(document) if n.get("kind") == "turn"]
    assert "Explore" not in turn["label"]  # a copied subagent prompt is not a turn


def test_a_nested_subagent_seen_only_through_its_parent_subagent(tmp_path: Path) -> None:
    """A subagent that spawns one: the copies sit in the first subagent's own transcript."""
    project = tmp_path / "projects" / "p"
    nested = assistant(
        "msg_n1",
        T.format(3, 0),
        rid="req_n1",
        session=SESSION,
        model=HAIKU,
        out=77,
        sidechain=True,
        agent="b9",
        uuid="n1",
    )
    write(
        project / SESSION / "subagents" / f"agent-{AGENT}.jsonl",
        [
            *SUBAGENT_LINES,
            agent_progress(nested, T.format(3, 1), session=SESSION, agent="b9", uuid="pg9"),
        ],
    )
    write(project / f"{SESSION}.jsonl", [assistant("msg_m1", T.format(0, 30), session=SESSION)])
    document, _ = export("--root", str(tmp_path), "--tz", "UTC")
    calls = calls_by_id(document)
    assert calls["msg_n1"]["agent_id"] == "b9" and calls["msg_n1"]["totals"]["output"] == 77
    assert _day_totals(document) == day_totals(read_calls([tmp_path / "projects"]), "UTC")


def _raw_rows(path: Path, offset: int) -> list[tuple]:
    store = UsageStore()
    try:
        target = ScanTarget(str(path), path.stat().st_size, 0, "claude", "transcript", offset)
        (state,) = Scanner(store.cursor()).scan([target])
        assert state.via == ("tail" if offset else "duckdb")
        return (
            store.cursor()
            .execute("SELECT * EXCLUDE (file_id) FROM raw_calls ORDER BY call_id")
            .fetchall()
        )
    finally:
        store.close()


def test_the_tolerant_reader_reads_copies_as_the_scan_does(tmp_path: Path) -> None:
    """Appended tails (and lines DuckDB cannot read) go through the Python twin of the scan."""
    root = _tree(tmp_path, own_file=False, copied=[0, 1, 2], request_id=False)
    (path,) = root.rglob("*.jsonl")
    head = b'{"type":"summary","summary":"Parser work","leafUuid":"x"}\n'
    path.write_bytes(head + path.read_bytes())
    by_duckdb = _raw_rows(path, 0)
    assert [row[2] for row in by_duckdb] == ["msg_m1", "msg_m2", "msg_s1", "msg_s2"]
    assert _raw_rows(path, len(head)) == by_duckdb
