"""python -m messaging.show_dead_letters [--port 5672] [--limit 20]: print what waits in the
dead-letter queue invoices.dead, for the person on call, without taking anything away.

Messages are taken without an ack and all given back when the channel closes, so the queue keeps
them in their order. A dead letter's body is whatever someone published, so it is printed with
repr() and cut to 80 characters: a terminal escape sequence in a message stays harmless text.
"""

from __future__ import annotations

import argparse
import sys

import pika

from messaging.pika_guard import UndecodableHeaders
from messaging.rabbit import INVOICES_DEAD


# --8<-- [start:show]
def printable(text: str) -> str:
    """Control characters (an escape sequence in a forged header) shown as \\xNN."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def describe(properties: pika.BasicProperties, body: bytes) -> str:
    """One line per dead letter: why it died, where from, how often, and the start of its body.
    Headers come from whoever published the message: each x-death field is used only if it
    has the expected type, headers pika could not decode are named as such, and the line is
    made printable."""
    headers = properties.headers
    if isinstance(headers, UndecodableHeaders):  # the guard's marker: show why, not crash
        return printable(f"?  headers could not be decoded ({headers})"
                         f" id={properties.message_id}  {body[:80]!r}")
    deaths = (headers if isinstance(headers, dict) else {}).get("x-death")
    last = deaths[0] if isinstance(deaths, list) and deaths and isinstance(deaths[0], dict) else {}
    when, keys = last.get("time"), last.get("routing-keys")
    return printable(
        f"{when.isoformat() if hasattr(when, 'isoformat') else '?'}"
        f"  {last.get('reason', '?')!s:<14} queue={last.get('queue', '?')}"
        f" keys={','.join(map(str, keys)) if isinstance(keys, list) else '?'}"
        f" count={last.get('count', '?')} id={properties.message_id}  {body[:80]!r}")


def show(channel, limit: int) -> list[str]:
    lines = []
    for _ in range(limit):
        method, properties, body = channel.basic_get(INVOICES_DEAD, auto_ack=False)
        if method is None:
            break
        lines.append(describe(properties, body))
    channel.close()  # every message taken goes back, in order: nothing is removed
    return lines
# --8<-- [end:show]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m messaging.show_dead_letters")
    parser.add_argument("--port", type=int, default=5672, help="RabbitMQ on 127.0.0.1")
    parser.add_argument("--limit", type=int, default=20, help="at most this many (1-1000)")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536 or not 0 < args.limit <= 1000:
        parser.error("--port must be 1-65535 and --limit 1-1000")
    params = pika.ConnectionParameters("127.0.0.1", args.port, connection_attempts=1,
                                       socket_timeout=5)
    try:
        connection = pika.BlockingConnection(params)
    except pika.exceptions.AMQPConnectionError:
        print(f"127.0.0.1:{args.port}: no RabbitMQ answers — fix: start it or pass --port",
              file=sys.stderr)
        return 1
    try:
        lines = show(connection.channel(), args.limit)
    except pika.exceptions.ChannelClosedByBroker as error:  # e.g. the queue does not exist
        print(f"{INVOICES_DEAD}: {error.reply_text} — fix: run declare_topology first",
              file=sys.stderr)
        return 1
    except pika.exceptions.AMQPError as error:  # the connection was lost mid-run
        print(f"127.0.0.1:{args.port}: connection lost while reading {INVOICES_DEAD}"
              f" ({type(error).__name__}); the messages not acked stay in the queue"
              " — fix: check the broker's log, then run this again", file=sys.stderr)
        return 1
    finally:
        if connection.is_open:  # closing a lost connection raises again
            connection.close()
    print("\n".join(lines) if lines else f"{INVOICES_DEAD} is empty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
