"""Small derived results (insights) remembered between runs, keyed by what they depend on.

A result is valid for exactly one state of the logs and one set of settings; its key hashes
both (:func:`data_key`), so a changed file or setting simply misses. Blobs are JSON files written
atomically next to the columnar cache; old ones are pruned. Losing them only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

KEEP_SECONDS = 14 * 86_400
"""Blobs not used for this long are deleted."""


def data_key(states: Iterable[tuple[str, int, int, int]], *parts: object) -> str:
    """A stable hash of the files' (path, size, mtime, offset read) and any other inputs."""
    digest = hashlib.blake2b(digest_size=16)
    for state in sorted(states):
        digest.update(repr(state).encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(repr(part).encode())
    return digest.hexdigest()


class ResultCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def get(self, key: str) -> Any | None:
        path = self.directory / f"{key}.json"
        try:
            with open(path, encoding="utf-8") as handle:
                value = json.load(handle)
        except (OSError, ValueError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: keep it
        return value

    def put(self, key: str, value: Any) -> None:
        temporary = self.directory / f".{key}.{uuid.uuid4().hex}.tmp"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(value, handle, ensure_ascii=False)
            os.replace(temporary, self.directory / f"{key}.json")
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()
            return
        self._prune()

    def _prune(self) -> None:
        cutoff = time.time() - KEEP_SECONDS
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.directory):
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)
