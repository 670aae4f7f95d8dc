"""One hand-made fixture per Gemini CLI pitfall (formats.md §7, P-G1–P-G6) and the bad input
the streaming and legacy formats meet. Expected numbers come from the tokens the test wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import days_of, export, walk
from tests.data.sources.documents import calls_by_id
from tests.data.sources.gemini import reference
from tests.data.sources.gemini.chatlines import (
    gemini,
    info,
    meta,
    project_hash,
    rewind,
    set_,
    tokens,
    user,
    write_jsonl,
    write_legacy,
)
from tests.data.sources.gemini.samples import truth_of
from tests.data.sources.truth import truth_of as totals_of
from tokentree.data.sources.gemini import legacy

T = "2026-11-20T10:{:02d}:00.000Z"
S1 = "11111111-aaaa-4aaa-8aaa-111111111111"
S2 = "22222222-bbbb-4bbb-8bbb-222222222222"
ROOT = "/home/dev/src/atlas"


def chats(tmp: Path, project: str = "atlas") -> Path:
    return tmp / "tmp" / project / "chats"


def run(root: Path, *extra: str) -> dict[str, Any]:
    document, stderr = export("--root", f"gemini={root}", "--tz", "UTC", *extra)
    assert document["unreadable_files"] == 0, stderr
    return document


def sessions(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in walk(document) if n.get("kind") == "session"}


# --------------------------------------------------------------------------- P-G1


def test_p_g1_a_re_appended_message_is_one_call_with_all_its_tools(tmp_path: Path) -> None:
    g1 = tokens(1000, 40, cached=500, thoughts=10)
    g2 = tokens(2000, 60, cached=1500)
    write_jsonl(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.jsonl",
        [
            meta(S1, ROOT, T.format(0)),
            user("u1", T.format(0), "go"),
            gemini("g1", T.format(1), None),  # before its tokens arrived
            gemini("g1", T.format(1), g1),
            set_(lastUpdated=T.format(1)),
            gemini("g1", T.format(1), g1, tools=[("read_file", {"file_path": "a.py"})]),
            gemini("g2", T.format(2), g2, tools=[("glob", {"pattern": "*.py"})]),
            gemini(
                "g2",
                T.format(2),
                g2,
                tools=[("glob", {"pattern": "*.py"}), ("run_shell_command", {"command": "ls"})],
            ),
        ],
    )
    document = run(tmp_path)
    assert totals_of(document["totals"]) == truth_of(g1, g2)
    found = calls_by_id(document)
    assert {t["detail"] for t in found["g1"]["tool_calls"]} == {"a.py"}
    assert {(t["name"], t["detail"]) for t in found["g2"]["tool_calls"]} == {
        ("glob", "*.py"),
        ("run_shell_command", "ls"),
    }
    assert found["g1"]["merged_lines"] == 3


# --------------------------------------------------------------------------- P-G2


def test_p_g2_rewound_messages_were_billed_and_stay_counted(tmp_path: Path) -> None:
    g = [tokens(1000 + 100 * i, 20 + i, cached=200) for i in range(4)]
    write_jsonl(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.jsonl",
        [
            meta(S1, ROOT, T.format(0)),
            user("u1", T.format(0), "first"),
            gemini("g0", T.format(1), g[0]),
            user("u2", T.format(2), "second, soon regretted"),
            gemini("g1", T.format(3), g[1]),
            gemini("g2", T.format(4), g[2]),
            rewind("u2"),
            user("u3", T.format(5), "second, better"),
            gemini("g3", T.format(6), g[3]),
        ],
    )
    document = run(tmp_path)
    assert totals_of(document["totals"]) == truth_of(*g)
    (session,) = sessions(document).values()
    assert [t["prompt"] for t in session["children"]] == [
        "first",
        "second, soon regretted",
        "second, better",
    ]


def test_p_g2_a_checkpoint_neither_doubles_nor_drops_calls(tmp_path: Path) -> None:
    """``$set.messages`` replaces the conversation: copies of earlier messages (content masked),
    a synthetic summary, and without g1. Every message in it was appended on its own line."""
    g1, g2, g3 = tokens(900, 10), tokens(1900, 20, cached=800), tokens(500, 5, cached=400)
    checkpoint = [
        user("u1", T.format(0), "[masked]"),
        user("summary-1", T.format(2), "<state_snapshot>the story so far</state_snapshot>"),
        gemini("g2", T.format(2), g2),
    ]
    write_jsonl(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.jsonl",
        [
            meta(S1, ROOT, T.format(0)),
            user("u1", T.format(0), "refactor it"),
            gemini("g1", T.format(1), g1),
            gemini("g2", T.format(2), g2),
            set_(messages=checkpoint, lastUpdated=T.format(3)),
            gemini("g3", T.format(4), g3),
        ],
    )
    document = run(tmp_path)
    assert totals_of(document["totals"]) == truth_of(g1, g2, g3)
    (session,) = sessions(document).values()
    assert [t["prompt"] for t in session["children"]] == ["refactor it"]


# --------------------------------------------------------------------------- P-G3


def test_p_g3_a_legacy_session_migrated_to_jsonl_counts_once(tmp_path: Path) -> None:
    g1, g2, g3 = tokens(800, 10), tokens(1600, 20, cached=700), tokens(2400, 30, cached=1500)
    head = meta(S1, ROOT, T.format(0))
    old = [user("u1", T.format(0), "start"), gemini("g1", T.format(1), g1)]
    old += [gemini("g2", T.format(2), g2)]
    write_legacy(chats(tmp_path) / "session-2026-11-20T10-00-11111111.json", head, old)
    write_jsonl(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.jsonl",
        [
            head,
            *old,
            set_(sessionId=S1),
            user("u2", T.format(5), "resume"),
            gemini("g3", T.format(6), g3),
        ],
    )
    document = run(tmp_path)
    assert totals_of(document["totals"]) == truth_of(g1, g2, g3)
    (session,) = sessions(document).values()
    assert [t["prompt"] for t in session["children"]] == ["start", "resume"]
    assert calls_by_id(document)["g1"]["merged_lines"] == 2  # seen in both files


def test_p_g3_both_folder_eras_find_the_project(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    registered, unknown, marked, listed = (
        "/home/dev/src/registered",
        "/home/dev/src/unknown",
        "/home/dev/src/marked",
        "/home/dev/src/listed",
    )
    (tmp_path / "projects.json").write_text(
        json.dumps({"projects": {registered: "ignored-slug", listed: "listed"}})
    )
    (tmp / "marked").mkdir(parents=True)
    (tmp / "marked" / ".project_root").write_text(marked + "\n")
    layout = {
        "a": (tmp / project_hash(registered), registered, None),
        "b": (tmp / project_hash(unknown), unknown, None),
        "c": (tmp / "marked", marked, None),
        "d": (tmp / "listed", listed, None),
        "e": (tmp / project_hash(unknown + "-sub"), unknown + "-sub", [unknown + "-sub", "/x"]),
    }
    for key, (directory, root, dirs) in layout.items():
        session = f"{key * 8}-0000-4000-8000-000000000000"
        write_jsonl(
            directory / "chats" / f"session-2026-11-20T10-00-{key * 8}.jsonl",
            [
                meta(session, root, T.format(0), directories=dirs),
                gemini(f"g{key}", T.format(1), tokens(10, 1)),
            ],
        )
    found = {s["id"][0]: (s["cwd"], s["project"]) for s in sessions(run(tmp_path)).values()}
    assert (
        found
        == {
            "a": (registered, "registered"),  # hashed dir, root from the registry
            "b": (None, project_hash(unknown)[:8]),  # hashed dir nobody knows: its hash
            "c": (marked, "marked"),  # slug dir with its .project_root marker
            "d": (listed, "listed"),  # slug dir known to the registry
            "e": (
                unknown + "-sub",
                "unknown-sub",
            ),  # a recorded directory whose sha256 is projectHash
        }
    )


def test_p_g3_a_subagent_chat_joins_its_parent_session(tmp_path: Path) -> None:
    sub = "33333333-cccc-4ccc-8ccc-333333333333"
    main = [tokens(1000, 10, cached=500)]
    side = [tokens(300, 30, thoughts=3), tokens(400, 40)]
    write_jsonl(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.jsonl",
        [
            meta(S1, ROOT, T.format(0)),
            user("u1", T.format(0), "investigate"),
            gemini("m1", T.format(1), main[0], tools=[("codebase_investigator", {})]),
        ],
    )
    write_jsonl(
        chats(tmp_path) / S1 / f"{sub}.jsonl",
        [
            meta(sub, ROOT, T.format(1), kind="subagent", directories=[ROOT]),
            user("su1", T.format(1), "look at the parser"),
            gemini("s1", T.format(2), side[0]),
            gemini("s2", T.format(3), side[1]),
        ],
    )
    document = run(tmp_path)
    assert totals_of(document["totals"]) == truth_of(*main, *side)
    (session,) = sessions(document).values()
    assert session["id"] == S1 and session["subagent_calls"] == 2 and session["subagents"] == 1
    (turn,) = session["children"]  # the subagent's task is not a human prompt
    assert turn["prompt"] == "investigate"
    found = calls_by_id(document)
    assert found["s1"]["sidechain"] and found["s1"]["agent_id"] == sub
    assert not found["m1"]["sidechain"]


# --------------------------------------------------------------------------- P-G4


def test_p_g4_cached_is_inside_input_tool_is_input_thoughts_are_output(tmp_path: Path) -> None:
    write_jsonl(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.jsonl",
        [
            meta(S1, ROOT, T.format(0)),
            gemini("g1", T.format(1), tokens(1000, 50, cached=400, thoughts=70, tool=30)),
            gemini("g2", T.format(2), None),  # tokens never arrived: nothing billed
            gemini("g3", T.format(3), tokens(0, 0)),  # all zero: not a request
            gemini("g4", T.format(4), {"input": "12", "output": 3.0, "cached": None}),
            info("i1", T.format(5)),
        ],
    )
    document = run(tmp_path)
    found = calls_by_id(document)
    assert set(found) == {"g1", "g4"}
    g1 = found["g1"]["totals"]
    assert (g1["input"], g1["cache_read"], g1["output"]) == (1000 - 400 + 30, 400, 50 + 70)
    assert found["g1"]["reasoning"] == 70
    g4 = found["g4"]["totals"]
    assert (g4["input"], g4["output"], g4["cache_read"]) == (12, 3, 0)


# --------------------------------------------------------------------------- P-G5


def test_p_g5_a_large_pretty_printed_legacy_session_is_streamed(tmp_path: Path) -> None:
    blob = "x" * 200_000
    usages = [tokens(5000 + i, 10 + i, cached=1000 + i, thoughts=i) for i in range(100)]
    messages: list[dict[str, Any]] = []
    for i, usage in enumerate(usages):
        ts = f"2026-11-20T{10 + i // 60}:{i % 60:02d}:00.000Z"
        messages.append(user(f"u{i}", ts, f"step {i}"))
        message = gemini(f"g{i}", ts, usage, tools=[("read_file", {"file_path": "f"})])
        message["toolCalls"][0]["resultDisplay"] = blob  # the bulk of real large sessions
        messages.append(message)
    path = write_legacy(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.json", meta(S1), messages
    )
    assert path.stat().st_size > legacy.WHOLE_LIMIT
    document = run(tmp_path)
    assert totals_of(document["totals"]) == truth_of(*usages)
    assert len(next(iter(sessions(document).values()))["children"]) == 100


@pytest.mark.parametrize("whole_limit", [legacy.WHOLE_LIMIT, 0])
def test_p_g5_a_legacy_file_cut_short_keeps_what_came_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_limit: int
) -> None:
    monkeypatch.setattr(legacy, "WHOLE_LIMIT", whole_limit)  # parsed whole, or streamed
    usages = [tokens(100 * (i + 1), i + 1) for i in range(4)]
    path = write_legacy(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.json",
        meta(S1),
        [gemini(f"g{i}", T.format(i), u) for i, u in enumerate(usages)],
    )
    text = path.read_text()
    path.write_text(text[: text.index('"id": "g3"')])  # the CLI was rewriting the file
    document, stderr = export("--root", f"gemini={tmp_path}", "--tz", "UTC")
    assert totals_of(document["totals"]) == truth_of(*usages[:3])
    assert document["skipped_lines"] == 1, stderr


@pytest.mark.parametrize("whole_limit", [legacy.WHOLE_LIMIT, 0])
def test_p_g5_broken_text_inside_a_legacy_session_hides_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_limit: int
) -> None:
    monkeypatch.setattr(legacy, "WHOLE_LIMIT", whole_limit)
    usages = [tokens(100, 1), tokens(200, 2), tokens(300, 3)]
    path = write_legacy(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.json",
        meta(S1),
        [
            user("u1", T.format(0), "MARK1"),
            *[gemini(f"g{i}", T.format(i + 1), u) for i, u in enumerate(usages)],
            user("u2", T.format(9), "MARK2"),
        ],
    )
    data = path.read_bytes()
    data = data.replace(b"MARK1", b"bad \xff\xfe byte").replace(b"MARK2", b"lone \\ud800 half")
    path.write_bytes(data)
    document = run(tmp_path)
    assert totals_of(document["totals"]) == truth_of(*usages)
    assert document["skipped_lines"] == 0


# --------------------------------------------------------------------------- P-G6


def test_p_g6_the_file_name_minute_is_utc(tmp_path: Path) -> None:
    """A message without a timestamp in a session without a start time falls back to the
    file name's minute, which the CLI writes in UTC: 23:30Z is the next day in Tokyo."""
    head = {"sessionId": S1, "projectHash": project_hash(ROOT), "kind": "main"}
    record = gemini("g1", T.format(0), tokens(100, 1))
    del record["timestamp"]
    write_jsonl(chats(tmp_path) / "session-2026-11-20T23-30-11111111.jsonl", [head, record])
    tokyo, _ = export("--root", f"gemini={tmp_path}", "--tz", "Asia/Tokyo")
    assert list(days_of(tokyo)) == ["2026-11-21"]
    utc = run(tmp_path)
    assert list(days_of(utc)) == ["2026-11-20"]


# --------------------------------------------------------------------------- bad lines


def test_broken_lines_in_a_chat_hide_no_call(tmp_path: Path) -> None:
    usages = [tokens(100, 1), tokens(200, 2), tokens(300, 3)]
    path = write_jsonl(
        chats(tmp_path) / "session-2026-11-20T10-00-11111111.jsonl",
        [meta(S1, ROOT, T.format(0))]
        + [
            gemini(f"g{i}", T.format(i + 1), u, tools=[("read_file", {"file_path": f"MARK{i}"})])
            for i, u in enumerate(usages)
        ],
    )
    data = path.read_bytes().replace(b"MARK0", b"\xff\xfe").replace(b"MARK1", b"\\udc00")
    path.write_bytes(data + b'{"id":"g9","timestamp":"2026-11-20T10:09:00.000Z","type":"gem')
    document, stderr = export("--root", f"gemini={tmp_path}", "--tz", "UTC")
    assert totals_of(document["totals"]) == truth_of(*usages)
    assert document["skipped_lines"] == 0, stderr  # a last line being written is not skipped


def test_the_same_session_reads_the_same_in_both_formats(tmp_path: Path) -> None:
    """The legacy reader (Python) and the streaming format (DuckDB SQL) apply one rule set."""
    image = [{"text": "what is this?"}, {"inlineData": {"mimeType": "image/png", "data": "AA"}}]
    messages = [
        user("u1", T.format(0), None, content="plain string prompt"),
        gemini("g1", T.format(1), tokens(1000, 10, cached=300, thoughts=4, tool=2), model="m1"),
        user("u2", T.format(2), None, content=[{"text": "expanded"}], display=[{"text": "/init"}]),
        gemini(
            "g2",
            T.format(3),
            tokens(2000, 20, cached=1500),
            tools=[
                ("run_shell_command", {"command": "pytest -q", "description": "tests"}),
                ("replace", {"file_path": "a.py", "old_string": "x", "new_string": "y"}),
                ("read_many_files", {"include": ["*.md"]}),
                ("google_web_search", {"query": "duckdb"}),
            ],
        ),
        user("u3", T.format(4), None, content=image),
        user("u4", T.format(5), "<session_context>injected</session_context>"),
        user("u5", T.format(6), None, content=[{"text": "x"}], display=[{"functionResponse": {}}]),
        gemini("g3", T.format(7), tokens(3000, 30, cached=2500), model="gemini-2.5-flash"),
    ]
    write_legacy(
        chats(tmp_path / "a") / "session-2026-11-20T10-00-11111111.json", meta(S1), messages
    )
    write_jsonl(
        chats(tmp_path / "b") / "session-2026-11-20T10-00-11111111.jsonl", [meta(S1), *messages]
    )

    def shape(document: dict[str, Any]) -> list[Any]:
        out = []
        for node in walk(document):
            if node.get("kind") in ("session", "turn", "call"):
                keep = {k: v for k, v in node.items() if k not in ("children", "insights")}
                if "tool_calls" in keep:
                    keep["tool_calls"] = sorted(keep["tool_calls"], key=lambda t: t["id"])
                out.append(keep)
        return out

    legacy, stream = run(tmp_path / "a"), run(tmp_path / "b")
    assert shape(legacy) == shape(stream)
    (session,) = sessions(legacy).values()
    assert [(t["prompt_kind"], t["prompt"]) for t in session["children"]] == [
        ("prompt", "plain string prompt"),
        ("command", "/init"),
        ("prompt", "what is this?"),
    ]
    details = {t["name"]: t["detail"] for t in calls_by_id(legacy)["g2"]["tool_calls"]}
    assert details == {
        "run_shell_command": "pytest -q",
        "replace": "a.py",
        "read_many_files": '["*.md"]',
        "google_web_search": "duckdb",
    }
    assert reference.day_totals(reference.read_calls([tmp_path / "a"])) == {
        day: {k: n["totals"][k] for k in ("calls", "input", "output", "cache_read", "cache_write")}
        for day, n in days_of(stream).items()
    }
