"""Factory Droid: session settings under ``~/.factory/sessions/`` (``$DROID_SESSIONS_DIR``),
each with its cumulative token usage; one call per session, labelled as the session's total.
Counting rules: docs/counting.md ("Factory Droid")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.droid import paths


class FactoryDroid(Source):
    name = "droid"
    label = "Factory Droid"
    marker = "DR"
    rank = 64
    env_vars = (paths.ENV,)
    formats = LazyFormats(__name__, "settings:SETTINGS_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def root_for(self, path: Path) -> Path:
        return paths.root_for(path)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)


SOURCE = FactoryDroid()
