"""Qwen Code: chats under ``~/.qwen/projects/<project>/chats/`` (``$QWEN_DATA_DIR``). Counting
rules: docs/counting.md ("Qwen Code")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.qwen import paths


class QwenCode(Source):
    name = "qwen"
    label = "Qwen Code"
    marker = "QW"
    rank = 62
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


SOURCE = QwenCode()
