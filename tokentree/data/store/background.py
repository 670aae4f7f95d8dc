"""A value computed on a thread of its own while the caller goes on.

Used where DuckDB work releases the GIL beside Python work that needs it little: opening the
store while the first walk stats the files, writing the raw tables of a cache save while an
export builds its answer. The first caller of :meth:`Background.result` waits for the value
and gets the computation's error if it failed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    def __init__(self, compute: Callable[[], T], name: str) -> None:
        self._compute = compute
        self._value: T | None = None
        self._error: BaseException | None = None
        self._done = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._compute()
        except BaseException as error:  # handed to the caller of result()
            self._error = error
        finally:
            self._done = True

    def result(self) -> T:
        """The value (waits for it; raises what made it fail, each time it is asked)."""
        if not self._done:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
