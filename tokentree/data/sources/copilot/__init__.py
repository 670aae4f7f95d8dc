"""GitHub Copilot CLI: the JSONL files of its OpenTelemetry file exporter
(``~/.copilot/otel/*.jsonl``, ``$COPILOT_OTEL_FILE_EXPORTER_PATH``). One call per model request
(a ``chat`` span, each request counted once though log records and turn totals repeat it);
turns from ``invoke_agent`` spans, tools from ``execute_tool`` spans. Counting rules:
docs/counting.md ("GitHub Copilot CLI")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Source
from tokentree.data.sources.copilot import paths


class Copilot(Source):
    name = "copilot"
    label = "GitHub Copilot CLI"
    marker = "CP"
    rank = 50
    env_vars = (paths.ENV_FILE, paths.ENV_HOME)
    formats = LazyFormats(__name__, "otel:OTEL_FORMAT")

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


SOURCE = Copilot()
