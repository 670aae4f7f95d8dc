"""OpenCode counting on hand-made data, one fixture per pitfall of formats.md §7 (P-O1…P-O4), the
real sample, and a generated corpus — always against numbers the test itself knows (what it
wrote) and the independent reference reader, never against tokentree's own output."""

from __future__ import annotations

import json
import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from bench.plan import make_plan
from bench.writers import opencode as writer
from tests.conftest import FIXTURES, days_of, export
from tests.data.sources.documents import read_untouched
from tests.data.sources.opencode import build as B
from tests.data.sources.opencode import reference
from tests.data.sources.truth import TOKEN_KINDS, Truth, truth_of


def read(root: Path, *extra: str) -> dict[str, Any]:
    return read_untouched("opencode", root, *extra)


def calls_by_session(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for week in document["children"]:
        for day in week["children"]:
            for session in day["children"]:
                for turn in session["children"]:
                    for call in turn["children"]:
                        found.setdefault(session["id"], []).append({**call, "turn": turn})
    return found


def reference_truth(root: Path) -> Truth:
    return Truth(*reference.totals(root))


# ---------------------------------------------------------------------------- real sample


def test_the_real_legacy_sample(tmp_path: Path) -> None:
    root = tmp_path / "opencode"
    shutil.copytree(FIXTURES / "opencode", root)
    message = json.loads(next(root.rglob("*.json")).read_text())
    tokens = message["tokens"]
    document = read(root)
    assert truth_of(document["totals"]) == Truth(
        1,
        tokens["input"],
        tokens["output"] + tokens["reasoning"],
        tokens["cache"]["read"],
        tokens["cache"]["write"],
    )
    assert truth_of(document["totals"]) == reference_truth(root)
    [[call]] = calls_by_session(document).values()
    assert call["id"] == message["id"]
    assert (
        call["model"] == f"{message['providerID']}/{message['modelID']}"
    )  # priced via the provider
    # no session file: the directory name is the session
    assert next(iter(calls_by_session(document))) == message["sessionID"]


# ---------------------------------------------------------------------------- P-O1 steps


def test_every_step_of_a_message_is_a_call(tmp_path: Path) -> None:
    """Message-level tokens hold only the last step (anomalyco/opencode#21913): the steps'
    step-finish parts are the calls, each with the tools of its step."""
    steps = [
        B.tokens(3, 40, 0, 1000, 500),
        B.tokens(2, 25, 0, 1500, 80),
        B.tokens(1, 9, 0, 1600, 0),
    ]
    db = B.Database(tmp_path / "opencode.db")
    db.session("ses_1")
    db.message("msg_u", "ses_1", B.user(B.T0))
    db.part("prt_u", "msg_u", "ses_1", B.text("rename the flag"))
    db.message("msg_1", "ses_1", B.assistant(B.T0 + 100, steps[-1], completed=B.T0 + 9000))
    db.part("prt_01", "msg_1", "ses_1", B.tool("read", "c1", filePath="src/cli.py"), B.T0 + 500)
    db.part("prt_02", "msg_1", "ses_1", B.step(steps[0], 0.0041), B.T0 + 1000)
    db.part(
        "prt_03", "msg_1", "ses_1", B.tool("bash", "c2", command="git grep -n flag"), B.T0 + 2000
    )
    db.part("prt_04", "msg_1", "ses_1", B.tool("edit", "c3", filePath="src/cli.py"), B.T0 + 2100)
    db.part("prt_05", "msg_1", "ses_1", B.step(steps[1], 0.0032), B.T0 + 3000)
    db.part("prt_06", "msg_1", "ses_1", B.step(steps[2]), B.T0 + 8000)
    db.close()
    document = read(tmp_path)
    expected = Truth(
        3,
        sum(s["input"] for s in steps),
        sum(s["output"] for s in steps),
        sum(s["cache"]["read"] for s in steps),
        sum(s["cache"]["write"] for s in steps),
    )
    assert truth_of(document["totals"]) == expected == reference_truth(tmp_path)
    calls = calls_by_session(document)["ses_1"]
    assert [c["id"] for c in calls] == ["msg_1#1", "msg_1#2", "msg_1#3"]
    assert [[t["name"] for t in c["tool_calls"]] for c in calls] == [["Read"], ["Bash", "Edit"], []]
    assert calls[1]["tool_calls"][0]["detail"] == "git grep -n flag"
    # each step at the time its step-finish part was written
    assert [c["start"][11:23] for c in calls] == ["20:26:41.000", "20:26:43.000", "20:26:48.000"]
    assert all(c["turn"]["prompt"] == "rename the flag" for c in calls)
    # the stated step costs are used; the step without one is priced by tokentree
    assert round(calls[0]["totals"]["cost_usd"], 6) == 0.0041
    assert round(calls[1]["totals"]["cost_usd"], 6) == 0.0032
    assert calls[2]["totals"]["cost_usd"] > 0 and calls[2]["unpriced_calls"] == 0


# ---------------------------------------------------------------------------- P-O2 dialects


def test_token_dialects(tmp_path: Path) -> None:
    """input excludes the cache (additive); whether output holds the reasoning (and, in early
    builds, input the cache) is read off total; without total the current semantics apply."""
    inp, out, rea, read_, write = 100, 300, 120, 5000, 700
    dialects = {
        # current: output without reasoning, total = everything
        "msg_1": B.tokens(inp, out - rea, rea, read_, write, total=inp + out + read_ + write),
        # older: reasoning inside output
        "msg_2": B.tokens(inp, out, rea, read_, write, total=inp + out + read_ + write),
        # early OpenAI builds: cached tokens inside input, reasoning inside output
        "msg_3": B.tokens(
            inp + read_ + write, out, rea, read_, write, total=inp + read_ + write + out
        ),
        # no total: current semantics
        "msg_4": B.tokens(inp, out - rea, rea, read_, write),
    }
    db = B.Database(tmp_path / "opencode.db")
    db.session("ses_1")
    for index, (mid, toks) in enumerate(dialects.items()):
        db.message(mid, "ses_1", B.assistant(B.T0 + index * 60_000, toks, model="gpt-5.1-codex"))
    db.close()
    document = read(tmp_path)
    calls = calls_by_session(document)["ses_1"]
    assert len(calls) == 4
    for call in calls:
        totals = call["totals"]
        assert [totals[k] for k in TOKEN_KINDS] == [inp, out, read_, write], call["id"]
        assert call["reasoning"] == rea
    assert truth_of(document["totals"]) == reference_truth(tmp_path)


# ---------------------------------------------------------------------------- P-O3 copies


def _session_with_two_steps(db: B.Database, sid: str, mid: str, stamp: int | None = None) -> None:
    db.message(f"{mid}u", sid, B.user(B.T0))
    db.part(f"{mid}pu", f"{mid}u", sid, B.text("add retries"))
    db.message(mid, sid, B.assistant(B.T0 + 10, B.tokens(2, 5, 0, 300)))
    db.part(f"{mid}p1", mid, sid, B.step(B.tokens(7, 11, 0, 200, 90)), stamp or B.T0 + 1000)
    db.part(f"{mid}p2", mid, sid, B.step(B.tokens(2, 5, 0, 300)), stamp or B.T0 + 2000)


def test_a_fork_and_the_migrated_json_copy_count_once(tmp_path: Path) -> None:
    db = B.Database(tmp_path / "opencode.db")
    db.session("ses_a")
    _session_with_two_steps(db, "ses_a", "msg_1")
    db.session("ses_fork")  # a fork: the same messages, new ids, parts stamped at fork time
    _session_with_two_steps(db, "ses_fork", "msg_9", stamp=B.T0 + 3_600_000)
    db.message("msg_9x", "ses_fork", B.assistant(B.T0 + 3_700_000, B.tokens(1, 1, 0, 50)))
    db.close()
    storage = tmp_path / "storage"  # the 1.2 migration left the JSON of ses_a in place
    B.legacy_session(storage, "ses_a")
    B.legacy_message(storage, "ses_a", "msg_1", B.assistant(B.T0 + 10, B.tokens(2, 5, 0, 300)))
    B.legacy_part(storage, "msg_1", "msg_1p1", B.step(B.tokens(7, 11, 0, 200, 90)))
    B.legacy_part(storage, "msg_1", "msg_1p2", B.step(B.tokens(2, 5, 0, 300)))
    document = read(tmp_path)
    expected = Truth(3, 7 + 2 + 1, 11 + 5 + 1, 200 + 300 + 50, 90)
    assert truth_of(document["totals"]) == expected == reference_truth(tmp_path)
    sessions = calls_by_session(document)
    assert sorted(c["id"] for c in sessions["ses_a"]) == ["msg_1#1", "msg_1#2"]
    assert [c["id"] for c in sessions["ses_fork"]] == ["msg_9x"]  # only what the fork added
    # the original's step times (the database's), not the copy's
    assert [c["start"][11:19] for c in sorted(sessions["ses_a"], key=lambda c: c["id"])] == [
        "20:26:41",
        "20:26:42",
    ]


def test_a_json_copy_whose_parts_are_gone_matches_the_last_step(tmp_path: Path) -> None:
    """Parts deleted to save space: the JSON message keeps only its own tokens (the last step's);
    it is the same request as the database's last step, not one more."""
    db = B.Database(tmp_path / "opencode.db")
    db.session("ses_a")
    _session_with_two_steps(db, "ses_a", "msg_1")
    db.close()
    B.legacy_message(
        tmp_path / "storage", "ses_a", "msg_1", B.assistant(B.T0 + 10, B.tokens(2, 5, 0, 300))
    )
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(2, 9, 16, 500, 90) == reference_truth(tmp_path)


def test_legacy_json_alone_is_read_with_its_parts_and_session_chain(tmp_path: Path) -> None:
    storage = tmp_path / "storage"
    B.legacy_session(storage, "ses_p")
    B.legacy_session(storage, "ses_c", parent="ses_p")
    B.legacy_message(storage, "ses_p", "msg_u", B.user(B.T0))
    B.legacy_part(storage, "msg_u", "prt_1", B.text("port the parser"))
    B.legacy_message(storage, "ses_p", "msg_a", B.assistant(B.T0 + 5, B.tokens(1, 2, 0, 30)))
    task = B.tool("task", "call_t", subagent_type="general", description="search")
    task["state"]["metadata"] = {"sessionId": "ses_c"}
    B.legacy_part(storage, "msg_a", "prt_2", task)
    B.legacy_part(storage, "msg_a", "prt_3", B.step(B.tokens(1, 2, 0, 30)))
    B.legacy_message(storage, "ses_c", "msg_c", B.assistant(B.T0 + 50, B.tokens(4, 4, 0, 40)))
    (storage / "part" / "msg_c").mkdir(parents=True)
    (storage / "part" / "msg_c" / "prt_9.json").write_text('{"type": "step-fin')  # cut short
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(2, 5, 6, 70) == reference_truth(tmp_path)
    assert document["skipped_lines"] == 1  # the broken part file, counted, not fatal
    [parent] = calls_by_session(document).values()
    assert {c["id"]: c["sidechain"] for c in parent} == {"msg_a#1": False, "msg_c": True}
    assert all(c["turn"]["prompt"] == "port the parser" for c in parent)


# ---------------------------------------------------------------------------- P-O4 shapes


def test_epoch_seconds_plain_string_paths_and_v2_rows(tmp_path: Path) -> None:
    db = B.Database(tmp_path / "opencode.db")
    db.session("ses_1", directory="/home/dev/src/mimo")
    seconds = B.assistant(B.T0 // 1000, B.tokens(3, 4, 0, 50), completed=B.T0 // 1000 + 2)
    seconds["path"] = "/home/dev/src/mimo"  # a plain string in some forks
    db.message("msg_1", "ses_1", seconds)
    db.session("ses_2")
    db.v2("evt_1", "ses_2", "user", {"time": {"created": B.T0}, "text": "v2 prompt"})
    v2_call = {
        "time": {"created": B.T0 + 10, "completed": B.T0 + 20},
        "agent": "build",
        "model": {"id": "claude-opus-4-5", "providerID": "anthropic"},
        "content": [
            {"type": "text", "text": "ok"},
            {
                "type": "tool",
                "id": "call_9",
                "name": "bash",
                "state": {"status": "completed", "input": {"command": "ls"}},
            },
        ],
        "cost": 0.5,
        "tokens": B.tokens(6, 7, 2, 80, 9),
    }
    db.v2("evt_2", "ses_2", "assistant", v2_call, B.T0 + 10)
    db.v2("evt_3", "ses_2", "compaction", {"time": {"created": B.T0 + 30}, "summary": "…"})
    db.close()
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(2, 9, 13, 130, 9) == reference_truth(tmp_path)
    sessions = calls_by_session(document)
    [old] = sessions["ses_1"]
    assert old["start"].startswith("2026-05-28T20:26:40")  # seconds, not 1970
    assert document["children"][0]["children"][0]["children"][0]["cwd"] == "/home/dev/src/mimo"
    [new] = sessions["ses_2"]
    assert new["model"] == "anthropic/claude-opus-4-5" and new["totals"]["cost_usd"] == 0.5
    assert new["tool_calls"] == [{"id": "call_9", "name": "Bash", "detail": "ls"}]
    assert new["turn"]["prompt"] == "v2 prompt"


# ---------------------------------------------------------------------------- subagents, turns


def test_subagent_sessions_roll_into_the_session_that_started_them(tmp_path: Path) -> None:
    db = B.Database(tmp_path / "opencode.db")
    db.session("ses_p")
    db.session("ses_c", parent="ses_p")
    db.session("ses_g", parent="ses_c")  # nested: a subagent's subagent
    db.message("msg_u1", "ses_p", B.user(B.T0))
    db.part("prt_u1", "msg_u1", "ses_p", B.text("audit the auth module"))
    db.message("msg_a1", "ses_p", B.assistant(B.T0 + 10, B.tokens(1, 1, 0, 10)))
    task = B.tool("task", "call_task", subagent_type="explore", description="find auth code")
    task["state"]["metadata"] = {"sessionId": "ses_c"}
    db.part("prt_a1", "msg_a1", "ses_p", task, B.T0 + 20)
    db.part("prt_a2", "msg_a1", "ses_p", B.step(B.tokens(1, 1, 0, 10)), B.T0 + 30)
    db.message("msg_u2", "ses_p", B.user(B.T0 + 600_000))
    db.part("prt_u2", "msg_u2", "ses_p", B.text("now fix it"))
    db.message("msg_cu", "ses_c", B.user(B.T0 + 40, agent="explore"))
    db.part("prt_cu", "msg_cu", "ses_c", B.text("find auth code"))
    # the subagent's call comes after the second prompt but belongs to the first turn
    db.message("msg_c1", "ses_c", B.assistant(B.T0 + 700_000, B.tokens(2, 3, 0, 20)))
    db.message("msg_g1", "ses_g", B.assistant(B.T0 + 710_000, B.tokens(4, 5, 0, 40)))
    db.close()
    document, _ = export("--root", f"opencode={tmp_path}", "--tz", "UTC")
    sessions = calls_by_session(document)
    assert list(sessions) == ["ses_p"]
    calls = {c["id"]: c for c in sessions["ses_p"]}
    assert {k: (c["sidechain"], c["agent_id"]) for k, c in calls.items()} == {
        "msg_a1#1": (False, None),
        "msg_c1": (True, "ses_c"),
        "msg_g1": (True, "ses_g"),
    }
    assert calls["msg_c1"]["turn"]["prompt"] == "audit the auth module"
    [session] = document["children"][0]["children"][0]["children"]
    assert session["subagents"] == 2 and session["first_prompt"] == "audit the auth module"


def test_prompts_skip_synthetic_text_and_compaction(tmp_path: Path) -> None:
    db = B.Database(tmp_path / "opencode.db")
    db.session("ses_1")
    db.message("msg_u1", "ses_1", B.user(B.T0))
    db.part("prt_1", "msg_u1", "ses_1", B.text("<file>big paste</file>", synthetic=True))
    db.part("prt_2", "msg_u1", "ses_1", B.text("explain this"))
    db.message("msg_a1", "ses_1", B.assistant(B.T0 + 10, B.tokens(1, 2, 0, 3)))
    db.message("msg_u2", "ses_1", B.user(B.T0 + 60_000))  # an automatic compaction
    db.part("prt_3", "msg_u2", "ses_1", {"type": "compaction", "auto": True})
    db.message("msg_a2", "ses_1", B.assistant(B.T0 + 60_010, B.tokens(5, 6, 0, 7), summary=True))
    db.close()
    document = read(tmp_path)
    [session] = document["children"][0]["children"][0]["children"]
    assert [t["prompt"] for t in session["children"]] == ["explain this"]
    assert session["children"][0]["totals"]["calls"] == 2  # the summary call joins the turn


# ---------------------------------------------------------------------------- generated corpus


def test_a_generated_history_is_counted_exactly(tmp_path: Path) -> None:
    rng = random.Random(11)
    plan = make_plan(rng, writer.SHAPE, sessions=24, start=date(2026, 4, 1), days=6)
    writer.write(plan, tmp_path, rng)
    root = tmp_path / ".local" / "share" / "opencode"
    document = read(root, "--level", "day")
    got = {
        day: {"calls": node["totals"]["calls"], **{k: node["totals"][k] for k in TOKEN_KINDS}}
        for day, node in days_of(document).items()
    }
    assert got == plan.day_totals()
    assert reference.day_totals(reference.read_calls(root)) == plan.day_totals()
    assert document["skipped_lines"] == 2  # the writer's two malformed blobs, nothing else
