"""Opening the store in the background, while the first walk stats the files.

Creating a DuckDB database (≈ 30 ms) and its tables and macros releases the GIL; a warm start's
walk (≈ 60 ms of ``stat`` calls on a 1 GB history) does too between its calls. Run side by
side they cost the longer of the two instead of their sum. The first caller of :meth:`store`
waits for the opening, and gets its error if it failed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from tokentree.data.store.store import UsageStore

if TYPE_CHECKING:
    from tokentree.data.pricing.prices import PriceTable


class OpeningStore:
    """A :class:`UsageStore` being opened on a thread of its own."""

    def __init__(
        self,
        *,
        threads: int,
        temp_directory: Path | None,
        device: str,
        prices: PriceTable,
    ) -> None:
        self._store: UsageStore | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._open,
            args=(threads, temp_directory, device, prices),
            name="tokentree-open-store",
            daemon=True,
        )
        self._thread.start()

    def _open(
        self, threads: int, temp_directory: Path | None, device: str, prices: PriceTable
    ) -> None:
        try:
            store = UsageStore(threads=threads, temp_directory=temp_directory)
            store.set_device(device)
            store.set_prices(prices)
            self._store = store
        except BaseException as error:  # handed to the first caller of store()
            self._error = error

    def store(self) -> UsageStore:
        """The open store (waits for the opening; raises what made it fail)."""
        store = self._store
        if store is not None:
            return store
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._store is not None
        return self._store
