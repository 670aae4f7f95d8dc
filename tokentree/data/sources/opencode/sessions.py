"""OpenCode sessions and their parents: a subagent (``task``) runs in a child session whose
``parent_id`` names the session that started it; its calls belong to the top-level session of
that chain, marked as a sidechain of the agent (the child session's id)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: str
    parent_id: str | None = None
    directory: str | None = None


@dataclass(slots=True)
class SessionTree:
    sessions: dict[str, SessionInfo] = field(default_factory=dict)

    def add(self, info: SessionInfo) -> None:
        self.sessions[info.id] = info

    def root(self, session_id: str) -> str:
        """The top-level session of ``session_id``'s parent chain (cycles end the walk)."""
        seen = {session_id}
        current = session_id
        while True:
            info = self.sessions.get(current)
            parent = info.parent_id if info is not None else None
            if not parent or parent in seen:
                return current
            seen.add(parent)
            current = parent

    def directory(self, session_id: str) -> str | None:
        info = self.sessions.get(session_id)
        return info.directory if info is not None else None
