"""Two real transactions at once, for the concurrency tests of every module (PostgreSQL only).

Each call runs in its own thread, hence its own database connection. `concurrent` marks a test that needs them:
PostgreSQL, committed data, the demo province loaded again afterwards.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db import connection, connections

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real concurrent transactions (PostgreSQL)"
)
F = TypeVar("F", bound=Callable[..., Any])


def concurrent(test: F) -> F:
    """Two real transactions: PostgreSQL only, committed data (the demo province is loaded again)."""
    marks = [
        pytest.mark.postgres,
        pytest.mark.django_db(transaction=True),
        pytest.mark.usefixtures("seeded_province"),
        on_postgres,
    ]
    for mark in marks:
        test = mark(test)
    return test


@dataclasses.dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_in_threads(*calls: Callable[[], Any], timeout: float = 30) -> list[Outcome]:
    """Run each call in its own thread (its own database connection); return what each returned or raised."""
    outcomes = [Outcome() for _ in calls]

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            outcomes[index].value = call()
        except BaseException as exc:  # reported to the test thread, which asserts on it
            outcomes[index].error = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a transaction never finished (deadlock?)"
    return outcomes


def wait_until_someone_waits_for_a_lock(timeout: float = 10) -> None:
    """Poll PostgreSQL until a backend of this test database is blocked on a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            (waiting,) = cursor.fetchone()
        if waiting:
            return
        time.sleep(0.02)
    pytest.fail("the second transaction never waited for the first one's lock")
