"""A guard for pika 1.4.4 against header tables it cannot decode.

RabbitMQ relays a message's header table as the publisher wrote it, and pika decodes it inside
the frame decoder: any error there is reported as a lost connection (StreamLostError). The
message is never acked, comes back and kills the next connection too: one forged header stops a
consumer for good. Two ways in are known. A header timestamp ('T', an unsigned 64-bit count of
seconds) past the year 9999 (a millisecond epoch, or a pre-1970 time from the Java client, which
writes a signed long) fails in datetime (pika issue #1698; the fix, PR #1699 merged 2026-08-24,
is in no release yet). A table or array nested a few hundred levels deep (under 3 KB) exhausts
Python's recursion limit.

This module wraps pika.data.decode_value and decode_table. A timestamp out of range decodes to an
OutOfRangeTimestamp (the raw number); any other failure of a whole table, or nesting deeper than
MAX_DEPTH, decodes to an UndecodableHeaders marker and the table is skipped by its length prefix,
so the other properties and the body still arrive. Remove the timestamp part once a pika release
has PR #1699; the depth part has no upstream fix.
"""

from __future__ import annotations

import struct
import threading
from datetime import UTC, datetime
from typing import Any

import pika.data
from pika.exceptions import InvalidFieldTypeException


# --8<-- [start:guard]
class OutOfRangeTimestamp(int):
    """The raw seconds of a header timestamp that no datetime can hold."""


class UndecodableHeaders(str):
    """Stands in for a whole header table pika could not decode; the text says why."""


MAX_DEPTH = 64  # nested tables and arrays; x-death needs 2
FAILURES = (RecursionError, struct.error, InvalidFieldTypeException, ValueError, OverflowError)
_pika_decode_value, _pika_decode_table = pika.data.decode_value, pika.data.decode_table
_state = threading.local()  # depth inside the table being decoded in this thread; None outside


def _decode_value(encoded: bytes, offset: int) -> tuple[Any, int]:
    kind, depth = encoded[offset:offset + 1], getattr(_state, "depth", None)
    if kind == b"T":
        (seconds,) = struct.unpack_from(">Q", encoded, offset + 1)
        try:
            return datetime.fromtimestamp(seconds, UTC), offset + 9
        except (OverflowError, OSError, ValueError):  # past year 9999 or time_t
            return OutOfRangeTimestamp(seconds), offset + 9
    if kind not in (b"F", b"A") or depth is None:  # not a nested table or array
        return _pika_decode_value(encoded, offset)
    if depth == MAX_DEPTH:
        raise ValueError(f"headers nested deeper than {MAX_DEPTH} levels")
    _state.depth = depth + 1
    try:
        return _pika_decode_value(encoded, offset)
    finally:
        _state.depth = depth
# --8<-- [end:guard]


# --8<-- [start:guard_table]
def _decode_table(encoded: bytes, offset: int) -> tuple[Any, int]:
    if getattr(_state, "depth", None) is not None:  # a table inside the one being decoded
        return _pika_decode_table(encoded, offset)
    _state.depth = 0
    try:
        return _pika_decode_table(encoded, offset)
    except FAILURES as error:  # skip the whole table by its 4-byte length
        (size,) = struct.unpack_from(">I", encoded, offset)
        reason = UndecodableHeaders(f"{type(error).__name__}: {str(error)[:80]}")
        return reason, offset + 4 + size
    finally:
        _state.depth = None


def install() -> None:
    """Idempotent. pika looks decode_value and decode_table up in pika.data on every call,
    so replacing them there covers every table: headers, nested x-death, arrays."""
    pika.data.decode_value, pika.data.decode_table = _decode_value, _decode_table
# --8<-- [end:guard_table]
