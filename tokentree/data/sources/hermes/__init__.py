"""Hermes Agent: ``$HERMES_HOME/state.db`` (and its named profiles'). Hermes records usage per
session only, so each session is one call labelled as the session's total. Counting rules:
docs/counting.md."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.hermes import paths


class Hermes(Source):
    name = "hermes"
    label = "Hermes Agent"
    marker = "HM"
    rank = 40
    env_vars = (paths.ENV_HOME,)
    formats = LazyFormats(__name__, "state:STATE_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)

    def descend(self, path: str) -> bool:
        return paths.descend(path)


SOURCE = Hermes()
