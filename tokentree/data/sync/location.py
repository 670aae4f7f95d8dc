"""Where synced partitions live: a local or shared folder, or an object-store URL (``s3://``,
``gs://``), through pyarrow's filesystem layer with credentials from the standard environment.

A partition file is ``<dir>/device=<name>/source=<name>/month=YYYY-MM/calls-<hash>.parquet``.
Readers take only names of that shape: a name starting with ``.`` or ``_`` (a file being
written, a sync tool's temporary copy) is never read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlparse

if TYPE_CHECKING:
    import pyarrow.fs

ENDPOINT_VARS = ("TOKENTREE_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
"""Environment variables naming an S3-compatible endpoint (first set wins)."""
PARTITION_KEYS = ("device", "source", "month")


@dataclass(frozen=True, slots=True)
class Location:
    """A sync folder: its filesystem and the base path within it."""

    url: str
    """As shown to the user and remembered (an absolute path or a URL)."""
    fs: pyarrow.fs.FileSystem
    base: str
    object_store: bool
    """Objects appear whole when written (no temporary name and rename needed)."""

    def join(self, *parts: str) -> str:
        return "/".join([self.base.rstrip("/"), *parts])

    def display(self, path: str) -> str:
        """``path`` (within the filesystem) as the user would name it."""
        if not self.object_store:
            return path
        scheme = urlparse(self.url).scheme
        return f"{scheme}://{path}"


@dataclass(frozen=True, slots=True)
class Partition:
    """One partition file found in a sync folder."""

    path: str
    device: str
    source: str
    month: str
    size: int
    mtime_ns: int


def open_location(text: str, endpoint: str | None = None) -> Location:
    """The sync folder named ``text`` (a path or a URL). ``endpoint``: an S3-compatible
    endpoint URL (else the first of ``ENDPOINT_VARS`` set)."""
    import pyarrow.fs as pafs

    parsed = urlparse(text)
    if parsed.scheme == "s3":
        endpoint = endpoint or next(
            (os.environ[v] for v in ENDPOINT_VARS if os.environ.get(v)), None
        )
        options: dict[str, object] = {
            "region": os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION")
            or "us-east-1"
        }
        if endpoint:
            target = urlparse(endpoint)
            options["endpoint_override"] = target.netloc or target.path
            options["scheme"] = target.scheme or "https"
        base = f"{parsed.netloc}/{parsed.path.strip('/')}".rstrip("/")
        return Location(text.rstrip("/"), pafs.S3FileSystem(**options), base, True)
    if parsed.scheme and len(parsed.scheme) > 1:  # gs:// and what else pyarrow knows
        try:
            fs, base = pafs.FileSystem.from_uri(text)
        except Exception as error:
            raise ValueError(f"cannot open sync folder {text!r}: {error}") from None
        return Location(text.rstrip("/"), fs, base.rstrip("/"), True)
    path = os.path.abspath(os.path.expanduser(text))
    return Location(path, pafs.LocalFileSystem(), path, False)


def partition_dir(location: Location, device: str, source: str, month: str) -> str:
    return location.join(
        f"device={quote(device, safe='')}", f"source={quote(source, safe='')}", f"month={month}"
    )


def list_partitions(location: Location) -> list[Partition]:
    """Every partition file under the folder (none if it does not exist)."""
    import pyarrow.fs as pafs

    selector = pafs.FileSelector(location.base, recursive=True, allow_not_found=True)
    found: list[Partition] = []
    for info in location.fs.get_file_info(selector):
        if info.type != pafs.FileType.File:
            continue
        parsed = _parse(info.path[len(location.base) :].strip("/"))
        if parsed is None:
            continue
        mtime = info.mtime_ns if info.mtime_ns is not None else 0
        found.append(Partition(info.path, *parsed, int(info.size or 0), int(mtime)))
    return sorted(found, key=lambda p: p.path)


def _parse(relative: str) -> tuple[str, str, str] | None:
    parts = relative.split("/")
    if len(parts) != 4 or any(p.startswith((".", "_")) for p in parts):
        return None
    if not parts[3].endswith(".parquet"):
        return None
    values = []
    for key, part in zip(PARTITION_KEYS, parts[:3], strict=True):
        name, sep, value = part.partition("=")
        if name != key or not sep or not value:
            return None
        values.append(unquote(value))
    return values[0], values[1], values[2]
