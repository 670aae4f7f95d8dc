"""Tests of the synthetic Claude Code corpus generator (bench/corpus.py) itself."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from bench.corpus import Manifest, generate

_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("small")
    return out, generate(out, profile="small", seed=7)


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _lines(data: bytes) -> list[bytes]:
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    return parts


def tiny_reader(root: Path) -> dict[tuple[str, str | None], tuple]:
    """An independent reader that follows the counting rules (formats.md §1.5-1.7)."""
    best: dict[tuple[str, str | None], tuple] = {}
    for f in sorted((root / ".claude").rglob("*.jsonl")):
        for raw in _lines(f.read_bytes()):
            try:
                o = json.loads(raw.decode("utf-8", "replace"))
            except ValueError:
                continue
            if not isinstance(o, dict) or o.get("type") != "assistant":
                continue
            m = o.get("message") or {}
            u = m.get("usage")
            if m.get("model") == "<synthetic>" or not u:
                continue
            key = (m.get("id"), o.get("requestId"))
            rec = (u["output_tokens"], bool(o.get("isSidechain")), o["timestamp"], u, m["model"])
            if key not in best or rec[0] >= best[key][0]:
                best[key] = rec
    main_rids: dict[str, set] = collections.defaultdict(set)
    for (mid, rid), rec in best.items():
        if not rec[1]:
            main_rids[mid].add(rid)
    return {
        k: rec
        for k, rec in best.items()
        if not (rec[1] and any(r != k[1] for r in main_rids.get(k[0], ())))
    }


def test_deterministic(tmp_path: Path, small: tuple[Path, Manifest]) -> None:
    out, _ = small
    again = tmp_path / "again"
    generate(again, profile="small", seed=7)
    assert _files(again) == _files(out)
    other = tmp_path / "other"
    generate(other, profile="small", seed=8)
    assert _files(other) != _files(out)


def test_manifest_matches_an_independent_reader(small: tuple[Path, Manifest]) -> None:
    out, m = small
    got = tiny_reader(out)
    assert len(got) == m.unique_calls
    assert set(got) == {(c[0], c[1]) for c in m.calls}
    for c in m.calls:
        output, sidechain, ts, u, model = got[(c[0], c[1])]
        cc = u.get("cache_creation")
        cw5 = cc["ephemeral_5m_input_tokens"] if cc else u["cache_creation_input_tokens"]
        cw1 = cc["ephemeral_1h_input_tokens"] if cc else 0
        assert (
            ts,
            model,
            u["input_tokens"],
            output,
            u["cache_read_input_tokens"],
            cw5,
            cw1,
            sidechain,
        ) == (c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[10])
    # the manifest file round-trips and its day totals add up
    again = Manifest.load(out / "manifest.json")
    assert again.calls == m.calls
    days = m.day_totals("UTC")
    assert sum(d["output"] for d in days.values()) == m.totals()["output"]
    assert sum(d["calls"] for d in m.day_totals("America/Los_Angeles").values()) == m.unique_calls


def test_structure_and_layouts(small: tuple[Path, Manifest]) -> None:
    out, m = small
    projects = out / ".claude" / "projects"
    files = [p for p in projects.rglob("*") if p.is_file()]
    jsonl = [p for p in files if p.suffix == ".jsonl"]
    assert 40 <= len(jsonl) <= 150
    assert not any(p.is_relative_to(out / ".claude") for p in [out / "manifest.json"])
    # (c) nested subagents with sidecars that point at the parent's Task tool_use
    metas = [p for p in files if p.name.endswith(".meta.json")]
    assert metas
    for meta in metas:
        d = json.loads(meta.read_text())
        assert d["agentType"] and d["toolUseId"].startswith("toolu_")
        assert meta.parent.name == "subagents"
        # the spawning Task call is in the session's file (or in a resumed continuation of it,
        # which keeps the session id but has another file name)
        project_dir = meta.parent.parent.parent
        assert any(
            d["toolUseId"] in p.read_text("utf-8", "replace") for p in project_dir.glob("*.jsonl")
        )
    assert any(p.name.startswith("agent-acompact-") for p in jsonl)
    # (b) flat agent files carry the parent's session id
    flat = [p for p in jsonl if p.name.startswith("agent-") and p.parent.name != "subagents"]
    assert flat
    first = json.loads(_lines(flat[0].read_bytes())[0])
    assert first["isSidechain"] is True and first["agentId"]
    assert (flat[0].parent / f"{first['sessionId']}.jsonl").exists()
    # (a) embedded sidechains: 1.0.x main files with isSidechain lines and no agentId
    embedded = 0
    for p in jsonl:
        if p.parent.name.startswith("-") and not p.name.startswith("agent-"):
            for raw in _lines(p.read_bytes()):
                if b'"isSidechain":true' in raw and b'"version":"1.0.' in raw:
                    assert b'"agentId"' not in raw
                    embedded += 1
    assert embedded
    for feature in (
        "layout_embedded",
        "layout_flat",
        "layout_nested",
        "resume",
        "btw_replay",
        "synthetic",
        "fast",
        "long_context",
        "no_request_id",
        "no_cache_breakdown",
        "acompact",
        "compaction",
        "idle_rebuild",
        "cache_1h",
        "repeated_read",
        "identical_copies",
        "summary_only_file",
        "empty_file",
    ):
        assert m.features.get(feature, 0) > 0, feature
    for t in (
        "progress:agent_progress",
        "progress:hook_progress",
        "file-history-snapshot",
        "queue-operation",
        "system:compact_boundary",
        "summary",
        "assistant(synthetic)",
    ):
        assert m.lines_by_type.get(t, 0) > 0, t


def test_broken_lines_and_compact_json(small: tuple[Path, Manifest]) -> None:
    out, m = small
    assert set(m.broken_by_kind) == {
        "malformed",
        "empty_line",
        "crlf",
        "lone_surrogate",
        "invalid_utf8",
        "truncated_last_line",
    }
    broken = {(rel, n): kind for rel, n, kind in m.broken_lines}
    seen = collections.Counter()
    counted_assistant = 0
    for f in sorted((out / ".claude").rglob("*.jsonl")):
        rel = f.relative_to(out).as_posix()
        data = f.read_bytes()
        for i, raw in enumerate(_lines(data), 1):
            kind = broken.get((rel, i))
            if kind is None:
                text = raw.decode("utf-8")
                assert json.dumps(json.loads(text), **_COMPACT) == text, (rel, i)
                continue
            seen[kind] += 1
            if kind == "truncated_last_line":
                assert not data.endswith(b"\n") and i == len(_lines(data))
            elif kind == "empty_line":
                assert raw == b""
            elif kind == "malformed":
                with pytest.raises(ValueError):
                    json.loads(raw.decode("utf-8", "replace"))
            elif kind == "crlf":
                assert raw.endswith(b"\r")
                json.loads(raw)
            elif kind == "invalid_utf8":
                with pytest.raises(UnicodeDecodeError):
                    raw.decode("utf-8")
                json.loads(raw.decode("utf-8", "replace"))
            elif kind == "lone_surrogate":
                assert b"\\ud800" in raw
                json.loads(raw)
            if kind in ("crlf", "invalid_utf8", "lone_surrogate") and b'"type":"assistant"' in raw:
                counted_assistant += 1
    assert dict(seen) == m.broken_by_kind
    assert counted_assistant > 0  # some broken-but-readable lines carry usage that counts


def test_demo_profile_is_small_and_clean(tmp_path: Path) -> None:
    m = generate(tmp_path, profile="demo", seed=0)
    assert m.broken_by_kind == {"truncated_last_line": 1}
    assert m.files["bytes"] <= 3_000_000
    names = {p.name for p in (tmp_path / ".claude" / "projects").iterdir()}
    assert "-home-dev-src-atlas-api" in names and len(names) <= 6
    assert min(m.day_totals()) >= "2026-10-31" and max(m.day_totals()) <= "2026-11-20"
