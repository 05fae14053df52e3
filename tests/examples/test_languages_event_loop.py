"""A blocking call inside `async def` serializes every request on the loop; awaiting
(or moving the blocking call to a thread) lets them overlap."""

import asyncio

from languages.event_loop import (
    handle_blocking,
    handle_blocking_library,
    handle_non_blocking,
    serve_concurrently,
)


# --8<-- [start:event_loop_test]
async def most_waiting_at_once(handler, requests: int, delay: float) -> int:
    """How many requests were waiting at the same moment. Unlike a stopwatch, this count
    does not depend on how busy the machine is."""
    waiting = most = 0

    async def counted(delay: float) -> str:
        nonlocal waiting, most
        waiting += 1
        most = max(most, waiting)
        try:
            return await handler(delay)
        finally:
            waiting -= 1

    await serve_concurrently(counted, requests, delay)
    return most


def test_blocking_call_makes_requests_wait_for_each_other():
    # 5 requests that each wait 0.1 s: one after another that is at least 0.5 s.
    seconds = asyncio.run(serve_concurrently(handle_blocking, requests=5, delay=0.1))
    assert seconds >= 0.5
    assert asyncio.run(most_waiting_at_once(handle_blocking, requests=5, delay=0.1)) == 1


def test_awaiting_lets_requests_overlap():
    # The same 5 waits overlap: all five requests wait at the same moment.
    assert asyncio.run(most_waiting_at_once(handle_non_blocking, requests=5, delay=0.1)) == 5


def test_blocking_library_in_a_thread_overlaps_too():
    assert asyncio.run(most_waiting_at_once(handle_blocking_library, requests=5, delay=0.1)) == 5


# --8<-- [end:event_loop_test]
