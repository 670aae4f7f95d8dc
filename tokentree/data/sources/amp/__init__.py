"""Amp (Sourcegraph): thread documents under ``~/.local/share/amp/threads/``. Counting rules:
docs/counting.md ("Amp")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.amp import paths


class Amp(Source):
    name = "amp"
    label = "Amp"
    marker = "AM"
    rank = 52
    env_vars = ("AMP_DATA_DIR", "XDG_DATA_HOME")
    formats = LazyFormats(__name__, "thread:THREAD_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def root_for(self, path: Path) -> Path:
        return paths.root_for(path)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)


SOURCE = Amp()
