"""Kimi CLI: the wire logs under ``~/.kimi/sessions/`` (``$KIMI_SHARE_DIR``; ``$KIMI_DATA_DIR`` as
ccusage names it), and those of its successor Kimi Code under ``~/.kimi-code/sessions/``
(``$KIMI_CODE_HOME``). Counting rules: docs/counting.md ("Kimi CLI")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.kimi import paths


class KimiCli(Source):
    name = "kimi"
    label = "Kimi CLI"
    marker = "KI"
    rank = 60
    env_vars = (paths.ENV_DATA, paths.ENV_SHARE, paths.ENV_CODE)
    formats = LazyFormats(__name__, "wire:WIRE_FORMAT", "code:CODE_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)

    def descend(self, path: str) -> bool:
        return paths.descend(path)


SOURCE = KimiCli()
