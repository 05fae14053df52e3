"""Why one blocking call in an `async def` handler slows every other request.

An asyncio event loop runs one piece of Python at a time and switches tasks only at an
`await`. `time.sleep` (like any blocking I/O or long computation) never awaits, so the
loop can serve nothing else meanwhile. The same rule holds for Node.js's event loop.

Run from examples/:            python -m languages.event_loop
Refresh the page's recording:  python -m languages.event_loop --record
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "output" / "event_loop.txt"


# --8<-- [start:blocking_handler]
async def handle_blocking(delay: float) -> str:
    # BAD: time.sleep blocks the event loop itself. While this "request" waits
    # (think: a slow database driver or HTTP client without async support),
    # no other request on this loop makes any progress.
    time.sleep(delay)  # noqa: ASYNC251 - the mistake on purpose; ruff flags it
    return "done"


# --8<-- [end:blocking_handler]


# --8<-- [start:non_blocking_handler]
async def handle_non_blocking(delay: float) -> str:
    # GOOD: await hands the loop back while waiting; other requests run meanwhile.
    await asyncio.sleep(delay)
    return "done"


async def handle_blocking_library(delay: float) -> str:
    # GOOD when a library only offers blocking calls: run it in a worker thread.
    await asyncio.to_thread(time.sleep, delay)
    return "done"


# --8<-- [end:non_blocking_handler]


# --8<-- [start:serve_concurrently]
async def serve_concurrently(
    handler: Callable[[float], Awaitable[str]], requests: int, delay: float
) -> float:
    """Start `requests` handlers at once on one event loop; return the seconds they took."""
    start = time.perf_counter()
    await asyncio.gather(*(handler(delay) for _ in range(requests)))
    return time.perf_counter() - start


# --8<-- [end:serve_concurrently]

HANDLERS = [
    ("blocking", handle_blocking),
    ("non-blocking", handle_non_blocking),
    ("blocking library in a thread", handle_blocking_library),
]


def report() -> str:
    lines = ["$ python -m languages.event_loop"]
    for name, handler in HANDLERS:
        seconds = asyncio.run(serve_concurrently(handler, requests=5, delay=0.2))
        lines.append(f"{name:30} 5 requests of 0.2 s took {seconds:.2f} s")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = report()
    if sys.argv[1:] == ["--record"]:
        OUTPUT.parent.mkdir(exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8")
    print(text[text.index("\n") + 1 :], end="")
