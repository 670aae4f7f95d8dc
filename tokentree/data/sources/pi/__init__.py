"""pi (the pi coding agent): session files under ``~/.pi/agent/sessions/``. Counting rules:
docs/counting.md ("pi and OpenClaw")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.shared.pi_session import session_format
from tokentree.data.source import Source
from tokentree.data.sources.pi import paths

SESSION_FORMAT = session_format(paths.SESSION, "pi", paths.file_context)


class Pi(Source):
    name = "pi"
    label = "pi"
    marker = "PI"
    rank = 58
    env_vars = ("PI_CODING_AGENT_DIR", "PI_AGENT_DIR")
    formats = (SESSION_FORMAT,)

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def root_for(self, path: Path) -> Path:
        return paths.root_for(path)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)

    def descend(self, path: str) -> bool:
        return paths.descend(path)


SOURCE = Pi()
