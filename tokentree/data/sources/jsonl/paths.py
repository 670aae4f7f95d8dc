"""Where feeds live: the feeds directory and the globs listed in the config (``feeds``)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

from tokentree.data.source import Root
from tokentree.data.sources.jsonl.record import FEED

SUFFIX = ".jsonl"
GLOB_CHARS = frozenset("*?[")
SNIFF_BYTES = 1 << 16
SNIFF_FILES = 20


def feeds_dir(env: Mapping[str, str]) -> Path:
    """``$TOKENTREE_FEEDS_DIR``, else ``<user data dir>/tokentree/feeds`` (platformdirs; on Linux
    ``$XDG_DATA_HOME/tokentree/feeds``, default ``~/.local/share/tokentree/feeds``)."""
    override = env.get("TOKENTREE_FEEDS_DIR")
    if override:
        return Path(override).expanduser()
    return user_data_path("tokentree", appauthor=False) / "feeds"


def glob_root(pattern: str, env: Mapping[str, str], base: Path | None) -> Path | Root:
    """A configured path or glob as a root: the static prefix (the components before the first
    one with ``*``, ``?`` or ``[``) is the directory walked, the rest narrows it. ``~`` is the
    home directory; a relative pattern is relative to ``base`` (the config file's directory)."""
    if pattern == "~" or pattern.startswith("~/"):
        home = env.get("HOME") or str(Path.home())
        pattern = home + pattern[1:]
    path = Path(pattern)
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    parts = path.parts
    for position, part in enumerate(parts):
        if GLOB_CHARS & set(part):
            return Root(Path(*parts[:position]), "/".join(parts[position:]))
    return path


def default_roots(env: Mapping[str, str], settings: Any) -> list[Path | Root]:
    roots: list[Path | Root] = [feeds_dir(env)]
    config = getattr(settings, "path", None)
    base = config.parent if isinstance(config, Path) else None
    for pattern in getattr(settings, "feeds", None) or []:
        roots.append(glob_root(pattern, env, base))
    return roots


def match(path: str) -> str | None:
    """Feeds are ``*.jsonl`` files."""
    return FEED if path.endswith(SUFFIX) else None


def looks_like_feed(path: Path) -> bool:
    """Whether a file's first line is a feed record (``--root PATH`` without a source name):
    an object with ``input_tokens`` and ``output_tokens`` and no ``type`` (the assistants'
    transcripts all have one)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
        first = json.loads(head.split(b"\n", 1)[0].decode("utf-8-sig"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(first, dict)
        and "input_tokens" in first
        and "output_tokens" in first
        and "type" not in first
    )


def claims(path: Path) -> bool:
    """The feeds directory, a feed file, or a directory whose first ``*.jsonl`` files (directly
    inside it) include a feed."""
    if path.name == "feeds" and path.is_dir():
        return True
    if path.is_file():
        return match(str(path)) is not None and looks_like_feed(path)
    try:
        names = sorted(name for name in os.listdir(path) if name.endswith(SUFFIX))
    except OSError:
        return False
    return any(looks_like_feed(path / name) for name in names[:SNIFF_FILES])
