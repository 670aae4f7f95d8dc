"""Kilo (the Kilo Code CLI): ``kilo.db`` and its channel databases, plus the legacy JSON message
files, in the storage schema Kilo kept from OpenCode. One call per model request (a message's
``step-finish`` parts); subagent sessions roll up into the session that started them. Counting
rules: docs/counting.md ("Kilo")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.kilo import paths


class Kilo(Source):
    name = "kilo"
    label = "Kilo"
    marker = "KL"
    rank = 32
    env_vars = (paths.ENV_DATA_DIR, paths.ENV_DB, "XDG_DATA_HOME")
    formats = LazyFormats(__name__, "formats:DATABASE_FORMAT", "formats:MESSAGE_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)

    def descend(self, path: str) -> bool:
        return paths.descend(path)


SOURCE = Kilo()
