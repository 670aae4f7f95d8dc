"""Goose (block/goose): ``sessions/sessions.db`` under Goose's data directory. A call per request
where Goose's usage ledger (schema 15+) holds them; older sessions, which Goose recorded per
session only, are one call each, labelled as the session's total. Counting rules:
docs/counting.md ("Goose")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.goose import paths


class Goose(Source):
    name = "goose"
    label = "Goose"
    marker = "GO"
    rank = 45
    env_vars = (paths.ENV_ROOT, "XDG_DATA_HOME")
    formats = LazyFormats(__name__, "database:SESSIONS_FORMAT")

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


SOURCE = Goose()
