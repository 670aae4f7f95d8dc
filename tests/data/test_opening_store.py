"""The store opened in the background: the first caller waits for it and gets its error."""

from __future__ import annotations

import threading

import pytest

from tokentree.data.engine import duckdb
from tokentree.data.pricing.prices import PriceTable
from tokentree.data.store.background import Background
from tokentree.data.store.opening import open_store


def test_the_opened_store_is_set_up_and_the_same_each_time() -> None:
    opening = Background(
        lambda: open_store(
            threads=1, temp_directory=None, device="laptop", prices=PriceTable.bundled()
        ),
        "test-open",
    )
    store = opening.result()
    assert opening.result() is store
    assert store.scalar("SELECT local_device()") == "laptop"
    assert store.scalar("SELECT count(*) FROM raw_calls") == 0


def test_a_failed_opening_raises_for_each_caller() -> None:
    opening = Background(
        lambda: open_store(
            threads=-1, temp_directory=None, device="x", prices=PriceTable.bundled()
        ),
        "test-open",
    )
    with pytest.raises(duckdb.Error, match="thread"):
        opening.result()
    with pytest.raises(duckdb.Error):
        opening.result()


def test_the_caller_waits_for_the_value() -> None:
    release = threading.Event()

    def slow() -> int:
        release.wait(5)
        return 42

    pending = Background(slow, "test-wait")
    threading.Timer(0.05, release.set).start()
    assert pending.result() == 42
