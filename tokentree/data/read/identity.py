"""Portable identities: the same file or call has the same id on every run, machine and DuckDB
version.

A file is ``(source, path)`` hashed with BLAKE2b (not DuckDB's ``hash()``, which may change
between versions); a call is its source's native id (``raw_calls.call_id``), and calls from
different sources never compare equal because the source is part of every call key.
"""

from __future__ import annotations

import hashlib

FILE_ID_BYTES = 8
"""A file id fits DuckDB's UBIGINT."""


def file_id(source: str, path: str) -> int:
    """The stable id of a file read by ``source`` at ``path``."""
    digest = hashlib.blake2b(f"{source}\0{path}".encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "big")
