"""Tests of the synthetic Claude Code corpus generator (bench/corpus/) itself."""

from __future__ import annotations

import collections
import hashlib
import json
from pathlib import Path

import pytest

from bench.corpus import Manifest, generate

_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}
SMALL_SEED3_SHA256 = "c9914696cb21dc9fa18a1a466a147e16f97ddb0f80760b3f736c6962c247548b"
"""The tree (paths and bytes, manifest included) of generate(profile="small", seed=3): the corpus
the attribution snapshot (tests/fixtures/attribution_seed3.json.gz) is checked against."""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("small")
    return out, generate(out, profile="small", seed=7)


@pytest.fixture(scope="module")
def quirks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("quirks")
    return out, generate(out, profile="quirks", seed=7)


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


def _usage_records(o: dict) -> list[tuple[str, str | None, bool, dict, dict]]:
    """(message id, request id, sidechain, line-ish record, usage) of the billed requests a
    line records: an assistant line, or the copy of a subagent's line in an agent_progress
    line; plus one record per advisor_message entry of usage.iterations."""
    if o.get("type") == "assistant":
        rec, side = o, bool(o.get("isSidechain"))
    elif o.get("type") == "progress" and (o.get("data") or {}).get("type") == "agent_progress":
        rec, side = o["data"].get("message") or {}, True
        if rec.get("type") != "assistant":
            return []
    else:
        return []
    m = rec.get("message") or {}
    u = m.get("usage")
    if m.get("model") == "<synthetic>" or not u:
        return []
    out = [(m.get("id"), rec.get("requestId"), side, rec | {"model": m["model"]}, u)]
    advisors = [i for i in u.get("iterations") or [] if i.get("type") == "advisor_message"]
    for k, it in enumerate(advisors, 1):
        advisor = rec | {"model": it["model"]}
        out.append((f"{m.get('id')}#advisor{k}", rec.get("requestId"), side, advisor, it))
    return out


def tiny_reader(root: Path) -> dict[str, tuple]:
    """An independent reader that follows the counting rules (docs/counting.md), by message id
    (unique per billed request in a generated tree): main-thread lines by (message id, request
    id); a subagent's lines and their copies by message id; sidechain replays dropped."""
    best: dict[tuple[str, str | None], tuple] = {}
    for f in sorted((root / ".claude").rglob("*.jsonl")):
        for raw in _lines(f.read_bytes().removeprefix(b"\xef\xbb\xbf")):
            try:
                o = json.loads(raw.decode("utf-8", "replace"))
            except ValueError:
                continue
            if not isinstance(o, dict):
                continue
            for mid, rid, side, rec, u in _usage_records(o):
                key = (mid, "*") if side else (mid, rid)
                item = (u["output_tokens"], side, rec["timestamp"], u, rec["model"])
                if key not in best or item[0] >= best[key][0]:
                    best[key] = item
    main = {mid for (mid, _), item in best.items() if not item[1]}
    return {mid: item for (mid, _), item in best.items() if not (item[1] and mid in main)}


def test_deterministic(tmp_path: Path, small: tuple[Path, Manifest]) -> None:
    out, _ = small
    again = tmp_path / "again"
    generate(again, profile="small", seed=7)
    assert _files(again) == _files(out)
    other = tmp_path / "other"
    generate(other, profile="small", seed=8)
    assert _files(other) != _files(out)


@pytest.mark.parametrize("corpus", ["small", "quirks"])
def test_manifest_matches_an_independent_reader(
    corpus: str, small: tuple[Path, Manifest], quirks: tuple[Path, Manifest]
) -> None:
    out, m = small if corpus == "small" else quirks
    got = tiny_reader(out)
    assert len(got) == m.unique_calls
    assert set(got) == {c[0] for c in m.calls}
    for c in m.calls:
        output, sidechain, ts, u, model = got[c[0]]
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


@pytest.mark.parametrize("corpus", ["small", "quirks"])
def test_broken_lines_and_compact_json(
    corpus: str, small: tuple[Path, Manifest], quirks: tuple[Path, Manifest]
) -> None:
    out, m = small if corpus == "small" else quirks
    extra = {"bom", "loose_json"} if corpus == "quirks" else set()
    assert set(m.broken_by_kind) == {
        "malformed",
        "empty_line",
        "crlf",
        "lone_surrogate",
        "invalid_utf8",
        "truncated_last_line",
        *extra,
    }
    broken = {(rel, n): kind for rel, n, kind in m.broken_lines}
    assert len(broken) == len(m.broken_lines)
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
            elif kind == "bom":
                assert i == 1 and raw.startswith(b"\xef\xbb\xbf")
                text = raw[3:].decode("utf-8")
                assert json.dumps(json.loads(text), **_COMPACT) == text
            elif kind == "loose_json":
                text = raw.decode("utf-8")
                assert "\n" not in text and json.dumps(json.loads(text), **_COMPACT) != text
            if kind in ("crlf", "invalid_utf8", "lone_surrogate") and b'"type":"assistant"' in raw:
                counted_assistant += 1
    assert dict(seen) == m.broken_by_kind
    assert counted_assistant > 0  # some broken-but-readable lines carry usage that counts


def test_quirks_profile_adds_the_later_quirks(quirks: tuple[Path, Manifest]) -> None:
    out, m = quirks
    for feature in ("advisor", "progress_only", "progress_no_request_id", "bom", "loose_json"):
        assert m.features.get(feature, 0) >= 2, feature
    assert any("#advisor" in c[0] for c in m.calls)
    projects = out / ".claude" / "projects"
    own = {p.name[len("agent-") : -len(".jsonl")] for p in projects.rglob("agent-*.jsonl")}
    copied: dict[str, bool] = {}  # agent id -> every copy carries requestId
    for f in projects.rglob("*.jsonl"):
        for raw in _lines(f.read_bytes().removeprefix(b"\xef\xbb\xbf")):
            if b'"agent_progress"' not in raw:
                continue
            data = json.loads(raw)["data"]
            rid = "requestId" in data["message"]
            copied[data["agentId"]] = copied.get(data["agentId"], True) and rid
    assert set(copied) - own, "a subagent seen only through its copies"
    assert set(copied) & own, "a subagent with its own transcript and copies"
    assert not all(copied.values()) and any(copied.values())


def test_the_small_profile_is_frozen(tmp_path: Path) -> None:
    """New quirks never change the older profiles: the seed-3 small tree (the attribution
    snapshot's corpus) keeps its bytes."""
    generate(tmp_path, profile="small", seed=3)
    digest = hashlib.sha256()
    for path in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        digest.update(path.relative_to(tmp_path).as_posix().encode())
        digest.update(path.read_bytes())
    assert digest.hexdigest() == SMALL_SEED3_SHA256


def test_demo_profile_is_small_and_clean(tmp_path: Path) -> None:
    m = generate(tmp_path, profile="demo", seed=0)
    assert m.broken_by_kind == {"truncated_last_line": 1}
    assert m.files["bytes"] <= 3_000_000
    names = {p.name for p in (tmp_path / ".claude" / "projects").iterdir()}
    assert "-home-dev-src-atlas-api" in names and len(names) <= 6
    assert min(m.day_totals()) >= "2026-10-31" and max(m.day_totals()) <= "2026-11-20"
