"""Why the bookstore's routes are `def` unless they await something.

FastAPI runs an `async def` route on the event loop itself, and a plain `def` route in a
worker thread (a pool of 40 by default). A blocking call inside `async def` (sqlite3,
requests, time.sleep, threading.Event.wait...) therefore stops the loop, and with it every
other request this process is serving. `threading.Event.wait` stands in for such a call
here: the route waits until another request, /signal, has run.

Try it from examples/:  uvicorn frameworks.blocking:app --port 8080
then `curl localhost:8080/wait-async` and, within two seconds, `curl localhost:8080/signal`
in a second terminal: the first answers false, and /signal only after it. With /wait-sync
instead, /signal answers at once and the first answers true. Each waiting route starts
afresh, so the experiment can be repeated on the same server.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI


def make_app() -> FastAPI:
    app = FastAPI()
    started = app.state.started = threading.Event()
    signalled = app.state.signalled = threading.Event()

    # --8<-- [start:blocking_routes]
    @app.get("/wait-async")
    async def wait_async() -> dict[str, bool]:
        # WRONG: a blocking call in `async def` holds the event loop; /signal cannot run.
        signalled.clear()  # forget the /signal of an earlier try
        started.set()
        return {"other_request_ran": signalled.wait(timeout=2)}

    @app.get("/wait-sync")
    def wait_sync() -> dict[str, bool]:
        # Right: a `def` route runs in a worker thread, so the loop keeps serving others.
        signalled.clear()
        started.set()
        return {"other_request_ran": signalled.wait(timeout=2)}

    @app.get("/signal")
    async def signal() -> dict[str, str]:
        signalled.set()
        return {"status": "signalled"}

    # --8<-- [end:blocking_routes]
    return app


app = make_app()
