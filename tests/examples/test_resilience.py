"""Resilience samples (examples/resilience/patterns.py): each test proves what the Resilience
Under Load page says about thundering herds, graceful degradation and backpressure."""

from __future__ import annotations

import asyncio
import gc

import httpx
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


def test_one_waiter_giving_up_leaves_the_others_their_answer():
    async def slow() -> str:
        await asyncio.sleep(0.02)
        return "ok"

    async def scenario():
        flight = SingleFlight()
        quitter = asyncio.ensure_future(flight.do("k", slow))
        stayer = asyncio.ensure_future(flight.do("k", slow))
        await asyncio.sleep(0)
        quitter.cancel()
        return await asyncio.gather(quitter, stayer, return_exceptions=True)

    quitter, stayer = asyncio.run(scenario())
    assert isinstance(quitter, asyncio.CancelledError) and stayer == "ok"


def test_a_failure_nobody_waits_for_any_more_is_not_reported_as_never_retrieved():
    unhandled = []

    async def failing() -> None:
        await asyncio.sleep(0.01)
        raise ConnectionError("database gone")

    async def scenario():
        asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: unhandled.append(ctx))
        waiter = asyncio.ensure_future(SingleFlight().do("k", failing))
        await asyncio.sleep(0)
        waiter.cancel()  # the only waiter gives up; the shared task fails later
        await asyncio.sleep(0.05)
        gc.collect()

    asyncio.run(scenario())
    assert unhandled == []


# --8<-- [start:fallback_test]
async def recommendations(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/recommendations/7")
    response.raise_for_status()
    return response.json()["titles"]


def answering(behaviour: str):
    async def handler(_request: httpx.Request) -> httpx.Response:
        if behaviour == "slow":
            await asyncio.sleep(1)
        if behaviour == "bad json":
            return httpx.Response(200, text="<html>maintenance</html>")
        if behaviour == "500":
            return httpx.Response(500)
        return httpx.Response(200, json={"titles": ["Ronggeng Dukuh Paruk"]})
    return httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://reco")


@pytest.mark.parametrize("behaviour, expected", [
    ("fine", (["Ronggeng Dukuh Paruk"], False)),
    ("slow", ([], True)),
    ("bad json", ([], True)),  # a ValueError
    ("500", ([], True)),       # httpx.HTTPStatusError
])
def test_the_page_keeps_working_without_recommendations(behaviour, expected):
    async def scenario():
        async with answering(behaviour) as client:
            return await with_fallback(lambda: recommendations(client), [], timeout=0.05)

    assert asyncio.run(scenario()) == expected
# --8<-- [end:fallback_test]


# --8<-- [start:fallback_down_test]
def test_a_dead_recommender_is_a_real_connect_error_and_still_gives_the_page(free_port):
    async def scenario():  # nothing listens on free_port: httpx raises httpx.ConnectError
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port}") as client:
            return await with_fallback(lambda: recommendations(client), [], timeout=2)

    assert asyncio.run(scenario()) == ([], True)
# --8<-- [end:fallback_down_test]


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


@pytest.mark.parametrize("body", [b"[]", b"{bad", b"x", b'{"month": 13}',
                                  b'{"month": 1, "payload": "..."}'])
def test_a_bad_job_is_a_422_problem_and_is_not_queued(body):
    intake = JobIntake(capacity=2)
    refused = TestClient(create_app(intake)).post(
        "/reports", content=body, headers={"content-type": "application/json"})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 422 and intake.queue.qsize() == 0
# --8<-- [end:backpressure_test]


def test_cancelling_the_caller_still_cancels_the_optional_fetch():
    async def scenario():
        call = asyncio.ensure_future(with_fallback(lambda: asyncio.sleep(10), None, timeout=5))
        await asyncio.sleep(0)
        call.cancel()
        return await asyncio.gather(call, return_exceptions=True)

    assert isinstance(asyncio.run(scenario())[0], asyncio.CancelledError)
