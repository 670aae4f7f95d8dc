"""The store opened in the background: the first caller waits for it and gets its error."""

from __future__ import annotations

import pytest

from tokentree.data.engine import duckdb
from tokentree.data.pricing.prices import PriceTable
from tokentree.data.store.opening import OpeningStore


def test_the_opened_store_is_set_up_and_the_same_each_time() -> None:
    opening = OpeningStore(
        threads=1, temp_directory=None, device="laptop", prices=PriceTable.bundled()
    )
    store = opening.store()
    assert opening.store() is store
    assert store.scalar("SELECT local_device()") == "laptop"
    assert store.scalar("SELECT count(*) FROM raw_calls") == 0


def test_a_failed_opening_raises_for_its_caller() -> None:
    opening = OpeningStore(threads=-1, temp_directory=None, device="x", prices=PriceTable.bundled())
    with pytest.raises(duckdb.Error, match="thread"):
        opening.store()
    with pytest.raises(duckdb.Error):  # and again for the next one
        opening.store()
