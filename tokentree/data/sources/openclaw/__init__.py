"""OpenClaw (formerly Clawdbot, Moltbot): agent transcripts under
``~/.openclaw/agents/*/sessions/``, the ``.reset.`` and ``.deleted.`` archives included.
Counting rules: docs/counting.md ("pi and OpenClaw")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.shared.pi_session import session_format
from tokentree.data.source import Source
from tokentree.data.sources.openclaw import paths

TRANSCRIPT_FORMAT = session_format(paths.TRANSCRIPT, "openclaw", paths.file_context)


class OpenClaw(Source):
    name = "openclaw"
    label = "OpenClaw"
    marker = "CW"
    rank = 55
    env_vars = ("OPENCLAW_STATE_DIR", "OPENCLAW_DIR")
    formats = (TRANSCRIPT_FORMAT,)

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.state_dirs(env)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)

    def descend(self, path: str) -> bool:
        return paths.descend(path)


SOURCE = OpenClaw()
