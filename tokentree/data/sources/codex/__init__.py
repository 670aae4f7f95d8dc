"""Codex CLI (and Codex Desktop / the IDE extension, which write the same files): rollouts under
``$CODEX_HOME/sessions`` and ``archived_sessions`` (``~/.codex`` by default), plain or
zstd-compressed. Counting rules: docs/counting.md."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.codex import paths


class Codex(Source):
    name = "codex"
    label = "Codex CLI"
    marker = "CX"
    rank = 10
    env_vars = ("CODEX_HOME",)
    formats = LazyFormats(__name__, "rollout:ROLLOUT_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def claims(self, path: Path) -> bool:
        return paths.is_home(path) or path.name in (paths.SESSIONS, paths.ARCHIVED)

    def match(self, path: str) -> str | None:
        return paths.match(path)

    def descend(self, path: str) -> bool:
        return paths.descend(path)

    def select(self, files: list[Any]) -> list[Any]:
        return paths.select(files)


SOURCE = Codex()
