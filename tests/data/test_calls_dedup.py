"""The engine's deduplication of raw rows into calls (sql/calls.sql), on rows a source hands it."""

from __future__ import annotations

from tokentree.data.store.store import UsageStore


def _winner(rows: list[dict]) -> list[tuple]:
    store = UsageStore()
    try:
        cursor = store.cursor()
        for row in rows:
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            cursor.execute(f"INSERT INTO raw_calls ({names}) VALUES ({marks})", list(row.values()))
        store.build_calls()
        return cursor.execute(
            "SELECT call_id, request_id, output, merged_lines, len(file_ids) FROM calls"
        ).fetchall()
    finally:
        store.close()


ROW = {
    "source": "claude",
    "call_id": "msg_1",
    "dedup_key": "msg_1|*",
    "session_id": "s1",
    "is_sidechain": True,
    "ts": "2026-11-20 10:00:00+00",
    "model": "claude-haiku-4-5-20251001",
    "output": 250,
}


def test_on_equal_output_the_record_wins_over_a_copy_of_it() -> None:
    own = {**ROW, "file_id": 1, "request_id": "req_1"}
    copy = {**ROW, "file_id": 2, "request_id": None, "is_copy": True}
    for order in ([own, copy], [copy, own]):
        assert _winner(order) == [("msg_1", "req_1", 250, 2, 2)]


def test_a_copy_with_more_output_still_wins() -> None:
    own = {**ROW, "file_id": 1, "request_id": "req_1", "output": 3}
    copy = {**ROW, "file_id": 2, "request_id": None, "is_copy": True}
    assert _winner([own, copy]) == [("msg_1", None, 250, 2, 2)]
