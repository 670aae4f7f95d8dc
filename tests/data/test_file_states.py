"""FileStates keeps its totals equal to a count over every state, whatever changes it."""

from __future__ import annotations

import random

from tokentree.data.read.file_states import FileStates, StateTotals
from tokentree.data.read.scan import FileState


def _state(rng: random.Random, file_id: int) -> FileState:
    return FileState(
        file_id,
        f"/logs/{file_id}.jsonl",
        rng.choice(["claude", "codex", "gemini"]),
        "jsonl",
        rng.randrange(10_000),
        0,
        skipped=rng.choice([0, 0, 3]),
        truncated_tail=rng.random() < 0.2,
        error=rng.choice([None, None, "unreadable"]),
    )


def test_totals_follow_every_change() -> None:
    rng = random.Random(7)
    states = FileStates({i: _state(rng, i) for i in range(50)})
    assert states.totals() == StateTotals.of(states.values())
    for step in range(400):
        fid = rng.randrange(80)
        action = rng.randrange(6)
        if action == 0:
            states.pop(fid, None)
        elif action == 1 and fid in states:
            del states[fid]
        elif action == 2:
            states.update({fid: _state(rng, fid), fid + 100: _state(rng, fid + 100)})
        elif action == 3:
            states.setdefault(fid, _state(rng, fid))
        elif action == 4:
            states = FileStates(states)  # a copy carries the totals on
        else:
            states[fid] = _state(rng, fid)
        assert states.totals() == StateTotals.of(states.values()), step


def test_a_copy_leaves_the_original_alone() -> None:
    rng = random.Random(3)
    original = FileStates({i: _state(rng, i) for i in range(10)})
    before = original.totals().copy()
    copy = FileStates(original)
    copy.pop(0)
    copy[99] = _state(rng, 99)
    assert original.totals() == before == StateTotals.of(original.values())
