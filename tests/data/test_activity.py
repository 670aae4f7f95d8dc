"""Activity attribution (docs/attribution.md): classifier, exact splits, fixtures whose answer
is known by construction, and exact sums on every node of a generated corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.data.sources.claude.lines import assistant, prompt
from tokentree.data.activity.query import (
    activity_for_children,
    activity_for_level,
    activity_for_node,
)
from tokentree.data.pricing.prices import PriceTable
from tokentree.data.workspace import Options, Workspace
from tokentree.model.activity import (
    CATEGORIES,
    Classifier,
    Share,
    attribute_call,
    classify_command,
    cost_sides,
    split_int,
    split_over,
    validate_rules,
)
from tokentree.model.tree import Kind

SONNET = "claude-sonnet-4-5-20250929"  # $3 in, $15 out, $3.75 5m write, $6 1h write, $0.30 read
BASE = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # a Monday
M = 10**6  # pUSD per token of $1 per million tokens


# --------------------------------------------------------------------------- transcripts


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Transcript:
    """One Claude Code session written call by call: one line per content block (shared
    message id), subagents in ``<session>/subagents/agent-<id>.jsonl`` with a sidecar."""

    def __init__(self, root: Path, session: str, *, start: datetime = BASE) -> None:
        self.root, self.session, self.now = root, session, start
        self.project = root / "projects" / "-home-dev-src-atlas"
        self.files: dict[Path, list[str]] = {}
        self.count = 0

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def prompt(self, text: str, *, after: float = 5.0) -> str:
        self.wait(after)
        self.count += 1
        uuid = f"{self.session}-p{self.count}"
        self._add(
            self.project / f"{self.session}.jsonl",
            prompt(text, iso(self.now), session=self.session, uuid=uuid),
        )
        return uuid

    def call(
        self,
        tools: tuple[tuple[str, dict[str, Any]], ...] | list[tuple[str, dict[str, Any]]] = (),
        *,
        inp: int = 3,
        out: int = 100,
        read: int = 0,
        write: int = 0,
        write1h: int = 0,
        after: float = 5.0,
        agent: str | None = None,
        model: str = SONNET,
        speed: str | None = None,
    ) -> str:
        self.wait(after)
        self.count += 1
        mid = f"msg_{self.session}_{self.count}"
        path = (
            self.project / self.session / "subagents" / f"agent-{agent}.jsonl"
            if agent
            else self.project / f"{self.session}.jsonl"
        )
        blocks = list(tools) or [(None, None)]
        for index, (name, tool_input) in enumerate(blocks):
            line = assistant(
                mid,
                iso(self.now),
                rid=f"req_{mid}",
                session=self.session,
                model=model,
                inp=inp,
                out=out if index == len(blocks) - 1 else 1,
                read=read,
                write5=write,
                write1h=write1h,
                tool=name,
                tool_input=tool_input,
                sidechain=agent is not None,
                agent=agent,
                uuid=f"{mid}-{index}",
            )
            if speed:
                data = json.loads(line)
                data["message"]["usage"]["speed"] = speed
                line = json.dumps(data, separators=(",", ":"))
            self._add(path, line)
        return mid

    def agent_meta(self, agent: str, agent_type: str, spawning_mid: str) -> None:
        path = self.project / self.session / "subagents" / f"agent-{agent}.meta.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"agentType": agent_type, "toolUseId": f"toolu_{spawning_mid}-0"}
        path.write_text(json.dumps(meta), encoding="utf-8")

    def _add(self, path: Path, line: str) -> None:
        self.files.setdefault(path, []).append(line)

    def save(self) -> None:
        for path, lines in self.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def open_workspace(root: Path, *, use_cache: bool = False, **settings: Any) -> Workspace:
    from tokentree.config import Settings

    workspace = Workspace(
        Options(roots=[root], tz="UTC", use_cache=use_cache, settings=Settings(**settings))
    )
    workspace.refresh()
    workspace.store.build(workspace.view)
    return workspace


def read(path: str) -> tuple[str, dict[str, Any]]:
    return ("Read", {"file_path": path})


def bash(command: str) -> tuple[str, dict[str, Any]]:
    return ("Bash", {"command": command, "description": "run"})


def tokens_of(activity: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {name: value["tokens"] for name, value in activity.items()}


# --------------------------------------------------------------------------- classifier

COMMANDS = [
    ("git status", "git"),
    ("git log --oneline -20 | head", "git"),
    ("cd repo && git commit -m 'fix: a && b'", "git"),
    ("gh pr create --title x", "git"),
    ("pytest -x tests/test_store.py -q", "testing"),
    ("cd backend && pytest", "testing"),
    ("FOO=1 CI=true pytest -q 2>&1 | tail -20", "testing"),
    ("python -m pytest", "testing"),
    (".venv/bin/pytest tests", "testing"),
    ("uv run pytest -k parser", "testing"),
    ("npm test", "testing"),
    ("npm run test:unit", "testing"),
    ("pnpm test", "testing"),
    ("yarn test", "testing"),
    ("bun test", "testing"),
    ("npx jest --watch", "testing"),
    ("vitest run", "testing"),
    ("cargo test --all", "testing"),
    ("go test ./...", "testing"),
    ("make test", "testing"),
    ("make check", "testing"),
    ("tox -e py311", "testing"),
    ("timeout 120 npm test", "testing"),
    ("bash -c 'cd x && go test ./...'", "testing"),
    ("pytest && git commit -am wip", "testing"),
    ("cat src/main.py", "reading"),
    ("sed -n '1,80p' src/app.ts", "reading"),
    ("head -50 README.md", "reading"),
    ("tail -f log.txt", "reading"),
    ("rg -n 'def main' src", "reading"),
    ("grep -rn TODO . | wc -l", "reading"),
    ("ls -la", "reading"),
    ("find . -name '*.py' | head", "reading"),
    ("wc -l src/*.py", "reading"),
    ("ls 2>/dev/null", "reading"),
    ("sed -i 's/a/b/' src/x.py", "editing"),
    ("cat > notes.md <<'EOF'\nrm -rf /\ngit push\nEOF", "editing"),
    ("echo done >> log.txt", "editing"),
    ("mkdir -p build && touch build/.keep", "editing"),
    ("npm run build", "executing"),
    ("make build", "executing"),
    ("python scripts/migrate.py", "executing"),
    ("cat data.json | python -m json.tool", "executing"),
    ("docker compose up -d", "executing"),
    ("cd repo", "executing"),
    ("echo hello", "executing"),
    ("", "executing"),
]


@pytest.mark.parametrize(("command", "expected"), COMMANDS)
def test_shell_classifier(command: str, expected: str) -> None:
    assert classify_command(command) == expected


def test_tool_table_and_config_rules() -> None:
    default = Classifier()
    cases = {
        ("Read", None): "reading",
        ("Glob", None): "reading",
        ("Grep", None): "reading",
        ("LS", None): "reading",
        ("NotebookRead", None): "reading",
        ("Edit", None): "editing",
        ("MultiEdit", None): "editing",
        ("Write", None): "editing",
        ("NotebookEdit", None): "editing",
        ("apply_patch", None): "editing",
        ("WebFetch", None): "searching",
        ("WebSearch", None): "searching",
        ("TodoWrite", None): "planning",
        ("ExitPlanMode", None): "planning",
        ("Task", None): "delegating",
        ("Agent", None): "delegating",
        ("spawn_agent", None): "delegating",
        ("shell_command", "pytest -q"): "testing",
        ("exec_command", "git status"): "git",
        ("mcp__github__get_issue", None): "mcp",
        ("SomethingNew", None): "other",
        ("Bash", "git diff"): "git",
        (None, None): "other",
    }
    for (name, detail), expected in cases.items():
        assert default.tool(name, detail) == expected, name
    custom = Classifier(
        {
            "mcp__github__*": "git",
            "SomethingNew": "planning",
            "Bash(terraform *)": "executing",
            "Bash(just test:*)": "testing",
            "Bash(ls*)": "other",
        }
    )
    assert custom.tool("mcp__github__get_issue") == "git"
    assert custom.tool("mcp__linear__list") == "mcp"
    assert custom.tool("SomethingNew") == "planning"
    assert custom.tool("Bash", "just test-unit") == "testing"
    assert custom.tool("Bash", "cd x && just test") == "testing"
    assert custom.tool("Bash", "ls -la") == "other"
    assert custom.tool("Bash", "git status") == "git"
    with pytest.raises(ValueError, match="unknown category 'coding'"):
        validate_rules({"Edit": "coding"})


# --------------------------------------------------------------------------- integer splits


@given(st.integers(min_value=0, max_value=10**30), st.integers(min_value=1, max_value=12))
def test_split_int_is_exact_and_even(total: int, parts: int) -> None:
    split = split_int(total, parts)
    assert sum(split) == total and len(split) == parts
    assert max(split) - min(split) <= 1
    assert split == sorted(split, reverse=True)  # the remainder goes to the first parts
    assert split == split_int(total, parts)


def test_split_over_orders_by_category() -> None:
    assert split_over(100, ["testing", "reading", "editing", "reading"]) == {
        "reading": 34,
        "editing": 33,
        "testing": 33,
    }
    assert list(split_over(7, ["context", "git"])) == ["git", "context"]


@given(
    st.integers(min_value=0, max_value=10**15),
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=10**12),
)
def test_cost_sides_sum_exactly(cost: int, context: int, output: int, rest: int) -> None:
    total = context + output + rest
    parts = cost_sides(cost, context, output, total)
    assert sum(parts) == cost and min(parts) >= 0
    if cost == total:  # no multiplier: the list-price parts themselves
        assert parts == (context, output, rest)


@given(
    st.integers(0, 10**9),
    st.integers(0, 10**6),
    st.integers(0, 10**7),
    st.lists(st.sampled_from(CATEGORIES), max_size=4),
    st.lists(st.sampled_from(CATEGORIES), max_size=4),
    st.integers(0, 10**14),
)
def test_attribute_call_sums(read_: int, out: int, side: int, outs, ins, cost: int) -> None:
    ctx, out_cost, in_cost = cost_sides(cost, read_, out * 50, read_ + out * 50 + side * 10)
    activity = attribute_call(
        cache_read=read_,
        output=out,
        input_side=side,
        output_categories=outs,
        input_categories=ins,
        context_cost=ctx,
        output_cost=out_cost,
        input_cost=in_cost,
    )
    assert sum(s.tokens for s in activity.values()) == read_ + out + side
    assert sum(s.cost_pusd for s in activity.values()) == cost
    assert list(activity) == [c for c in CATEGORIES if c in activity]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """Sessions whose split is known by construction (tokens and costs chosen by hand)."""
    root = tmp_path_factory.mktemp("activity")
    only_reads = Transcript(root, "reads")
    only_reads.prompt("explain the parser")
    only_reads.call([read("/r/a.py")], inp=10, out=100, write=1000)
    only_reads.call([read("/r/b.py")], inp=20, out=200, read=1000, write=2000)
    only_reads.call(inp=30, out=300, read=3000, write=400)
    only_reads.save()

    only_edits = Transcript(root, "edits", start=BASE + timedelta(hours=1))
    only_edits.prompt("rename foo to bar")
    only_edits.call([("Edit", {"file_path": "/r/a.py"})], inp=10, out=100, write=1000)
    only_edits.call([("Write", {"file_path": "/r/b.py"})], inp=20, out=200, read=1000)
    only_edits.call([("MultiEdit", {"file_path": "/r/c.py"})], inp=30, out=300, read=1200)
    only_edits.save()

    git = Transcript(root, "git", start=BASE + timedelta(hours=2))
    git.prompt("commit this")
    git.call([bash("git status")], inp=10, out=100, write=1000)
    git.call([bash("git diff --stat")], inp=20, out=200, read=1000)
    git.call([bash("git add -A && git commit -m 'wip'")], inp=30, out=300, read=1200)
    git.call(inp=40, out=50, read=1400)
    git.save()

    mixed = Transcript(root, "mixed", start=BASE + timedelta(hours=3))
    mixed.prompt("fix the test")
    mixed.call(
        [read("/r/a.py"), bash("pytest -q"), ("Edit", {"file_path": "/r/a.py"})],
        inp=1,
        out=100,
        write=99,
    )
    mixed.call(inp=2, out=10, read=100, write=1)
    mixed.prompt("thanks")
    mixed.call(inp=5, out=7, read=101)
    mixed.save()

    agents = Transcript(root, "agents", start=BASE + timedelta(hours=4))
    agents.prompt("survey the code base")
    task = agents.call(
        [("Task", {"subagent_type": "Explore", "prompt": "look"})], inp=10, out=100, write=1000
    )
    agents.call([read("/r/x.py")], inp=50, out=60, write=700, agent="a1")
    agents.call(inp=5, out=80, read=750, agent="a1")
    agents.call(inp=7, out=90, read=1000, write=300)
    agents.agent_meta("a1", "Explore", task)
    agents.save()

    unpriced = Transcript(root, "unpriced", start=BASE + timedelta(hours=5))
    unpriced.prompt("hello")
    unpriced.call([("WebSearch", {"query": "duckdb"})], inp=10, out=20, model="claude-nope-9")
    unpriced.call(inp=30, out=40, read=50, model="claude-nope-9")
    unpriced.save()

    workspace = open_workspace(root)
    yield workspace
    workspace.close()


def session_path(workspace: Workspace, session: str) -> tuple[str, str, str]:
    row = (
        workspace.store.cursor()
        .execute(
            "SELECT p.week, p.day::VARCHAR FROM calls c JOIN priced p USING (cid)"
            " WHERE c.session_id = ? LIMIT 1",
            [session],
        )
        .fetchone()
    )
    assert row is not None
    return (row[0], row[1], session)


def test_session_that_only_reads(sessions: Workspace) -> None:
    activity = activity_for_node(sessions.store, session_path(sessions, "reads"))
    # cache reads → context; outputs: Read, Read, text; inputs: prompt, Read result, Read result
    assert tokens_of(activity) == {
        "reading": 100 + 200 + (20 + 2000) + (30 + 400),
        "conversation": 300 + (10 + 1000),
        "context": 1000 + 3000,
    }
    # costs, exact: sonnet-4-5 list prices, no multiplier
    cost = {name: round(value["cost_usd"] * 10**12) for name, value in activity.items()}
    assert cost == {
        "reading": (100 + 200) * 15 * M
        + 20 * 3 * M
        + 2000 * 3_750_000
        + 30 * 3 * M
        + 400 * 3_750_000,
        "conversation": 300 * 15 * M + 10 * 3 * M + 1000 * 3_750_000,
        "context": (1000 + 3000) * 300_000,
    }


def test_session_that_only_edits(sessions: Workspace) -> None:
    activity = activity_for_node(sessions.store, session_path(sessions, "edits"))
    assert tokens_of(activity) == {
        "editing": 100 + 200 + 300 + 20 + 30,
        "conversation": 10 + 1000,
        "context": 1000 + 1200,
    }


def test_git_heavy_session(sessions: Workspace) -> None:
    activity = activity_for_node(sessions.store, session_path(sessions, "git"))
    assert tokens_of(activity) == {
        "git": 100 + 200 + 300 + 20 + 30 + 40,
        "conversation": 50 + 10 + 1000,
        "context": 1000 + 1200 + 1400,
    }


def test_several_tools_split_evenly_in_category_order(sessions: Workspace) -> None:
    path = session_path(sessions, "mixed")
    turns = activity_for_children(sessions.store, path)
    first, second = turns["mixed-p1"], turns["mixed-p4"]
    # call 1: output 100 over reading/editing/testing → 34/33/33; input after the prompt;
    # call 2 consumes those three results: 2 + 1 = 3 input-side tokens → 1 each
    assert tokens_of(first) == {
        "reading": 34 + 1,
        "editing": 33 + 1,
        "testing": 33 + 1,
        "conversation": 1 + 99 + 10,
        "context": 100,
    }
    assert tokens_of(second) == {"conversation": 7 + 5, "context": 101}
    calls = activity_for_children(sessions.store, (*path, "mixed-p1"))
    assert sorted(tokens_of(a).get("context", 0) for a in calls.values()) == [0, 100]


def test_subagent_first_call_is_delegating(sessions: Workspace) -> None:
    activity = activity_for_node(sessions.store, session_path(sessions, "agents"))
    assert tokens_of(activity) == {
        # subagent call 1: Read (60 out); call 2 consumes it (5 in)
        "reading": 60 + 5,
        # main call 1 is a Task (100 out); subagent's first input (50 + 700); main call 2
        # consumes the Task result (7 + 300)
        "delegating": 100 + 50 + 700 + 7 + 300,
        "conversation": 10 + 1000 + 80 + 90,
        "context": 750 + 1000,
    }


def test_unpriced_calls_have_tokens_but_no_cost(sessions: Workspace) -> None:
    activity = activity_for_node(sessions.store, session_path(sessions, "unpriced"))
    assert tokens_of(activity) == {"searching": 20 + 30, "conversation": 10 + 40, "context": 50}
    assert all(value["cost_usd"] == 0 for value in activity.values())


def test_worked_example_in_the_docs(tmp_path: Path) -> None:
    transcript = Transcript(tmp_path, "example")
    transcript.prompt("fix the failing test")
    transcript.call(
        [read("src/parser.py"), bash("cd app && pytest -q")],
        inp=3,
        write=12_000,
        read=18_000,
        out=240,
    )
    transcript.call(
        [("Edit", {"file_path": "src/parser.py"})], inp=5, write=4_100, read=30_000, out=610
    )
    transcript.call(inp=4, write=900, read=34_100, out=150)
    transcript.save()
    workspace = open_workspace(tmp_path)
    try:
        activity = activity_for_node(workspace.store, ())
    finally:
        workspace.close()
    assert {name: (v["tokens"], round(v["cost_usd"], 6)) for name, v in activity.items()} == {
        "reading": (2_173, 0.009495),
        "editing": (1_514, 0.012537),
        "testing": (2_172, 0.009495),
        "conversation": (12_153, 0.047259),
        "context": (82_100, 0.024630),
    }


def test_fast_mode_and_long_context_match_the_python_reference(tmp_path: Path) -> None:
    transcript = Transcript(tmp_path, "fast")
    transcript.prompt("go")
    transcript.call(
        [bash("pytest")], inp=10, out=1234, write=5000, model="claude-opus-4-6", speed="fast"
    )
    transcript.call(
        [read("/r/a.py")],
        inp=7,
        out=99,
        read=150_000,
        write=60_000,
        model="claude-sonnet-4-20250514",
    )
    transcript.call(inp=3, out=5, read=210_000, write=10, model="claude-sonnet-4-20250514")
    transcript.save()
    workspace = open_workspace(tmp_path)
    try:
        check_against_reference(workspace)
    finally:
        workspace.close()


def check_against_reference(workspace: Workspace) -> int:
    """Recompute every call's split in Python (flow, prices, attribute_call) and compare."""
    store = workspace.store
    activity_for_node(store, ())
    cursor = store.cursor()
    calls = cursor.execute(
        "SELECT c.cid, c.session_id, coalesce(c.agent_id, CASE WHEN c.is_sidechain"
        " THEN '~sidechain' ELSE '' END), c.ts, c.model, c.input, c.output, c.cache_read,"
        " c.cache_write_5m, c.cache_write_1h, c.speed, c.tools, p.cid IS NOT NULL"
        " FROM calls c LEFT JOIN priced p USING (cid) ORDER BY 2, 3, 4, c.call_id, 1"
    ).fetchall()
    prompts: dict[str, list[datetime]] = {}
    for session, ts in cursor.execute("SELECT session_id, ts FROM prompts ORDER BY ts").fetchall():
        prompts.setdefault(session, []).append(ts)
    got: dict[int, dict[str, Share]] = {}
    for cid, cat, tokens, cost in cursor.execute(
        "SELECT cid, cat, sum(tokens), sum(cost_pusd) FROM call_activity GROUP BY ALL"
    ).fetchall():
        got.setdefault(cid, {})[CATEGORIES[cat]] = Share(int(tokens), int(cost))
    prices, classifier = PriceTable.bundled(), Classifier()
    previous: dict[tuple[str, str], tuple[datetime, list[str]]] = {}
    checked = 0
    for cid, session, thread, ts, model, inp, out, cr, cw5, cw1, speed, tools, in_range in calls:
        outs = sorted({classifier.tool(t["name"], t["detail"]) for t in tools}) or ["conversation"]
        before = previous.get((session, thread))
        previous[(session, thread)] = (ts, outs)
        after_prompt = thread == "" and any(
            (before is None or p > before[0]) and p <= ts for p in prompts.get(session, [])
        )
        if after_prompt or (before is None and thread == ""):
            ins = ["conversation"]
        elif before is None:
            ins = ["context"] if thread.startswith("acompact") else ["delegating"]
        else:
            ins = before[1]
        if not in_range:
            continue
        price = prices.lookup(model)
        cost = (
            prices.call_cost_pusd(
                model,
                input=inp,
                output=out,
                cache_read=cr,
                cache_write_5m=cw5,
                cache_write_1h=cw1,
                speed=speed,
            )
            or 0
        )
        raw = (0, 0, 0)
        if price is not None:
            lc = price.long_context is not None and inp + cr + cw5 + cw1 > price.threshold
            rates = price.long_context if lc and price.long_context else price.base
            raw_cr, raw_out = cr * rates.cache_read, out * rates.output
            total = raw_cr + raw_out + inp * rates.input + cw5 * rates.cache_write_5m
            raw = (raw_cr, raw_out, total + cw1 * rates.cache_write_1h)
        ctx, out_cost, in_cost = cost_sides(cost, *raw)
        expected = attribute_call(
            cache_read=cr,
            output=out,
            input_side=inp + cw5 + cw1,
            output_categories=outs,
            input_categories=ins,
            context_cost=ctx,
            output_cost=out_cost,
            input_cost=in_cost,
        )
        assert got.get(cid, {}) == expected, (cid, model, speed)
        checked += 1
    return checked


# --------------------------------------------------------------------------- generated corpus


@pytest.fixture(scope="module")
def corpus_workspace(small_corpus: tuple[Path, Any]) -> Iterator[Workspace]:
    root, _ = small_corpus
    workspace = open_workspace(root.parent)
    yield workspace
    workspace.close()


def test_generated_corpus_matches_the_python_reference(corpus_workspace: Workspace) -> None:
    assert check_against_reference(corpus_workspace) > 100


@pytest.mark.parametrize("kind", [Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN, Kind.CALL])
def test_activity_sums_exactly_to_every_node(corpus_workspace: Workspace, kind: Kind) -> None:
    store = corpus_workspace.store
    exact = activity_for_level(store, kind, as_json=False)
    rows = store.level_rows(kind.value)
    assert rows and len(exact) == len(rows)
    offset = {Kind.WEEK: 0, Kind.DAY: 1, Kind.SESSION: 2, Kind.TURN: 3, Kind.CALL: 4}[kind]
    for row in rows:
        key = tuple(row[: offset + 1])
        inp, out, cread, cwrite, cost = row[offset + 3 : offset + 8]
        shares = exact[key].values()
        assert sum(s.tokens for s in shares) == inp + out + cread + cwrite, key
        assert sum(s.cost_pusd for s in shares) == int(cost), key
    if kind is Kind.WEEK:  # the JSON form: float dollars that add up to the node's cost
        for row in rows:
            activity = activity_for_node(store, (row[0],))
            assert sum(v["cost_usd"] for v in activity.values()) == pytest.approx(
                int(row[7]) / 10**12, rel=1e-12
            )
    total = activity_for_node(store, ())
    root = (
        store.cursor()
        .execute(
            "SELECT sum(input + output + cache_read + cache_write)"
            " FROM calls JOIN priced USING (cid)"
        )
        .fetchone()
    )
    assert root is not None and sum(tokens_of(total).values()) == root[0]
