"""Python's twin of DuckDB's ``json_extract_string(line, [paths])``, for the tolerant reader.

A line source's SQL extracts a fixed list of JSON paths from each line it parses; when a line
must be read in Python instead (invalid UTF-8, lone surrogates, appended tails), these helpers
extract the same values the same way, so that everything downstream is shared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

Steps = tuple[str | int, ...]


def compile_path(path: str) -> Steps:
    """``$.a.b[0].c`` → ``("a", "b", 0, "c")``."""
    return tuple(key if key else int(index) for key, index in _PATH_PART.findall(path[1:]))


def compile_paths(paths: Sequence[str]) -> list[Steps]:
    return [compile_path(path) for path in paths]


def follow(obj: Any, steps: Steps) -> Any:
    """The value at compiled ``steps`` the way DuckDB finds it (missing → None)."""
    node = obj
    for step in steps:
        if isinstance(step, str):
            if not isinstance(node, dict):
                return None
            node = node.get(step)
            if node is None:
                return None
        else:
            if not isinstance(node, list) or step >= len(node):
                return None
            node = node[step]
    return node


def json_string(value: Any) -> str | None:
    """What ``json_extract_string`` returns for a parsed JSON value."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def extract(obj: Any, steps: list[Steps]) -> list[str | None]:
    """The strings at every path, as one ``json_extract_string(line, [paths])`` call."""
    return [json_string(follow(obj, s)) for s in steps]
