"""What the explorer remembers between runs: round trip, corrupt files, the theme rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokentree import paths
from tokentree.model.listing import GraphMode, Measure, SortKey, SortSpec, ViewSettings
from tokentree.service.state import Remembered, StateFile


def test_round_trip(tmp_path: Path) -> None:
    state = StateFile(tmp_path / "deep" / "state.json")
    assert state.load() == Remembered()  # nothing yet
    wanted = Remembered(
        theme="nord",
        theme_config="tokentree-dark",
        view=ViewSettings(SortSpec(SortKey.COST, False), Measure.OUTPUT, GraphMode.BAR),
    )
    assert state.save(wanted)
    assert state.load() == wanted
    assert not list(state.path.parent.glob("*.part"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{not json",
        "[]",
        '{"version": 99, "theme": "nord"}',
        "\x00\xff",
    ],
)
def test_corrupt_files_are_ignored(tmp_path: Path, text: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text, "utf-8", errors="surrogateescape")
    assert StateFile(path).load() == Remembered()


def test_bad_fields_fall_back_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(
        '{"version": 1, "theme": 5, "view": {"sort": "size", "descending": true,'
        ' "measure": "cost", "graph": "sideways"}}'
    )
    loaded = StateFile(path).load()
    assert loaded.theme is None
    assert loaded.view == ViewSettings(measure=Measure.COST)


def test_a_failed_write_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert not StateFile(blocker / "state.json").save(Remembered(theme="nord"))


def test_the_config_theme_wins_once_changed() -> None:
    remembered = Remembered(theme="nord", theme_config="tokentree-dark")
    assert remembered.theme_for("tokentree-dark") == "nord"
    assert remembered.theme_for("tokentree-light") is None  # the user edited the config since
    assert Remembered().theme_for("tokentree-dark") is None


def test_the_state_file_lives_in_the_user_state_directory(isolated_home, monkeypatch) -> None:
    monkeypatch.delenv("TOKENTREE_STATE", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(isolated_home / "state"))
    assert paths.state_file() == isolated_home / "state" / "tokentree" / "state.json"
    monkeypatch.setenv("TOKENTREE_STATE", str(isolated_home / "x.json"))
    assert paths.state_file() == isolated_home / "x.json"


def test_update_keeps_what_another_process_wrote(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    explorer, live = StateFile(path), StateFile(path)
    explorer.update(theme="nord", theme_config="tokentree-dark")
    live.update(alerts={"daily:2026-11-20": 80})
    state = explorer.update(view=ViewSettings(SortSpec(SortKey.COST, True)))
    assert state.theme == "nord" and state.alerts == {"daily:2026-11-20": 80}
    assert StateFile(path).load() == state


def test_bad_alert_entries_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"version": 1, "alerts": {"daily:2026-11-20": 80, "x": "80", "y": true}}')
    assert StateFile(path).load().alerts == {"daily:2026-11-20": 80}
