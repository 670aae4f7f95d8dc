"""A generic JSONL feed: usage records written by proxies, collectors and scripts, one JSON
object per line (``<user data dir>/tokentree/feeds/*.jsonl`` and the config's ``feeds`` globs).
The record format and its counting rules: docs/data-sources.md, "JSONL feed"."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.data.source import LazyFormats, Root, Source
from tokentree.data.sources.jsonl import paths


class JsonlFeed(Source):
    name = "jsonl"
    label = "JSONL feed"
    marker = "FD"
    rank = 900
    env_vars = ("TOKENTREE_FEEDS_DIR", "XDG_DATA_HOME")
    formats = LazyFormats(__name__, "feed:FEED_FORMAT")

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path | Root]:
        return paths.default_roots(env, settings)

    def claims(self, path: Path) -> bool:
        return paths.claims(path)

    def match(self, path: str) -> str | None:
        return paths.match(path)


SOURCE = JsonlFeed()
