"""A blocking call inside `async def` serializes every request on the loop; awaiting
(or moving the blocking call to a thread) lets them overlap. The tests look at the order in
which the requests start and end, which does not depend on how fast the machine is."""

from __future__ import annotations

import asyncio
import re
import threading
from types import SimpleNamespace

from languages import event_loop
from languages.event_loop import (
    handle_blocking,
    handle_blocking_library,
    handle_non_blocking,
    serve_concurrently,
)


# --8<-- [start:event_loop_test]
def starts_and_ends(handler, requests=5, delay=0.05) -> list[str]:
    """Serve `requests` at once and note when each one starts and ends."""
    events = []

    async def traced(seconds: float) -> str:
        events.append("start")
        result = await handler(seconds)
        events.append("end")
        return result

    asyncio.run(serve_concurrently(traced, requests, delay))
    return events


def test_blocking_call_makes_requests_wait_for_each_other():
    # Each request ends before the next one starts: the loop never got to switch.
    assert starts_and_ends(handle_blocking) == ["start", "end"] * 5
    # So five waits of 0.1 s take at least 0.5 s (time.sleep never returns early).
    assert asyncio.run(serve_concurrently(handle_blocking, requests=5, delay=0.1)) >= 0.5


def test_awaiting_lets_requests_overlap():
    # All five start before the first one ends: none of them holds up the loop.
    assert starts_and_ends(handle_non_blocking) == ["start"] * 5 + ["end"] * 5


def test_blocking_library_in_a_thread_overlaps_too(monkeypatch):
    assert starts_and_ends(handle_blocking_library) == ["start"] * 5 + ["end"] * 5
    # The order alone would also come from one worker thread running the five blocking calls
    # one after another. Each call now waits at a barrier until all five have reached it, so
    # the test passes only if the five run at the same time. (The timeout only stops a broken
    # version from hanging the run: a barrier that times out fails the test.)
    barrier = threading.Barrier(5, timeout=60)
    monkeypatch.setattr(event_loop, "time", SimpleNamespace(sleep=lambda _: barrier.wait()))

    async def five_at_once() -> list[str]:
        return await asyncio.gather(*(handle_blocking_library(0) for _ in range(5)))

    assert asyncio.run(five_at_once()) == ["done"] * 5


# --8<-- [end:event_loop_test]


def test_the_recorded_run_shows_the_three_handlers_in_order():
    """languages/output/event_loop.txt is what `python -m languages.event_loop` printed."""
    recorded = (event_loop.OUTPUT).read_text(encoding="utf-8").splitlines()
    assert recorded[0] == "$ python -m languages.event_loop"
    pattern = re.compile(r"(.+?) +5 requests of 0\.2 s took (\d+\.\d\d) s")
    rows = [pattern.fullmatch(line).groups() for line in recorded[1:]]
    assert [name for name, _ in rows] == [name for name, _ in event_loop.HANDLERS]
    # Figures read from the recorded file, not from a clock: the page quotes this run.
    (_, blocking), *others = [(name, float(recorded)) for name, recorded in rows]
    assert blocking >= 1.0
    assert all(float(recorded) < blocking / 2 for _, recorded in others)
