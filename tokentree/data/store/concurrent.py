"""Independent DuckDB work side by side: each group of statements on its own cursor, in its own
thread (the first in the caller's).

Statements over ~150k rows mostly keep one core busy (DuckDB parallelises per row group), so two
independent ones overlap well on a two-core machine; DuckDB releases the GIL while it executes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.store.store import UsageStore

T = TypeVar("T")

Task = Callable[["duckdb.DuckDBPyConnection"], T]


def in_parallel(store: UsageStore, tasks: Sequence[Task[T]]) -> list[T]:
    """Run each task with a cursor of its own, concurrently; their results in order. The first
    error is raised once all have finished."""
    cursors = [store.cursor() for _ in tasks]  # created here: cursor() is not thread-safe
    results: list[Any] = [None] * len(tasks)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = tasks[index](cursors[index])
        except BaseException as error:  # re-raised by the caller
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=(index,), name=f"tokentree-sql-{index}")
        for index in range(1, len(tasks))
    ]
    for thread in threads:
        thread.start()
    if tasks:
        run(0)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def statements_task(statements: Sequence[str]) -> Task[None]:
    """A task that executes ``statements`` in order."""

    def task(cursor: duckdb.DuckDBPyConnection) -> None:
        for statement in statements:
            cursor.execute(statement)

    return task


def query_task(query: str, params: Any = None) -> Task[list[tuple[Any, ...]]]:
    """A task that returns the rows of ``query``."""

    def task(cursor: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
        return cursor.execute(query, params).fetchall()

    return task


def run_queue(cursors: Sequence[duckdb.DuckDBPyConnection], jobs: Sequence[Task[T]]) -> list[T]:
    """Run ``jobs`` on a pool of workers, one per cursor (the first in the caller's thread),
    each taking the next job when it is free; their results in order. The first error is raised
    once all have stopped (a worker stops taking jobs after an error)."""
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []
    pending = iter(range(len(jobs)))
    lock = threading.Lock()

    def work(cursor: duckdb.DuckDBPyConnection) -> None:
        while not errors:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            try:
                results[index] = jobs[index](cursor)
            except BaseException as error:  # re-raised by the caller
                errors.append(error)

    threads = [
        threading.Thread(target=work, args=(cursor,), name=f"tokentree-scan-{n}")
        for n, cursor in enumerate(cursors[1 : len(jobs)], start=1)
    ]
    for thread in threads:
        thread.start()
    if cursors:
        work(cursors[0])
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
