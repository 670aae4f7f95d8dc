"""Claude Code: session and subagent transcripts (``~/.claude/projects/**/*.jsonl``) and the
subagent sidecars beside them. Counting rules: docs/counting.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tokentree.data.source import HistoryPrompt, LazyFormats, Source
from tokentree.data.sources.claude import paths
from tokentree.data.sources.claude.history import read_history


class ClaudeCode(Source):
    name = "claude"
    label = "Claude Code"
    marker = "CC"
    rank = 0
    env_vars = ("CLAUDE_CONFIG_DIR",)
    formats = LazyFormats(__name__, "transcript:TRANSCRIPT_FORMAT", "sidecars:AGENT_META_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return paths.default_roots(env)

    def root_for(self, path: Path) -> Path:
        return paths.transcript_dir(path)

    def claims(self, path: Path) -> bool:
        return (path / "projects").is_dir() or path.name == "projects"

    def match(self, path: str) -> str | None:
        return paths.match(path)

    def prompt_history(self, roots: Sequence[Path]) -> list[HistoryPrompt]:
        return read_history(roots)


SOURCE = ClaudeCode()
