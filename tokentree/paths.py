"""Where tokentree keeps its own files, and the user's time zone.

tokentree never writes next to the logs it reads; its cache, config, remembered state and archive
live in the platform's user directories (``XDG_CACHE_HOME`` / ``XDG_CONFIG_HOME`` /
``XDG_STATE_HOME`` / ``XDG_DATA_HOME`` are honoured on Linux).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: see cache_location
    from pathlib import Path

APP = "tokentree"


def cache_dir() -> Path:
    """The directory for the persisted columnar cache (``$TOKENTREE_CACHE_DIR`` overrides)."""
    from pathlib import Path

    return Path(cache_location())


def cache_location() -> str:
    """:func:`cache_dir` as a string, found without importing ``platformdirs`` where the rule
    is simple (Linux: ``$XDG_CACHE_HOME`` or ``~/.cache``): ``tokentree statusline`` runs
    every few seconds, and that import is a good part of a Python start-up."""
    override = os.environ.get("TOKENTREE_CACHE_DIR")
    if override:
        return override
    if sys.platform == "linux":
        xdg, home = os.environ.get("XDG_CACHE_HOME", ""), os.environ.get("HOME", "")
        if os.path.isabs(xdg):
            return os.path.join(xdg, APP)
        if os.path.isabs(home):
            return os.path.join(home, ".cache", APP)
    from platformdirs import user_cache_dir

    return user_cache_dir(APP, appauthor=False)


def data_dir() -> Path:
    """The directory for what tokentree keeps and cannot rebuild: the archive of calls whose
    logs are gone (``$TOKENTREE_DATA_DIR`` overrides). Never the cache directory, which users
    may delete at will."""
    from pathlib import Path

    from platformdirs import user_data_path

    override = os.environ.get("TOKENTREE_DATA_DIR")
    return Path(override) if override else user_data_path(APP, appauthor=False)


def config_file() -> Path:
    """The config file (``$TOKENTREE_CONFIG`` overrides)."""
    from pathlib import Path

    from platformdirs import user_config_path

    override = os.environ.get("TOKENTREE_CONFIG")
    if override:
        return Path(override)
    return user_config_path(APP, appauthor=False) / "config.toml"


def state_file() -> Path:
    """What the explorer remembers between runs: the theme chosen in the palette and the view
    settings (``$TOKENTREE_STATE`` overrides; never next to the logs)."""
    from pathlib import Path

    from platformdirs import user_state_path

    override = os.environ.get("TOKENTREE_STATE")
    if override:
        return Path(override)
    return user_state_path(APP, appauthor=False) / "state.json"


def user_themes_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "themes"


def local_timezone() -> str:
    """The IANA name of the local time zone: ``$TZ``, else ``/etc/localtime``'s link target,
    else ``/etc/timezone``, else UTC."""
    from zoneinfo import available_timezones

    env_tz = os.environ.get("TZ", "").lstrip(":")
    if env_tz and _is_zone(env_tz):
        return env_tz
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in target:
            name = target.split(marker, 1)[1]
            if _is_zone(name):
                return name
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            name = handle.read().strip()
        if name in available_timezones():
            return name
    except OSError:
        pass
    return "UTC"


def _is_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
