"""What a chat file says about its session as a whole: whose session it is, whether it is a
subagent's, which project it belongs to. The same rules as ``stage.sql``, for the legacy reader.

* A subagent chat (``chats/<parent>/<id>.jsonl`` or ``kind: "subagent"``) is a sidechain of its
  parent: its calls join the parent's session, its own session id becomes the agent id.
* The session id is the record's ``sessionId``, else the file name.
* Calls are deduplicated across files by ``<own session id>/<message id>``: a legacy ``.json``
  that the CLI migrated to a ``.jsonl`` beside it holds the same messages twice.
* The project root comes from the path (:mod:`.projects`), else from a ``directories`` entry
  whose sha256 is the record's ``projectHash``; the label from the directory name, else the
  first 8 hex digits of ``projectHash``.
* A message without a timestamp takes the session's ``startTime``, else the file name's minute.

Strings are cleaned of lone surrogates (valid JSON escapes that UTF-8 cannot hold).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tokentree.data.read.linereader import clean


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 timestamp with its offset (``Z``), or None."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@dataclass(frozen=True, slots=True)
class SessionFacts:
    own_session_id: str | None
    session_id: str | None
    agent_id: str | None
    is_sidechain: bool
    cwd: str | None
    project: str | None
    fallback_ts: datetime | None

    @classmethod
    def of(cls, context: Sequence[str | None], meta: dict[str, str | None]) -> SessionFacts:
        root, label, parent, stem, file_time = (clean(value) for value in context)
        own = clean(meta["session_id"]) or stem
        subagent = parent is not None or meta["kind"] == "subagent"
        root_hash = meta["project_hash"]
        return cls(
            own_session_id=own,
            session_id=parent or own,
            agent_id=own if subagent else None,
            is_sidechain=subagent,
            cwd=root or clean(meta["directory_root"]),
            project=label or (root_hash[:8] if root_hash else None),
            fallback_ts=parse_time(meta["start"]) or parse_time(file_time),
        )

    def call(self, found: dict[str, Any]) -> dict[str, Any]:
        """A ``raw_calls`` row from a collapsed gemini message (id, lines, usage, tools …)."""
        message_id = clean(found["id"])
        tools = sorted(
            {(clean(t["id"]), clean(t["name"]), clean(t["detail"])) for t in found["tools"]},
            key=lambda t: tuple("" if v is None else v for v in t),
        )
        return {
            "lines": found["lines"],
            "call_id": message_id,
            "dedup_key": f"{self.own_session_id}/{message_id}" if message_id else None,
            "session_id": self.session_id,
            "agent_id": self.agent_id,
            "is_sidechain": self.is_sidechain,
            "ts": parse_time(found.get("ts")) or self.fallback_ts,
            "model": clean(found.get("model")),
            **found["usage"],
            "cwd": self.cwd,
            "project": self.project,
            "tools": [{"id": i, "name": n, "detail": d} for i, n, d in tools],
        }

    def prompt(self, found: dict[str, Any]) -> dict[str, Any]:
        """A ``raw_prompts`` row from a user record that is a prompt."""
        return {
            "uuid": clean(found["id"]),
            "session_id": self.session_id,
            "ts": parse_time(found.get("ts")) or self.fallback_ts,
            "is_sidechain": self.is_sidechain,
            "texts": [clean(text) for text in found["texts"]],
            "has_image": found["image"],
            "cwd": self.cwd,
        }
