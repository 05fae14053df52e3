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
def test_blocking_call_makes_requests_wait_for_each_other():
    # 5 requests that each wait 0.1 s: one after another that is at least 0.5 s.
    seconds = asyncio.run(serve_concurrently(handle_blocking, requests=5, delay=0.1))
    assert seconds >= 0.5


def test_awaiting_lets_requests_overlap():
    # The same 5 waits overlap: about 0.1 s in total (generous bound for slow CI).
    seconds = asyncio.run(serve_concurrently(handle_non_blocking, requests=5, delay=0.1))
    assert seconds < 0.35


def test_blocking_library_in_a_thread_overlaps_too():
    seconds = asyncio.run(serve_concurrently(handle_blocking_library, requests=5, delay=0.1))
    assert seconds < 0.35


# --8<-- [end:event_loop_test]
