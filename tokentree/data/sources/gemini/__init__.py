"""Gemini CLI: chat recordings under ``~/.gemini/tmp/<project>/chats/`` in the streaming
``.jsonl`` format and the legacy single-object ``.json`` format. Counting rules:
docs/counting.md ("Gemini CLI")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.gemini import paths


class GeminiCli(Source):
    name = "gemini"
    label = "Gemini CLI"
    marker = "GE"
    rank = 20
    env_vars = ("GEMINI_CLI_HOME", "GEMINI_DATA_DIR")
    formats = LazyFormats(__name__, "chat:CHAT_FORMAT", "legacy:LEGACY_FORMAT")

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


SOURCE = GeminiCli()
