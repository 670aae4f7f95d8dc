"""The info panel's queries against a real DuckDB store built from real transcript files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokentree.data.pricing.prices import PriceTable
from tokentree.data.tree.info import node_info, path_params
from tokentree.data.tree.nodes import node_from_row
from tokentree.data.workspace import Options, Workspace
from tokentree.model.tree import Kind


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The embedded demo transcripts, loaded without any cache."""
    workspace = Workspace(Options(demo=True, sources=("claude",), use_cache=False, tz="UTC"))
    workspace.refresh()
    workspace.store.build(workspace.view)
    yield workspace
    workspace.close()


def first_path(workspace: Workspace, depth: int) -> tuple[str, ...]:
    """The id path of the first node ``depth`` levels down (1 = a week … 5 = a call)."""
    names = ("week", "day", "session", "turn", "call")
    path: list[str] = []
    filters: dict = {}
    for kind in (Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN, Kind.CALL)[:depth]:
        node = node_from_row(
            kind, workspace.store.level_rows(kind.value, **filters)[0], workspace.zone
        )
        path.append(node.id)
        filters = path_params(tuple(path))
        filters = {k: v for k, v in filters.items() if k in names[: len(path)]}
    return tuple(path)


def level_node(workspace: Workspace, path: tuple[str, ...]):
    kind = (Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN, Kind.CALL)[len(path) - 1]
    params = {k: v for k, v in path_params(path).items() if v is not None and k != "call"}
    rows = [
        node_from_row(kind, r, workspace.zone)
        for r in workspace.store.level_rows(kind.value, **params)
    ]
    return next(node for node in rows if node.id == path[-1])


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5])
def test_model_breakdown_adds_up_to_the_node(demo: Workspace, depth: int) -> None:
    path = first_path(demo, depth)
    info = node_info(demo.store, PriceTable.bundled(), path)
    node = level_node(demo, path)
    totals = info.totals
    assert (totals.input, totals.output, totals.cache_read, totals.cache_write) == (
        node.totals.input,
        node.totals.output,
        node.totals.cache_read,
        node.totals.cache_write,
    )
    assert totals.cost_pusd == node.totals.cost_pusd
    assert totals.calls == node.totals.calls == info.provenance.calls
    assert {usage.model for usage in info.models} == set(info.prices)
    assert all(price is not None for price in info.prices.values())


def test_root_info_covers_everything(demo: Workspace) -> None:
    info = node_info(demo.store, PriceTable.bundled(), ())
    assert info.totals.calls == demo.store.scalar("SELECT count(*) FROM calls")
    assert len(info.models) >= 2
    assert [u.cost_pusd for u in info.models] == sorted(
        (u.cost_pusd for u in info.models), reverse=True
    )
    assert info.rule == "request"


def test_cache_savings_match_python_pricing(demo: Workspace) -> None:
    path = first_path(demo, 5)
    node = level_node(demo, path)
    prices = PriceTable.bundled()
    info = node_info(demo.store, prices, path)
    [usage] = info.models
    extra = node.extra
    actual = prices.call_cost_pusd(
        usage.model,
        input=usage.input,
        output=usage.output,
        cache_read=usage.cache_read,
        cache_write_5m=extra["cache_write_5m"],
        cache_write_1h=extra["cache_write_1h"],
        speed=extra["speed"],
    )
    uncached = prices.call_cost_pusd(
        usage.model,
        input=usage.input + usage.cache_read,
        output=usage.output,
        cache_read=0,
        cache_write_5m=extra["cache_write_5m"],
        cache_write_1h=extra["cache_write_1h"],
        speed=extra["speed"],
    )
    assert usage.cost_pusd == actual
    assert info.cache_savings_pusd == uncached - actual
    assert (usage.cache_read == 0) or info.cache_savings_pusd > 0


def test_source_files_and_dedup_provenance(demo: Workspace) -> None:
    info = node_info(demo.store, PriceTable.bundled(), ())
    prov = info.provenance
    assert (
        prov.files
        == len(info.files)
        == demo.store.scalar(
            "SELECT count(DISTINCT f) FROM (SELECT unnest(file_ids) AS f FROM calls)"
        )
    )
    # Every line merged into a call is attributed to exactly one file.
    assert sum(f.lines for f in info.files) == prov.lines
    assert prov.lines > prov.calls  # streaming snapshots were merged
    assert 0 < prov.merged_calls <= prov.calls
    assert prov.multi_file_calls > 0  # the demo has resumed sessions
    assert all(Path(f.path).name.endswith(".jsonl") for f in info.files)
    assert [f.lines for f in info.files] == sorted((f.lines for f in info.files), reverse=True)


def test_unpriced_model_is_reported(tmp_path: Path) -> None:
    project = tmp_path / "projects" / "p"
    project.mkdir(parents=True)
    line = (
        '{"type":"assistant","sessionId":"s1","uuid":"u1","timestamp":"2026-11-20T10:00:00Z",'
        '"cwd":"/x/p","message":{"id":"m1","model":"mystery-model-9","role":"assistant",'
        '"content":[],"usage":{"input_tokens":10,"output_tokens":5,'
        '"cache_read_input_tokens":100,"cache_creation_input_tokens":0}},"requestId":"r1"}\n'
    )
    (project / "s1.jsonl").write_text(line * 2)
    workspace = Workspace(Options(roots=[tmp_path], use_cache=False, tz="UTC"))
    try:
        workspace.refresh()
        workspace.store.build(workspace.view)
        info = node_info(workspace.store, PriceTable.bundled(), ())
    finally:
        workspace.close()
    [usage] = info.models
    assert usage.model == "mystery-model-9"
    assert usage.unpriced_calls == usage.calls == 1
    assert info.prices == {"mystery-model-9": None}
    assert info.cache_savings_pusd == 0
    assert info.provenance.lines == 2 and info.provenance.merged_calls == 1


def test_too_deep_a_path_is_refused(demo: Workspace) -> None:
    with pytest.raises(ValueError, match="too deep"):
        node_info(demo.store, PriceTable.bundled(), ("a", "b", "c", "d", "e", "f"))


def test_info_over_a_warm_cache(tmp_path: Path) -> None:
    """With nothing changed the store serves the cached tables as views; info still works."""
    results = []
    for _ in range(2):
        workspace = Workspace(Options(demo=True, sources=("claude",), tz="UTC"))
        try:
            workspace.refresh()
            workspace.store.build(workspace.view)
            info = node_info(workspace.store, PriceTable.bundled(), ())
            results.append((info.totals, [(f.path, f.lines) for f in info.files], info.provenance))
        finally:
            workspace.close()
    assert results[0] == results[1]
    assert sum(lines for _, lines in results[1][1]) == results[1][2].lines
