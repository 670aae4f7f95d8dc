"""A built stage nobody asks for remembers the calls changed since, up to a bound: past it, the
stage is built in full when next needed (its memory does not grow with an hour of appends)."""

from __future__ import annotations

import pytest

from tokentree.data.store import delta
from tokentree.data.store.derived import Stage


def test_a_stage_forgets_its_pending_calls_past_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delta, "DELTA_KEYS", 3)
    stage = Stage("insights", key="built")
    stage.note(delta.Scope({1, 2}, {"s"}, appended=True))
    assert stage.pending == delta.Scope({1, 2}, {"s"}, appended=True)
    stage.note(delta.Scope({3}, {"s"}, appended=False))
    assert stage.pending is not None and not stage.pending.appended  # appended only if all were
    stage.note(delta.Scope({4}, {"t"}, appended=True))
    assert stage.key is None and stage.pending is None  # built in full when next needed
    stage.note(delta.Scope({5}, {"t"}))
    assert stage.pending is None  # not built: nothing to remember


def test_an_adopted_stage_keeps_its_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delta, "DELTA_KEYS", 1)
    stage = Stage("activity", key="built", adopted=True)
    stage.note(delta.Scope({1, 2}, {"s"}))
    assert stage.key == "built" and stage.pending == delta.Scope({1, 2}, {"s"})
