"""Codebuff (formerly Manicode): chats under ``~/.config/manicode{,-dev,-staging}/projects/``
(``$CODEBUFF_DATA_DIR``). Counting rules: docs/counting.md ("Codebuff")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.codebuff import paths


class Codebuff(Source):
    name = "codebuff"
    label = "Codebuff"
    marker = "CB"
    rank = 66
    env_vars = (paths.ENV,)
    formats = LazyFormats(__name__, "chat:CHAT_FORMAT")

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


SOURCE = Codebuff()
