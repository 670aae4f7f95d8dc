"""Conformance samples for Qwen Code: a ``projects`` directory with a session of two calls (one
re-appended, thoughts inside the candidates as Qwen's OpenAI client records them) and a
``/branch`` copy of it in a second file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.data.sources.truth import Truth

SESSION = "aaaaaaaa-1111-4111-8111-111111111111"
BRANCH = "bbbbbbbb-2222-4222-8222-222222222222"
CHATS = "-home-dev-src-atlas/chats"


def record(uuid: str, ts: str, kind: str, session: str = SESSION, **extra: object) -> str:
    body = {"uuid": uuid, "parentUuid": None, "sessionId": session, "timestamp": ts,
            "type": kind, "cwd": "/home/dev/src/atlas", "version": "0.15.6", **extra}  # fmt: skip
    return json.dumps(body, separators=(",", ":"))


def assistant(uuid: str, ts: str, prompt: int, cached: int, cand: int, thoughts: int, **extra):
    meta = {"promptTokenCount": prompt, "candidatesTokenCount": cand,
            "thoughtsTokenCount": thoughts, "totalTokenCount": prompt + cand,
            "cachedContentTokenCount": cached}  # fmt: skip
    parts = [{"functionCall": {"id": f"call-{uuid}", "name": "run_shell_command",
                               "args": {"command": "pytest -q"}}}]  # fmt: skip
    return record(uuid, ts, "assistant", model="qwen3.5-plus", usageMetadata=meta,
                  message={"role": "model", "parts": parts}, **extra)  # fmt: skip


def _main(root: Path) -> Path:
    return root / CHATS / f"{SESSION}.jsonl"


def write_sample(root: Path) -> Truth:
    path = _main(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    user = record("u1", "2026-11-20T10:00:00.000Z", "user",
                  message={"role": "user", "parts": [{"text": "fix the parser"}]})  # fmt: skip
    a1 = assistant("a1", "2026-11-20T10:00:05.000Z", 1000, 600, 50, 20)
    a2 = assistant("a2", "2026-11-20T10:00:09.000Z", 1200, 1000, 30, 0)
    path.write_text("\n".join((user, a1, a2, a2)) + "\n", encoding="utf-8")
    fork = {"forkedFrom": {"sessionId": SESSION, "messageUuid": "a1"}}
    copy = assistant("a1", "2026-11-20T10:00:05.000Z", 1000, 600, 50, 20, **fork)
    (path.parent / f"{BRANCH}.jsonl").write_text(copy.replace(SESSION, BRANCH) + "\n")
    return Truth(calls=2, input=600, output=80, cache_read=1600)


def grow(root: Path) -> Truth:
    """The CLI appends the next response."""
    with _main(root).open("a", encoding="utf-8") as handle:
        handle.write(assistant("a3", "2026-11-20T10:01:00.000Z", 300, 100, 5, 0) + "\n")
    return Truth(calls=1, input=200, output=5, cache_read=100)


def data_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.jsonl"))
