"""What is known about every file read, by file id, with the totals a read reports kept
current as entries change.

A live refresh changes a few files of many thousands: counting the files per source, their
bytes and their skipped lines again over every state would make each refresh cost in proportion
to the history. :class:`FileStates` adjusts its totals by the entries set and removed instead;
an operation it does not track (``clear``, ``setdefault``, …) only makes it count again once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tokentree.data.read.scan import FileState


@dataclass(slots=True)
class StateTotals:
    """Totals over file states: files per source, bytes, skipped lines (of files read without
    error), files with skipped lines and files with a partial last line."""

    by_source: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    skipped: int = 0
    with_skipped: int = 0
    truncated: int = 0

    def add(self, state: FileState, sign: int = 1) -> None:
        count = self.by_source.get(state.source, 0) + sign
        if count:
            self.by_source[state.source] = count
        else:
            self.by_source.pop(state.source, None)
        self.files += sign
        self.bytes += sign * state.size
        if not state.error:
            self.skipped += sign * state.skipped
            self.with_skipped += sign * (state.skipped > 0)
            self.truncated += sign * state.truncated_tail

    def copy(self) -> StateTotals:
        return StateTotals(dict(self.by_source), *self._counts())

    def _counts(self) -> tuple[int, ...]:
        return (self.files, self.bytes, self.skipped, self.with_skipped, self.truncated)

    @classmethod
    def of(cls, states: Iterable[FileState]) -> StateTotals:
        totals = cls()
        for state in states:
            totals.add(state)
        return totals


class FileStates(dict[int, "FileState"]):
    """File states by id (a ``dict``) whose :meth:`totals` follow the entries set and
    removed."""

    __slots__ = ("_totals",)

    def __init__(self, states: Mapping[int, FileState] | None = None) -> None:
        super().__init__(states or {})
        given = states._totals if isinstance(states, FileStates) else None
        self._totals: StateTotals | None = given.copy() if given is not None else None

    def totals(self) -> StateTotals:
        """The totals over every state (counted once, then kept current)."""
        if self._totals is None:
            self._totals = StateTotals.of(self.values())
        return self._totals

    def __setitem__(self, file_id: int, state: FileState) -> None:
        if self._totals is not None:
            old = self.get(file_id)
            if old is not None:
                self._totals.add(old, -1)
            self._totals.add(state)
        super().__setitem__(file_id, state)

    def __delitem__(self, file_id: int) -> None:
        if self._totals is not None:
            self._totals.add(self[file_id], -1)
        super().__delitem__(file_id)

    def pop(self, file_id: int, *default: Any) -> Any:
        if file_id in self:
            state = super().pop(file_id)
            if self._totals is not None:
                self._totals.add(state, -1)
            return state
        return super().pop(file_id, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for file_id, state in dict(*args, **kwargs).items():
            self[file_id] = state

    def _untracked(self) -> None:
        self._totals = None

    def clear(self) -> None:
        self._untracked()
        super().clear()

    def popitem(self) -> tuple[int, FileState]:
        self._untracked()
        return super().popitem()

    def setdefault(self, file_id: int, default: Any = None) -> Any:
        self._untracked()
        return super().setdefault(file_id, default)

    def __ior__(self, other: Any) -> FileStates:
        self.update(other)
        return self
