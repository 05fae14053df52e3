"""Resilience samples (examples/resilience/patterns.py): each test proves what the Resilience
Under Load page says about thundering herds, graceful degradation and backpressure."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient
from resilience.patterns import JobIntake, SingleFlight, create_app, with_fallback


# --8<-- [start:single_flight_test]
def test_a_hundred_concurrent_misses_run_the_query_once():
    calls = 0

    async def slow_query() -> list[str]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return ["Laskar Pelangi", "Bumi Manusia"]

    async def scenario():
        flight = SingleFlight()
        answers = await asyncio.gather(*(flight.do("bestsellers", slow_query)
                                         for _ in range(100)))
        again = await flight.do("bestsellers", slow_query)  # finished: a new call runs again
        return answers, again

    answers, again = asyncio.run(scenario())
    assert calls == 2 and all(a == answers[0] for a in answers) and again == answers[0]


def test_an_error_reaches_every_waiter_and_is_not_cached():
    async def failing() -> None:
        await asyncio.sleep(0.01)
        raise ConnectionError("database gone")

    async def scenario():
        flight = SingleFlight()
        results = await asyncio.gather(*(flight.do("k", failing) for _ in range(3)),
                                       return_exceptions=True)
        return results, await flight.do("k", lambda: asyncio.sleep(0, result="ok"))

    results, after = asyncio.run(scenario())
    assert all(isinstance(r, ConnectionError) for r in results) and after == "ok"
# --8<-- [end:single_flight_test]


# --8<-- [start:fallback_test]
@pytest.mark.parametrize("behaviour, expected", [
    ("fine", (["Ronggeng Dukuh Paruk"], False)),
    ("slow", ([], True)),
    ("down", ([], True)),
])
def test_the_page_keeps_working_without_recommendations(behaviour, expected):
    async def recommendations() -> list[str]:
        if behaviour == "slow":
            await asyncio.sleep(1)
        if behaviour == "down":
            raise ConnectionRefusedError("recommender down")
        return ["Ronggeng Dukuh Paruk"]

    assert asyncio.run(with_fallback(recommendations, [], timeout=0.05)) == expected
# --8<-- [end:fallback_test]


# --8<-- [start:backpressure_test]
def test_a_full_queue_answers_503_with_retry_after_and_accepts_again_once_drained():
    intake = JobIntake(capacity=2, retry_after=5)
    client = TestClient(create_app(intake))
    assert [client.post("/reports", json={"month": m}).status_code for m in (1, 2)] == [202, 202]
    refused = client.post("/reports", json={"month": 3})
    assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
    assert refused.headers["content-type"] == "application/problem+json"
    intake.queue.get_nowait()  # a worker takes one job
    assert client.post("/reports", json={"month": 3}).status_code == 202
# --8<-- [end:backpressure_test]
