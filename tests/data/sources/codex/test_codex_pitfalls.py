"""One hand-made fixture per Codex pitfall of formats.md §7 (P-X1 … P-X11); every expectation is
worked out from the numbers written, and the reference reader must agree (pitfalls.totals)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bench.writers import codex_lines as cx
from tests.conftest import walk
from tests.data.sources.codex.pitfalls import (
    CWD,
    T0,
    at,
    expect,
    request,
    rollout,
    thread_id,
    totals,
    u,
)
from tests.data.sources.codex.reference import read_calls
from tests.data.sources.documents import call_list
from tokentree.data.workspace import Options, Workspace

PARENT, CHILD = thread_id(1), thread_id(2)


def test_x1_re_emitted_token_counts_bill_nothing(tmp_path: Path) -> None:
    first, second = u(1000, 800, 50, 10), u(1500, 1000, 70, 20)
    rollout(
        tmp_path,
        PARENT,
        [
            cx.session_meta(at(0), PARENT, CWD),
            *request(at(10), first, first),
            cx.turn_context(at(11), "gpt-5.3-codex", CWD, "t"),
            cx.token_count(at(12), first, first),  # the same totals again
            cx.token_count(at(13), first, first),
            *request(at(20), first + second, second),
        ],
    )
    found, _ = totals(tmp_path)
    assert found == expect(first, second)


def _parent(home: Path, *usages) -> tuple[list[str], object]:
    """A parent thread with one request per usage; its lines and final total."""
    lines = [cx.session_meta(at(0), PARENT, CWD), cx.user_message(at(1), "start")]
    total = u(0, 0, 0)
    for index, usage in enumerate(usages):
        total = total + usage
        lines += request(at(10 + 10 * index), total, usage)
    rollout(home, PARENT, lines)
    return lines, total


def _copy(lines: list[str], at_ts, *, rewrite: bool) -> list[str]:
    """The parent's lines as a fork copies them (timestamps rewritten to the fork's time)."""
    import json

    copied = []
    for index, text in enumerate(lines):
        obj = json.loads(text)
        if rewrite:
            obj["timestamp"] = cx.stamp(at_ts + timedelta(milliseconds=index // 3))
        copied.append(json.dumps(obj, separators=(",", ":")))
    return copied


@pytest.mark.parametrize("marker", [True, False])
def test_x2_an_ordinary_fork_bills_only_after_its_copy(tmp_path: Path, marker: bool) -> None:
    """The copy ends where the owner's session_meta is written again, or (no marker) after
    the burst of copied usage events; a re-emission of the copied total bills nothing."""
    a, b, own = u(1000, 0, 100), u(2000, 900, 200), u(3000, 2500, 300)
    lines, total = _parent(tmp_path, a, b)
    fork = at(100)
    owner = cx.session_meta(fork, CHILD, CWD, forked_from=PARENT)
    rollout(
        tmp_path,
        CHILD,
        [
            owner,
            *_copy(lines, fork, rewrite=True),
            *([owner] if marker else []),
            cx.user_message(at(110), "go on"),
            cx.turn_context(at(111), "gpt-5.3-codex", CWD, "t"),
            cx.token_count(at(112), total, b),
            *request(at(120), total + own, own),
        ],
        start=fork,
    )
    found, document = totals(tmp_path)
    assert found == expect(a, b, own)
    sessions = {n["id"] for n in walk(document) if n.get("kind") == "session"}
    assert sessions == {PARENT, CHILD}  # an ordinary fork is a session of its own


def test_x2_empty_fork_bills_nothing(tmp_path: Path) -> None:
    a = u(1000, 0, 100)
    lines, _ = _parent(tmp_path, a)
    fork = at(100)
    rollout(
        tmp_path,
        CHILD,
        [cx.session_meta(fork, CHILD, CWD, forked_from=PARENT), *_copy(lines, fork, rewrite=True)],
        start=fork,
    )
    found, _ = totals(tmp_path)
    assert found == expect(a)


@pytest.mark.parametrize("parent_file", [True, False])
def test_x2_spawned_subagent_copy_ends_at_its_trigger_and_rolls_into_the_parent(
    tmp_path: Path, parent_file: bool
) -> None:
    """The copies keep their original timestamps: with the parent's rollout present they also
    merge with its requests; without it, only the trigger marks where the copy ends."""
    a, b, own = u(1000, 0, 100), u(2000, 900, 200), u(800, 300, 40)
    lines, total = _parent(tmp_path, a, b)
    if not parent_file:
        for path in tmp_path.rglob(f"*{PARENT}.jsonl"):
            path.unlink()
    spawn = at(40)
    rollout(
        tmp_path,
        CHILD,
        [
            cx.session_meta(
                spawn, CHILD, CWD, source=cx.spawned(PARENT, role="explorer"), forked_from=PARENT
            ),
            *lines,  # copied with their original timestamps
            cx.trigger(at(40.5), "/root", "/root/explorer", "look"),
            *request(at(60), total + own, own),
        ],
        start=spawn,
    )
    found, document = totals(tmp_path)
    assert found == (expect(a, b, own) if parent_file else expect(own))
    sessions = [n for n in walk(document) if n.get("kind") == "session"]
    assert [n["id"] for n in sessions] == [PARENT]  # the subagent rolls into its parent


def test_x2_subagent_restarting_its_counter_after_the_copy(tmp_path: Path) -> None:
    a, b, own1, own2 = u(1000, 0, 100), u(2000, 900, 200), u(800, 300, 40), u(900, 700, 50)
    lines, _ = _parent(tmp_path, a, b)
    spawn = at(40)
    rollout(
        tmp_path,
        CHILD,
        [
            cx.session_meta(spawn, CHILD, CWD, source=cx.spawned(PARENT), forked_from=PARENT),
            *_copy(lines, spawn, rewrite=True),
            cx.trigger(at(40.5), "/root", "/root/worker", "look"),
            *request(at(60), own1, own1),  # a counter of its own, from zero
            *request(at(70), own1 + own2, own2),
        ],
        start=spawn,
    )
    found, _ = totals(tmp_path)
    assert found == expect(a, b, own1, own2)


def test_x2_fresh_subagent_loses_nothing_to_a_later_trigger(tmp_path: Path) -> None:
    """A subagent that copied nothing keeps every request, even before a follow-up task."""
    a, own1, own2 = u(1000, 0, 100), u(800, 300, 40), u(900, 700, 50)
    _parent(tmp_path, a)
    spawn = at(40)
    rollout(
        tmp_path,
        CHILD,
        [
            cx.session_meta(spawn, CHILD, CWD, source=cx.spawned(PARENT)),
            *request(at(60), own1, own1),
            cx.trigger(at(65), "/root", "/root/worker", "one more thing"),
            *request(at(70), own1 + own2, own2),
        ],
        start=spawn,
    )
    found, _ = totals(tmp_path)
    assert found == expect(a, own1, own2)


def test_x2_compact_copy_without_ancestor_metadata(tmp_path: Path) -> None:
    """A child that copied only the parent's counters (no session_meta, no marker): the copies
    carry totals larger than their last request and sit in one burst."""
    a, b, own = u(28_000_000, 0, 700_000), u(30_000, 0, 1000), u(40_000, 0, 2000)
    spawn = at(100)
    rollout(
        tmp_path,
        CHILD,
        [
            cx.session_meta(spawn, CHILD, CWD, source=cx.spawned(PARENT), forked_from=PARENT),
            cx.line(spawn, "compacted", {"message": "summary", "replacement_history": []}),
            cx.token_count(spawn, a, u(0, 0, 0)),
            cx.token_count(spawn + timedelta(milliseconds=1), a + b, b),
            *request(at(280), a + b + own, own),
        ],
        start=spawn,
    )
    found, _ = totals(tmp_path)
    assert found == expect(own)


def test_x3_cached_cache_writes_and_reasoning_are_subsets(tmp_path: Path) -> None:
    call = u(10_000, 6_000, 900, reasoning=400, write=2_500)
    rollout(
        tmp_path,
        PARENT,
        [cx.session_meta(at(0), PARENT, CWD), *request(at(10), call, call)],
    )
    found, document = totals(tmp_path)
    assert found == {
        "calls": 1,
        "input": 10_000 - 6_000 - 2_500,
        "output": 900,
        "cache_read": 6_000,
        "cache_write": 2_500,
    }
    assert document["totals"]["total"] == 10_000 + 900


def test_x4_info_null_and_counter_resets(tmp_path: Path) -> None:
    a, b, c = u(1000, 0, 100), u(2000, 900, 200), u(500, 0, 50)
    rollout(
        tmp_path,
        PARENT,
        [
            cx.session_meta(at(0), PARENT, CWD),
            cx.token_count(at(5), None, None, limits=cx.rate_limits(at(5), 3.0)),
            *request(at(10), a, a),
            *request(at(20), a + b, b),
            *request(at(30), c, c),  # a resumed process counts from zero again
            *request(at(40), c + a, a),
        ],
    )
    found, _ = totals(tmp_path)
    assert found == expect(a, b, c, a)


def test_x5_usage_records_and_token_counts_count_once(tmp_path: Path) -> None:
    a, b, c = u(1000, 0, 100), u(2000, 900, 200), u(500, 100, 50)
    lines = [cx.session_meta(at(0), PARENT, CWD), *request(at(10), a, a)]
    # from here on the thread logs each response twice: a usage record and a token count
    lines += [
        cx.turn_context(at(18), "gpt-5.5", CWD, "t"),
        cx.usage_record(at(20), PARENT, "t", "resp_b", b, a + b),
        cx.token_count(at(20), a + b, b),
        cx.turn_context(at(28), "gpt-5.5", CWD, "t"),
        cx.usage_record(at(30), PARENT, "t", "resp_c", c, a + b + c),
        cx.token_count(at(30), a + b + c, c),
    ]
    rollout(tmp_path, PARENT, lines)
    found, document = totals(tmp_path)
    assert found == expect(a, b, c)
    ids = sorted(call["id"] for call in call_list(document))
    assert ids == sorted([f"{PARENT}:1", "resp_b", "resp_c"])


def test_x6_compressed_and_archived_copies_count_once(tmp_path: Path) -> None:
    a, b, c = u(1000, 0, 100), u(2000, 900, 200), u(700, 0, 70)
    first = [cx.session_meta(at(0), PARENT, CWD), *request(at(10), a, a)]
    rollout(tmp_path, PARENT, first)
    rollout(tmp_path, PARENT, first, compressed=True)  # its recompressed twin
    rollout(tmp_path, PARENT, first, folder="archived_sessions")  # and an archived copy
    second = [cx.session_meta(at(100), CHILD, CWD), *request(at(110), b, b)]
    rollout(tmp_path, CHILD, second, start=at(100), compressed=True)  # only compressed
    third = thread_id(3)
    rollout(
        tmp_path,
        third,
        [cx.session_meta(at(200), third, CWD), *request(at(210), c, c)],
        start=at(200),
        folder="archived_sessions",
    )
    found, document = totals(tmp_path)
    assert found == expect(a, b, c)
    assert document["files"] == 3


def test_x6_copies_that_differ_merge_request_by_request(tmp_path: Path) -> None:
    """An archived copy that is shorter than the live rollout under another folder name still
    counts each request once (dedup_key)."""
    a, b = u(1000, 0, 100), u(2000, 900, 200)
    lines = [cx.session_meta(at(0), PARENT, CWD), *request(at(10), a, a)]
    rollout(tmp_path, PARENT, [*lines, *request(at(20), a + b, b)])
    archived = rollout(tmp_path, PARENT, lines, folder="archived_sessions")
    archived.rename(archived.with_name("rollout-copy-" + archived.name.removeprefix("rollout-")))
    found, _ = totals(tmp_path)
    assert found == expect(a, b)


def test_x7_days_follow_the_event_times_not_the_file_name(tmp_path: Path) -> None:
    a, b = u(1000, 0, 100), u(2000, 900, 200)
    start = T0.replace(hour=23, minute=50)  # 00:50 local (UTC+1): the file is named for May 5
    lines = [
        cx.session_meta(start, PARENT, CWD),
        *request(start + timedelta(minutes=5), a, a),
        *request(start + timedelta(minutes=15), a + b, b),  # after midnight UTC
    ]
    path = rollout(tmp_path, PARENT, lines, start=start)
    assert "/2026/05/05/" in str(path)
    _, document = totals(tmp_path)
    days = {n["id"]: n["totals"]["calls"] for n in walk(document) if n.get("kind") == "day"}
    assert days == {"2026-05-04": 1, "2026-05-05": 1}
    _, document = totals(tmp_path, "America/New_York")
    days = {n["id"]: n["totals"]["calls"] for n in walk(document) if n.get("kind") == "day"}
    assert days == {"2026-05-04": 2}


def test_x8_model_per_request_with_fallbacks(tmp_path: Path) -> None:
    a, b, c, d = u(1000, 0, 100), u(2000, 900, 200), u(500, 0, 50), u(400, 0, 40)
    rollout(
        tmp_path,
        PARENT,
        [
            cx.session_meta(at(0), PARENT, CWD),
            *request(at(10), a, a, model="gpt-5.3-codex"),
            *request(at(20), a + b, b, model="gpt-5.5"),  # switched mid-session
            *request(at(30), a + b + c, c, model="codex-auto-review"),
        ],
    )
    early = thread_id(3)
    rollout(
        tmp_path,
        early,
        [cx.session_meta(at(50), early, CWD), *request(at(60), d, d, model=None)],
        start=at(50),
    )
    found, document = totals(tmp_path)
    assert found == expect(a, b, c, d)
    models = [call["model"] for call in sorted(call_list(document), key=lambda n: n["start"])]
    # the auto-reviewer bills as the default model of its day (gpt-5.5 from 2026-04-23); a
    # build that logged no model ran gpt-5
    assert models == ["gpt-5.3-codex", "gpt-5.5", "gpt-5.5", "gpt-5"]


def test_x9_session_meta_shapes_and_pre_envelope_lines(tmp_path: Path) -> None:
    a = u(1000, 0, 100)
    rollout(
        tmp_path,
        PARENT,
        [
            '{"id":"old-style","timestamp":"2025-08-01T10:00:00Z","instructions":"x"}',
            '{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}',
            cx.session_meta(at(0), PARENT, CWD, source={"subagent": "review"}),
            cx.session_meta(at(1), PARENT, CWD),
            *request(at(10), a, a),
        ],
    )
    found, document = totals(tmp_path)
    assert found == expect(a)
    assert document["skipped_lines"] == 0


def test_x10_prompts_from_user_messages_and_items(tmp_path: Path) -> None:
    a, b, c = u(1000, 0, 100), u(2000, 900, 200), u(500, 0, 50)
    rollout(
        tmp_path,
        PARENT,
        [
            cx.session_meta(at(0), PARENT, CWD),
            cx.message(at(1), "user", "<environment_context>…</environment_context>"),
            cx.user_message(at(2), "first prompt"),
            *request(at(10), a, a),
            cx.user_item(at(20), "second prompt", "item-2", PARENT),
            cx.user_message(at(20.1), "second prompt"),  # the same prompt, logged both ways
            *request(at(30), a + b, b),
            cx.user_item(at(40), "# Context from my IDE\n## My request for Codex:\nthird", "i3"),
            *request(at(50), a + b + c, c),
        ],
    )
    _, document = totals(tmp_path)
    turns = [n for n in walk(document) if n.get("kind") == "turn"]
    assert [t["totals"]["calls"] for t in turns] == [1, 1, 1]
    assert [t["label"].split(" · ")[0] for t in turns] == [
        '"first prompt"',
        '"second prompt"',
        '"third"',
    ]


def test_x11_only_rollouts_are_read(tmp_path: Path) -> None:
    a = u(1000, 0, 100)
    rollout(tmp_path, PARENT, [cx.session_meta(at(0), PARENT, CWD), *request(at(10), a, a)])
    (tmp_path / "history.jsonl").write_text('{"session_id":"x","ts":1,"text":"hi"}\n')
    (tmp_path / "session_index.jsonl").write_text('{"id":"x","thread_name":"n"}\n')
    (tmp_path / "state_5.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "rollout-not-really.jsonl").write_text("{}\n")
    found, document = totals(tmp_path)
    assert found == expect(a) and document["files"] == 1


def test_tools_attach_to_the_next_request_with_their_command_lines(tmp_path: Path) -> None:
    a, b = u(1000, 0, 100), u(2000, 900, 200)
    patch = "*** Begin Patch\n*** Update File: src/app.py\n@@\n-a\n+b\n*** End Patch\n"
    rollout(
        tmp_path,
        PARENT,
        [
            cx.session_meta(at(0), PARENT, CWD),
            cx.function_call(at(5), "exec_command", {"cmd": "git status", "workdir": "."}, "c1"),
            cx.function_call(at(5.1), "shell", {"command": ["bash", "-lc", "pytest -q"]}, "c2"),
            cx.function_call(at(5.2), "shell_command", {"command": "rg -n todo src"}, "c3"),
            cx.local_shell_call(at(5.3), ["ls", "-la"], "c4"),
            *request(at(10), a, a),
            cx.custom_tool_call(at(15), "apply_patch", patch, "c5"),
            cx.function_call(at(15.1), "apply_patch", {"input": patch}, "c6"),
            cx.function_call(at(15.2), "update_plan", {"plan": []}, "c7"),
            cx.function_call(at(15.3), "mcp__docs__search", {"query": "duckdb asof"}, "c8"),
            cx.function_call(at(15.4), "view_image", "[REDACTED_ARGUMENTS len=40]", "c9"),
            *request(at(20), a + b, b),
            cx.function_call(at(25), "exec_command", {"cmd": "make"}, "c10"),  # no usage yet
        ],
    )
    workspace = Workspace(Options(roots=[("codex", tmp_path)], tz="UTC"))
    try:
        workspace.refresh()
        workspace.store.build(workspace.view)
        rows = (
            workspace.store.cursor()
            .execute(
                "SELECT call_id, [(t.id, t.name, t.detail) FOR t IN tools] FROM calls ORDER BY ts"
            )
            .fetchall()
        )
    finally:
        workspace.close()
    assert rows == [
        (
            f"{PARENT}:1",
            [
                ("c1", "exec_command", "git status"),
                ("c2", "shell", "pytest -q"),
                ("c3", "shell_command", "rg -n todo src"),
                ("c4", "local_shell", "ls -la"),
            ],
        ),
        (
            f"{PARENT}:2",
            [
                ("c5", "apply_patch", "src/app.py"),
                ("c6", "apply_patch", "src/app.py"),
                ("c7", "update_plan", None),
                ("c8", "mcp__docs__search", "duckdb asof"),
                ("c9", "view_image", None),
            ],
        ),
    ]
    reference = [[(name, detail) for name, detail in call.tools] for call in read_calls([tmp_path])]
    assert reference == [[(name, detail) for _, name, detail in tools] for _, tools in rows]
    _, document = totals(tmp_path, "UTC", "--annotate")
    first = next(n for n in walk(document) if n.get("kind") == "call")
    assert set(first["activity"]) >= {"git", "testing"}
