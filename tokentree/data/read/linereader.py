"""The tolerant reader: Python's view of a JSONL file, line by line.

Used where DuckDB's bulk scan cannot be trusted or cannot be used: files whose bytes did not add
up after the scan (a line DuckDB dropped: invalid UTF-8, an over-long line, a file that changed
mid-scan), single lines DuckDB could not parse (lone surrogate escapes), appended tails read
from a byte offset, and zstd-compressed files that cannot be read whole. The line format's
Python twin (``classify``,
``parse``) produces rows of the same staging shape as its SQL, so everything downstream is
shared.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from tokentree.data.source import LineFormat

CHUNK = 4 << 20
SIGNATURE_BYTES = 64
BOM = "\ufeff"
COMPRESSED_SUFFIX = ".zst"


def is_compressed(path: str) -> bool:
    """zstd files (Codex recompresses old rollouts): DuckDB's scan decompresses them itself."""
    return path.endswith(COMPRESSED_SUFFIX)


def open_binary(path: str) -> IO[bytes]:
    """The file's bytes; a ``.zst`` file is decompressed as it is read."""
    handle = open(path, "rb")  # noqa: SIM115 - returned to the caller
    if not is_compressed(path):
        return handle
    return ZstdReader(handle)  # type: ignore[return-value]


def decompressed_size(path: str) -> int | None:
    """The size of a zstd file's content (decompressing it once, in C); None when it cannot be
    read whole (unreadable, corrupt, cut inside a frame)."""
    import zstandard

    try:
        with open_binary(path) as handle:
            total = 0
            while chunk := handle.read(CHUNK):
                total += len(chunk)
    except (OSError, ValueError, zstandard.ZstdError):
        return None
    return total


class TruncatedFrame(ValueError):
    """A zstd file ends inside a frame (a partial copy): reported, never read as complete."""


class ZstdReader:
    """The decompressed bytes of a zstd file, frame after frame. Unlike zstandard's stream
    reader, which ends quietly where a truncated frame stops, it raises
    :class:`TruncatedFrame` when the file ends inside a frame."""

    def __init__(self, handle: IO[bytes]) -> None:
        import zstandard

        self._handle = handle
        self._context = zstandard.ZstdDecompressor()
        self._frame = self._context.decompressobj()
        self._in_frame = False
        self._buffer = bytearray()
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._fill()
        cut = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        data = bytes(self._buffer[:cut])
        del self._buffer[:cut]
        return data

    def _fill(self) -> None:
        data = self._handle.read(CHUNK)
        if not data:
            self._done = True
            if self._in_frame:
                raise TruncatedFrame("the file ends inside a zstd frame (truncated copy?)")
            return
        while data:
            self._in_frame = True
            self._buffer += self._frame.decompress(data)
            if not self._frame.eof:
                return
            data = self._frame.unused_data
            self._frame = self._context.decompressobj()
            self._in_frame = False

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ZstdReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@dataclass(slots=True)
class ReadResult:
    """Staging rows and accounting of one (partial) file read."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    size: int = 0
    """File size when it was opened (reading stops there)."""
    mtime_ns: int = 0
    end_offset: int = 0
    """Byte offset just past the last complete line consumed."""
    lines: int = 0
    skipped: int = 0
    """Lines that may carry data but could not be parsed."""
    truncated_tail: bool = False
    """The file ends in an incomplete line (usually: still being written)."""
    tail_sig: str = ""
    processed_bytes: int = 0
    """Bytes of the lines processed (all lines, or only those DuckDB could not read)."""


def _iter_lines(handle: Any, limit: int) -> Iterator[tuple[bytes, bool]]:
    """Yield ``(line, complete)`` for the next ``limit`` bytes of a binary file."""
    remaining = limit
    carry = b""
    while remaining > 0:
        chunk = handle.read(min(CHUNK, remaining))
        if not chunk:
            break
        remaining -= len(chunk)
        parts = chunk.split(b"\n")
        parts[0] = carry + parts[0]
        carry = parts.pop()
        for part in parts:
            yield part, True
    if carry:
        yield carry, False


def clean(text: str | None) -> str | None:
    """Replace lone surrogates (valid in JSON escapes, invalid in UTF-8) with U+FFFD."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    row["x"] = [clean(value) for value in row["x"]]
    if row.get("overflow") is not None:
        row["overflow"] = [{k: clean(v) for k, v in tool.items()} for tool in row["overflow"]]
    return row


def parse_json_line(text: str, kind: str, fmt: LineFormat) -> dict[str, Any] | None:
    """Staging fields (kind, x, overflow) of a line of ``kind``, or None when it is not valid
    JSON (or not what the format expects)."""
    try:
        obj = json.loads(text.removeprefix(BOM))
    except (ValueError, RecursionError):
        return None
    extracted = fmt.parse(obj, kind)
    return clean_row(extracted) if extracted is not None else None


def is_json(text: str, parsed: dict[str, Any] | None = None) -> bool:
    if parsed is not None:
        return True
    try:
        json.loads(text.removeprefix(BOM))
    except (ValueError, RecursionError):
        return False
    return True


def tail_signature(path: str, end_offset: int) -> str:
    """A short fingerprint of the bytes just before ``end_offset``: tells an append from a
    rewrite when the file has grown since it was read."""
    start = max(0, end_offset - SIGNATURE_BYTES)
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            data = handle.read(end_offset - start)
    except OSError:
        return ""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def looks_broken(raw: bytes) -> bool:
    """A line that is not parsed is still certainly broken when it does not end in ``}``
    (the same test the scan makes)."""
    return bool(raw) and not (raw.endswith(b"}") or raw.endswith(b"}\r"))


def unreadable_by_duckdb(raw: bytes, max_line: int) -> bool:
    """True for a line DuckDB's reader drops: invalid UTF-8 or longer than ``max_line``."""
    if len(raw) > max_line:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def read_file(
    path: str,
    file_id: int,
    fmt: LineFormat,
    offset: int = 0,
    *,
    only_unreadable_by_duckdb: int | None = None,
) -> ReadResult:
    """Read a JSONL file from ``offset`` to its current end; never raises on bad content.

    With ``only_unreadable_by_duckdb=max_line``, only the lines DuckDB's reader drops are
    processed (the rest were read by DuckDB already); ``processed_bytes`` then tells how many
    bytes they add to DuckDB's count. ``OSError`` (unreadable, vanished) propagates.
    """
    result = ReadResult()
    selective = only_unreadable_by_duckdb is not None
    other_bytes = 0
    compressed = is_compressed(path)
    with open_binary(path) as handle:
        stat = os.stat(path) if compressed else os.fstat(handle.fileno())
        result.size, result.mtime_ns = stat.st_size, stat.st_mtime_ns
        if offset:
            handle.seek(offset)
        position = offset
        limit = (1 << 62) if compressed else max(0, stat.st_size - offset)
        for raw, complete in _iter_lines(handle, limit):
            if selective and (
                not complete or not unreadable_by_duckdb(raw, only_unreadable_by_duckdb or 0)
            ):
                position += len(raw) + (1 if complete else 0)
                continue
            text = raw.decode("utf-8", "replace")
            kind = fmt.classify(text)
            parsed = parse_json_line(text, kind, fmt) if kind is not None else None
            if not complete and not is_json(text, parsed):
                # An incomplete last line is data still being written: leave it for later.
                result.truncated_tail = bool(text.strip())
                break
            position += len(raw) + (1 if complete else 0)
            result.lines += 1
            nbytes = len(raw) + 1
            result.processed_bytes += nbytes
            if kind is None:
                other_bytes += nbytes
                if looks_broken(raw):
                    result.skipped += 1
            elif parsed is None:
                result.skipped += 1
            else:
                result.rows.append({"bytes": nbytes, "ordinal": result.lines, **parsed})
        result.end_offset = result.size if compressed else position
    for row in result.rows:
        row["file_id"] = file_id
    if other_bytes:
        result.rows.append({"file_id": file_id, "kind": None, "bytes": other_bytes})
    result.tail_sig = "" if compressed else tail_signature(path, result.end_offset)
    return result
