"""`python -m bookstore`: run the service with uvicorn on 127.0.0.1 (port: BOOKSTORE_PORT)."""

from __future__ import annotations

import signal
import sys

import uvicorn

from bookstore.app import create_app
from bookstore.observability.logging import configure_logging
from bookstore.settings import settings_or_exit


# --8<-- [start:main]
def main() -> None:
    settings = settings_or_exit()  # a bad setting stops the service here, one line each
    configure_logging(settings.log_level)
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again so the
    # exit status says "killed by SIGTERM" (143). After a clean shutdown we prefer
    # to say so plainly: this handler, restored by uvicorn, turns it into exit code 0.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        create_app(settings),
        host=settings.host,  # 127.0.0.1 by default: only the reverse proxy can connect
        port=settings.port,
        log_config=None,  # keep our JSON logging
        access_log=False,  # observe_requests logs each request, with its request id
        # X-Forwarded-For is read inside the app, and only from BOOKSTORE_TRUSTED_PROXIES.
        proxy_headers=False,
        timeout_graceful_shutdown=20,  # on SIGTERM, wait up to 20 s for open requests
    )


# --8<-- [end:main]


if __name__ == "__main__":
    main()
