"""Where tokentree keeps its files: the statusline's quick cache location agrees with
``platformdirs``, which every other command asks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from platformdirs import user_cache_dir

from tokentree import paths


@pytest.mark.skipif(sys.platform != "linux", reason="the quick rule is Linux's")
@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/someone"),
        ("/var/tmp/xdg-cache", "/home/someone"),
        ("relative/cache", "/home/someone"),
        ("", "/home/someone/"),
        ("/var/tmp/xdg-cache/", "/"),
    ],
)
def test_the_quick_cache_location_is_platformdirs_one(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str
) -> None:
    monkeypatch.delenv("TOKENTREE_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", home)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert paths.cache_location() == user_cache_dir(paths.APP, appauthor=False)
    assert paths.cache_dir() == Path(user_cache_dir(paths.APP, appauthor=False))


def test_the_cache_location_can_be_moved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TOKENTREE_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert paths.cache_dir() == tmp_path / "elsewhere"
