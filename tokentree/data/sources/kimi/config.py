"""What the share directory says about every session in it: the model (the wire log names
none) and the working directories (the session folders are named by their MD5).

Read once per share directory and state: many wire logs share one config.

* Model: ``config.toml`` (or the older ``config.json``) names ``default_model``, a key of its
  ``models`` table whose ``model`` is the provider's name for it; a top-level ``model`` (the shape
  ccusage reads) is accepted too. Without a config: ``kimi-for-coding``, the CLI's default.
* Working directories: ``kimi.json`` lists ``work_dirs[].path``; the session folder is
  ``md5(path)``, prefixed ``<kaos>_`` for a non-local environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from functools import lru_cache
from typing import Any

DEFAULT_MODEL = "kimi-for-coding"
CONFIG_NAMES = ("config.toml", "config.json")
METADATA_NAME = "kimi.json"
LOCAL_KAOS = "local"


def _state(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _load(path: str) -> Any:
    with open(path, "rb") as handle:
        data = handle.read()
    if path.endswith(".toml"):
        return tomllib.loads(data.decode("utf-8", "replace"))
    return json.loads(data.decode("utf-8", "replace"))


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def model_of(config: Any) -> str | None:
    """The model a parsed config selects (None when it names none)."""
    if not isinstance(config, dict):
        return None
    default = _text(config.get("default_model"))
    models = config.get("models")
    if default and isinstance(models, dict) and isinstance(models.get(default), dict):
        named = _text(models[default].get("model"))
        if named:
            return named
    return default or _text(config.get("model"))


@lru_cache(maxsize=64)
def _model(share: str, states: tuple[tuple[int, int] | None, ...]) -> str:
    for name, state in zip(CONFIG_NAMES, states, strict=True):
        if state is None:
            continue
        try:
            found = model_of(_load(os.path.join(share, name)))
        except (OSError, ValueError, tomllib.TOMLDecodeError):
            continue
        if found:
            return found
    return DEFAULT_MODEL


def model(share: str) -> str:
    """The model of the share directory's current config."""
    states = tuple(_state(os.path.join(share, name)) for name in CONFIG_NAMES)
    return _model(share, states)


def folder_name(path: str, kaos: str = LOCAL_KAOS) -> str:
    digest = hashlib.md5(path.encode("utf-8")).hexdigest()  # the folder names Kimi CLI uses
    return digest if kaos == LOCAL_KAOS else f"{kaos}_{digest}"


@lru_cache(maxsize=64)
def _work_dirs(share: str, state: tuple[int, int] | None) -> dict[str, str]:
    if state is None:
        return {}
    try:
        metadata = _load(os.path.join(share, METADATA_NAME))
    except (OSError, ValueError):
        return {}
    found: dict[str, str] = {}
    entries = metadata.get("work_dirs") if isinstance(metadata, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not _text(entry.get("path")):
            continue
        kaos = _text(entry.get("kaos")) or LOCAL_KAOS
        found[folder_name(entry["path"], kaos)] = entry["path"]
    return found


def work_dir(share: str, folder: str | None) -> str | None:
    """The working directory whose sessions live in ``sessions/<folder>`` (None: unknown)."""
    if folder is None:
        return None
    return _work_dirs(share, _state(os.path.join(share, METADATA_NAME))).get(folder)
