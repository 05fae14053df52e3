"""A guard for pika 1.4.4 against a header timestamp that datetime cannot hold (pika issue #1698).

AMQP 0-9-1 carries a header timestamp ('T') as an unsigned 64-bit count of seconds, and RabbitMQ
relays any value. pika 1.4.4 turns it into a datetime inside the frame decoder, so a value past
the year 9999 (a millisecond epoch, or a pre-1970 time from the Java client, which writes a signed
long) raises there; pika reports that as a lost connection (StreamLostError). The message is never
acked, comes back and kills the next connection too: one forged header stops a consumer for good.

pika's fix (PR #1699, merged 2026-08-24) is in no release yet, so this module wraps
pika.data.decode_value with the same guard: such a timestamp decodes to an OutOfRangeTimestamp
(the raw number) instead of closing the connection. Remove it once a pika release has the fix.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from typing import Any

import pika.data


# --8<-- [start:guard]
class OutOfRangeTimestamp(int):
    """The raw seconds of a header timestamp that no datetime can hold."""


_pika_decode_value = pika.data.decode_value


def _decode_value(encoded: bytes, offset: int) -> tuple[Any, int]:
    if encoded[offset:offset + 1] != b"T":
        return _pika_decode_value(encoded, offset)
    (seconds,) = struct.unpack_from(">Q", encoded, offset + 1)
    try:
        return datetime.fromtimestamp(seconds, UTC), offset + 9
    except (OverflowError, OSError, ValueError):  # past year 9999 or time_t
        return OutOfRangeTimestamp(seconds), offset + 9


def install() -> None:
    """Idempotent. decode_table and arrays look decode_value up in pika.data on every call,
    so replacing it there covers nested tables such as x-death as well."""
    pika.data.decode_value = _decode_value
# --8<-- [end:guard]
