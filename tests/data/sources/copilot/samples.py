"""Conformance samples for Copilot CLI: two export files under ``otel/`` — a turn of two
requests with a tool, the turn's ``invoke_agent`` total and a log record repeating a request; and
another session in Copilot CLI 1.0.62's attribute spelling."""

from __future__ import annotations

from pathlib import Path

from tests.data.sources.copilot import build as B
from tests.data.sources.truth import Truth

CONVERSATION = "c0ffee00-0000-4000-8000-000000000001"


def write_sample(root: Path) -> Truth:
    t = B.T0
    first = B.tokens(21_884, 80, 0, 21_881)
    second = B.tokens(23_500, 420, 21_881, 1_397, reasoning=120)
    B.write(
        root / "otel" / "copilot-otel-20260528-202640.jsonl",
        [
            B.metric(),
            B.chat(
                "c1",
                "a1",
                t + 1,
                t + 4,
                "claude-sonnet-4.6",
                first,
                CONVERSATION,
                **{"gen_ai.response.id": "r1"},
            ),
            B.inference_log(t + 4, "claude-sonnet-4.6", first, "r1"),
            B.tool("x1", "a1", t + 4.2, "bash", "call_1", command="pytest -q"),
            B.chat("c2", "a1", t + 5, t + 9, "claude-sonnet-4.6", second, CONVERSATION),
            B.agent(
                "a1",
                None,
                t,
                t + 10,
                usage=B.tokens(45_384, 500, 21_881, 23_278),
                conversation=CONVERSATION,
            ),
        ],
    )
    other = B.tokens(1_000, 60, 800, dotted=False)
    B.write(
        root / "otel" / "copilot-otel-20260601-090000.jsonl",
        [
            B.chat(
                "d1",
                "b1",
                t + 86_400,
                t + 86_403,
                "gpt-5.4-mini",
                other,
                "conv-2",
                trace="9f0e",
                **{"gen_ai.response.id": "r9"},
            ),
            B.agent("b1", None, t + 86_399, t + 86_404, conversation="conv-2", trace="9f0e"),
        ],
    )
    # uncached input: 21,884 − 21,881 = 3; 23,500 − 21,881 − 1,397 = 222; 1,000 − 800 = 200
    return Truth(calls=3, input=425, output=560, cache_read=22_681, cache_write=23_278)


def grow(root: Path) -> Truth:
    """The exporter appends the next turn of the first session."""
    t = B.T0 + 60
    path = root / "otel" / "copilot-otel-20260528-202640.jsonl"
    more = path.read_text(encoding="utf-8")
    B.write(
        path,
        [
            B.chat(
                "c3",
                "a2",
                t + 1,
                t + 3,
                "claude-sonnet-4.6",
                B.tokens(24_000, 30, 23_500),
                CONVERSATION,
                trace="5e5e",
            ),
            B.agent("a2", None, t, t + 4, conversation=CONVERSATION, trace="5e5e"),
        ],
    )
    path.write_text(more + path.read_text(encoding="utf-8"), encoding="utf-8")
    return Truth(calls=1, input=500, output=30, cache_read=23_500)


def data_files(root: Path) -> list[Path]:
    return sorted((root / "otel").glob("*.jsonl"))
