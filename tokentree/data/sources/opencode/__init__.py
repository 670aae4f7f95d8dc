"""OpenCode: its sqlite database (``opencode.db``, channel builds' ``opencode-<channel>.db``) and
the legacy JSON message files beside it. One call per model request (a message's ``step-finish``
parts); subagent sessions roll up into the session that started them. Counting rules:
docs/counting.md."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.opencode import paths


class OpenCode(Source):
    name = "opencode"
    label = "OpenCode"
    marker = "OC"
    rank = 30
    env_vars = (paths.ENV_DATA_DIR, "XDG_DATA_HOME")
    formats = LazyFormats(__name__, "database:DATABASE_FORMAT", "legacy:MESSAGE_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)

    def descend(self, path: str) -> bool:
        return paths.descend(path)


SOURCE = OpenCode()
