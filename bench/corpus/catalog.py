"""What Claude Code sessions are made of, by era: versions, models, tools and their weights."""

from __future__ import annotations

from typing import Any

from bench.corpus.text import WORDS

ERA_VERSIONS = {
    "v1": ["1.0.51", "1.0.58", "1.0.88", "1.0.98", "1.0.108", "1.0.113"],
    "v20": ["2.0.30", "2.0.37", "2.0.55", "2.0.64", "2.0.76", "2.1.9", "2.1.20", "2.1.31"],
    "v21": ["2.1.38", "2.1.39", "2.1.45", "2.1.52", "2.1.63", "2.1.77"],
}
NO_BREAKDOWN_VERSIONS = {"1.0.51", "1.0.58"}
ERA_MODELS = {
    "v1": [("claude-sonnet-4-20250514", 70), ("claude-opus-4-1-20250805", 30)],
    "v20": [
        ("claude-sonnet-4-5-20250929", 55),
        ("claude-opus-4-6", 20),
        ("claude-opus-4-1-20250805", 12),
        ("claude-haiku-4-5-20251001", 13),
    ],
    "v21": [
        ("claude-opus-4-6", 50),
        ("claude-sonnet-4-6", 25),
        ("claude-sonnet-4-5-20250929", 15),
        ("claude-haiku-4-5-20251001", 10),
    ],
}
SUB_MODELS = {
    "v1": [("claude-sonnet-4-20250514", 100)],
    "v20": [("claude-haiku-4-5-20251001", 50), ("claude-sonnet-4-5-20250929", 50)],
    "v21": [
        ("claude-haiku-4-5-20251001", 50),
        ("claude-sonnet-4-6", 25),
        ("claude-sonnet-4-5-20250929", 10),
        ("claude-opus-4-6", 15),
    ],
}
ADVISOR_MODELS = [("claude-opus-4-7", 70), ("claude-opus-4-6", 30)]
"""Models consulted by the advisor tool (2.1.x, quirk ``advisor``)."""
TOOLS = [
    ("Read", 27),
    ("Edit", 12),
    ("Bash", 22),
    ("Grep", 9),
    ("Glob", 5),
    ("Write", 3),
    ("MultiEdit", 1),
    ("TodoWrite", 5),
    ("WebFetch", 2),
    ("WebSearch", 2),
    ("mcp", 4),
]
SUB_TOOLS = [
    ("Read", 40),
    ("Grep", 20),
    ("Glob", 12),
    ("Bash", 18),
    ("WebSearch", 5),
    ("WebFetch", 5),
]
MCP = [
    (
        "mcp__github__get_issue",
        lambda r, p: {"owner": "acme", "repo": p, "issue_number": r.randint(1, 900)},
    ),
    (
        "mcp__github__create_pull_request",
        lambda r, p: {
            "owner": "acme",
            "repo": p,
            "title": "Fix " + r.choice(WORDS),
            "head": "fix/" + r.choice(WORDS),
            "base": "main",
        },
    ),
    ("mcp__playwright__browser_snapshot", lambda r, p: {}),
    ("mcp__linear__list_issues", lambda r, p: {"team": p, "state": "In Progress"}),
    (
        "mcp__postgres__query",
        lambda r, p: {"sql": f"SELECT id, {r.choice(WORDS)} FROM {r.choice(WORDS)}s LIMIT 50"},
    ),
]


def weighted(items: list[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    vals = [v for v, _ in items]
    cum, s = [], 0
    for _, w in items:
        s += w
        cum.append(s)
    return vals, cum
