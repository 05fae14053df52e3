"""A throw-away RabbitMQ broker for the tests of examples/messaging.

The broker runs as this user from a temporary directory: its own Erlang cookie (HOME), Mnesia
database, log files, an empty plugin list (no management plugin) and its own epmd, all on free
loopback ports, and everything is stopped and deleted afterwards. Startup takes several seconds,
so the tests start it once per module. Where rabbitmq-server is missing, they skip with the
command that installs it; with CI=true they fail instead (scripts/setup-system.sh installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pika
from support import skip_or_fail

# Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user when run as root; the script
# it wraps runs the broker as whoever starts it, which is what a test wants.
SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def rabbitmq_server() -> Iterator[pika.ConnectionParameters]:
    """Start a broker; yields the connection parameters of its AMQP listener (guest/guest,
    which RabbitMQ accepts only from localhost)."""
    epmd = shutil.which("epmd")
    if not SERVER.exists() or epmd is None:
        skip_or_fail(
            "rabbitmq-server not found; install it with 'apt-get install rabbitmq-server'"
            " (Debian/Ubuntu) to run the RabbitMQ tests"
        )
    home = Path(tempfile.mkdtemp(prefix="rabbitmq-", dir="/tmp"))
    amqp_port, dist_port, epmd_port = free_port(), free_port(), free_port()
    (home / "enabled_plugins").write_text("[].\n", encoding="ascii")
    # --8<-- [start:start]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),  # the Erlang cookie goes here, not in the user's home
        "LANG": "C.UTF-8",
        "ERL_EPMD_PORT": str(epmd_port),
        "RABBITMQ_NODENAME": f"test-{amqp_port}@localhost",
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(amqp_port),
        "RABBITMQ_DIST_PORT": str(dist_port),
        "RABBITMQ_MNESIA_BASE": str(home / "mnesia"),
        "RABBITMQ_LOG_BASE": str(home / "log"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(home / "enabled_plugins"),
        "RABBITMQ_CONFIG_FILE": str(home / "rabbitmq"),  # does not exist: defaults
        "RABBITMQ_ADVANCED_CONFIG_FILE": str(home / "advanced.config"),
        # the distribution port listens on loopback only
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
    }
    # Our own epmd in the foreground: erl would otherwise start a daemon that outlives the test.
    epmd_process = subprocess.Popen(
        [epmd, "-port", str(epmd_port), "-address", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    broker = subprocess.Popen(
        [str(SERVER)], env=env, cwd=home,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    # --8<-- [end:start]
    params = pika.ConnectionParameters(
        "127.0.0.1", amqp_port, credentials=pika.PlainCredentials("guest", "guest"),
        connection_attempts=1, socket_timeout=5, blocked_connection_timeout=10,
    )
    try:
        deadline = time.monotonic() + 120  # a bound for a slow CI machine, not a speed claim
        while True:
            try:
                pika.BlockingConnection(params).close()
                break
            except pika.exceptions.AMQPConnectionError:
                if broker.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"rabbitmq-server did not start; see {home / 'log'}"
                    ) from None
                time.sleep(0.2)
        yield params
    finally:
        broker.terminate()  # SIGTERM: RabbitMQ shuts down cleanly
        try:
            broker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            broker.kill()
            broker.wait()
        epmd_process.terminate()
        epmd_process.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)
