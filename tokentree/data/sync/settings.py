"""What ``tokentree sync`` remembers: the folder, this machine's device name, an S3 endpoint and
whether project names are anonymised. Kept in tokentree's own config directory (``sync.json``
beside ``config.toml``), written atomically; never in an assistant's directory."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from platformdirs import user_config_path

from tokentree import paths


@dataclass(slots=True)
class SyncSettings:
    dir: str | None = None
    """The sync folder or URL; None: never synced (nothing is merged)."""
    device: str = ""
    """This machine's name; empty: the host name."""
    endpoint: str | None = None
    """An S3-compatible endpoint URL (else ``$AWS_ENDPOINT_URL``)."""
    anonymize_projects: bool = False

    @property
    def device_name(self) -> str:
        return self.device or default_device()


def default_device() -> str:
    """This machine's short host name (``os.uname``: the socket module is not imported for
    it on every start; Windows has no ``uname``)."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        host = uname().nodename
    else:
        import socket

        host = socket.gethostname()
    return host.split(".")[0] or "local"


def settings_file() -> Path:
    """``$TOKENTREE_SYNC_CONFIG``, else ``sync.json`` in tokentree's config directory."""
    override = os.environ.get("TOKENTREE_SYNC_CONFIG")
    if override:
        return Path(override)
    return user_config_path(paths.APP, appauthor=False) / "sync.json"


def load(path: Path | None = None) -> SyncSettings:
    """The remembered settings; defaults when there are none or the file is unreadable."""
    path = path or settings_file()
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return SyncSettings()
    if not isinstance(data, dict):
        return SyncSettings()
    return SyncSettings(
        dir=data.get("dir") if isinstance(data.get("dir"), str) else None,
        device=str(data.get("device") or ""),
        endpoint=data.get("endpoint") if isinstance(data.get("endpoint"), str) else None,
        anonymize_projects=data.get("anonymize_projects") is True,
    )


def save(settings: SyncSettings, path: Path | None = None) -> None:
    path = path or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(asdict(settings), indent=2) + "\n", "utf-8")
    os.replace(temporary, path)
