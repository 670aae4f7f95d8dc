"""Shared fixtures: an isolated HOME/XDG for every test, copies of the real transcripts, a
generated corpus, and helpers to run the CLI in-process."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tokentree.cli import main as cli_main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test reads or writes the developer's real config, cache or logs."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("TOKENTREE_CONFIG", str(home / "no-config.toml"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    monkeypatch.delenv("TOKENTREE_CACHE_DIR", raising=False)
    monkeypatch.delenv("TOKENTREE_STATE", raising=False)
    monkeypatch.delenv("TOKENTREE_DATA_DIR", raising=False)
    return home


@pytest.fixture
def claude_samples(tmp_path: Path) -> Path:
    """A writable copy of the real Claude Code transcripts (a ``projects`` tree)."""
    root = tmp_path / "claude" / "projects"
    shutil.copytree(FIXTURES / "claude", root / "sample-project")
    return root


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A generated corpus with every quirk (split responses, replays, resumes, subagents in
    three layouts, agent_progress copies with and without the subagent's transcript, advisor
    consultations, byte-order marks, whitespace variants, broken lines) and the generator's own
    ground truth."""
    from bench.corpus import generate

    out = tmp_path_factory.mktemp("corpus")
    manifest = generate(out, profile="quirks", seed=7)
    return out / ".claude" / "projects", manifest


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``tokentree`` in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(list(args))
    return code, out.getvalue(), err.getvalue()


def export(*args: str) -> tuple[dict[str, Any], str]:
    """Run ``tokentree export --json …``; returns (document, stderr)."""
    code, out, err = run_cli("export", "--json", *args)
    assert code == 0, err
    return json.loads(out), err


def days_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {day["id"]: day for week in document["children"] for day in week["children"]}


def walk(node: dict[str, Any]):
    yield node
    for child in node.get("children", []):
        yield from walk(child)


def checksums(root: Path) -> dict[str, str]:
    """sha256 and mtime of every file under ``root`` (to prove tokentree never writes there)."""
    result = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            result[str(path)] = f"{digest}:{path.stat().st_mtime_ns}"
    return result
