"""Where feeds are found: the feeds directory, the config's ``feeds`` globs (discovered and
watched), ``--root`` without a source name, and the config key's validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import export, run_cli
from tests.data.sources.jsonl.samples import line, write_lines
from tokentree import config
from tokentree.config import ConfigError, Settings
from tokentree.data.source import Root
from tokentree.data.sources.jsonl import paths
from tokentree.data.workspace import Options, Workspace


def rec(inp: int) -> str:
    return line(timestamp="2026-11-20T10:00:00Z", model="gpt-4.1", input_tokens=inp,
                output_tokens=1)  # fmt: skip


def test_the_config_accepts_a_list_of_feeds_only(tmp_path: Path) -> None:
    assert config.parse({"feeds": ["~/proxy/*.jsonl", " /var/log/x.jsonl "]}).feeds == [
        "~/proxy/*.jsonl",
        "/var/log/x.jsonl",
    ]
    assert config.parse({}).feeds == []
    for bad in ("~/proxy/*.jsonl", ["ok", 3], [""]):
        with pytest.raises(ConfigError, match="feeds must be a list"):
            config.parse({"feeds": bad})


def test_a_glob_is_split_at_its_static_prefix(tmp_path: Path) -> None:
    env = {"HOME": "/home/me"}
    assert paths.glob_root("~/proxy/logs/*.jsonl", env, None) == Root(
        Path("/home/me/proxy/logs"), "*.jsonl"
    )
    assert paths.glob_root("/srv/*/usage-[0-9]*.jsonl", env, None) == Root(
        Path("/srv"), "*/usage-[0-9]*.jsonl"
    )
    assert paths.glob_root("/var/log/usage.jsonl", env, None) == Path("/var/log/usage.jsonl")
    assert paths.glob_root("feeds/*.jsonl", env, tmp_path) == Root(tmp_path / "feeds", "*.jsonl")


def test_the_feeds_directory_follows_xdg_and_its_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.feeds_dir({}) == tmp_path / "data" / "tokentree" / "feeds"
    assert paths.feeds_dir({"TOKENTREE_FEEDS_DIR": str(tmp_path / "x")}) == tmp_path / "x"


def test_default_discovery_reads_the_feeds_directory_and_config_globs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    write_lines(tmp_path / "data" / "tokentree" / "feeds" / "mine.jsonl", [rec(1)])
    logs = tmp_path / "proxy" / "logs"
    write_lines(logs / "2026-11-20.jsonl", [rec(10)])
    write_lines(logs / "2026-archive" / "10-01.jsonl", [rec(100)])  # `*` crosses directories
    write_lines(logs / "debug.jsonl", [rec(1000)])  # not matched by the glob
    other = write_lines(tmp_path / "single.jsonl", [rec(10000)])
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'feeds = ["{logs}/2026-*.jsonl", "{other}", "{tmp_path}/missing/*.jsonl"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("TOKENTREE_CONFIG", str(config_file))
    document, _ = export("--source", "jsonl", "--tz", "UTC", "--no-annotate")
    assert document["totals"]["input"] == 1 + 10 + 100 + 10000
    code, out, _ = run_cli("paths", "--source", "jsonl")
    assert code == 0 and str(logs) in out and "TOKENTREE_FEEDS_DIR" in out


def test_a_glob_root_is_watched_as_it_is_discovered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOKENTREE_FEEDS_DIR", str(tmp_path / "feeds"))
    logs = tmp_path / "proxy"
    write_lines(logs / "a-1.jsonl", [rec(1)])
    settings = Settings(feeds=[f"{logs}/a-*.jsonl", f"{logs}/b-*.jsonl"])
    workspace = Workspace(Options(sources=("jsonl",), tz="UTC", settings=settings))
    try:
        assert (logs, True) in workspace.watch_targets()
        assert workspace.watches(str(logs / "a-2.jsonl"))
        assert workspace.watches(str(logs / "b-1.jsonl"))  # the second glob over the same dir
        assert workspace.watches(str(tmp_path / "feeds" / "new.jsonl"))
        assert not workspace.watches(str(logs / "c-1.jsonl"))
        assert not workspace.watches(str(logs / "a-1.log"))
        workspace.refresh()
        write_lines(logs / "b-1.jsonl", [rec(2)])  # a file the watcher reports appears
        write_lines(logs / "c-1.jsonl", [rec(4)])
        report = workspace.refresh()
        assert report.files == 2
        workspace.store.build(workspace.view)
        assert workspace.store.scalar("SELECT sum(input) FROM calls") == 3
    finally:
        workspace.close()


def test_an_unlabelled_root_holding_feeds_is_recognised(tmp_path: Path) -> None:
    feeds = write_lines(tmp_path / "usage" / "a.jsonl", [rec(5)]).parent
    document, _ = export("--root", str(feeds), "--tz", "UTC", "--no-annotate")
    assert document["sources"] == ["jsonl"] and document["totals"]["input"] == 5
    claude_like = write_lines(
        tmp_path / "t" / "s.jsonl",
        ['{"type":"user","input_tokens":1,"output_tokens":1,"timestamp":"2026-11-20T10:00:00Z"}'],
    )
    assert not paths.claims(claude_like.parent)
    assert paths.claims(feeds / "a.jsonl") and not paths.claims(tmp_path / "nowhere")
