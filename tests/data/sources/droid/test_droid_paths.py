"""Where Droid's sessions are looked for, and which paths a bare ``--root`` hands to Droid."""

from __future__ import annotations

from pathlib import Path

from tokentree.data.sources.droid import SOURCE, paths


def test_default_roots_follow_the_environment() -> None:
    assert paths.default_roots({"HOME": "/h"}) == [Path("/h/.factory/sessions")]
    listed = paths.default_roots({"HOME": "/h", "DROID_SESSIONS_DIR": "/a, /b,/a"})
    assert listed == [Path("/a"), Path("/b")]


def test_only_settings_files_are_read_as_such() -> None:
    assert SOURCE.match("/s/-home-x/abc.settings.json") == paths.SETTINGS
    assert SOURCE.match("/s/-home-x/abc.jsonl") is None  # read with its settings file
    assert SOURCE.match("/s/-home-x/.settings.json") is None
    assert SOURCE.match("/h/.factory/settings.json") is None  # Droid's own settings


def test_a_factory_directory_is_recognised(tmp_path: Path) -> None:
    factory = tmp_path / ".factory"
    folder = factory / "sessions" / "-home-dev-src-atlas"
    folder.mkdir(parents=True)
    assert not SOURCE.claims(factory / "sessions")
    (folder / "s1.settings.json").write_text("{}")
    assert SOURCE.claims(factory) and SOURCE.claims(factory / "sessions") and SOURCE.claims(folder)
    assert SOURCE.root_for(factory) == factory / "sessions"
    assert SOURCE.root_for(folder) == folder
    assert not SOURCE.claims(tmp_path / "elsewhere")
