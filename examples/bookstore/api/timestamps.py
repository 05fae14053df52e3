"""Timestamps at the API's edge: RFC 3339 with an offset in, UTC inside, "Z" out.

The service stores instants as UTC text of one fixed shape ("2026-12-07T03:00:00.000Z", see
migrations/0002), which SQLite compares and sorts like the instants themselves. Clients send
RFC 3339 timestamps; one without an offset names no instant ("10:00" where? in WIB, WITA,
WIT?), so it is refused with a 422 instead of being guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

# --8<-- [start:parse_rfc3339]
# RFC 3339, section 5.6: date "T" time, optional fraction, then "Z" or +hh:mm / -hh:mm, where
# an offset's hour is 00-23 and its minute 00-59. [0-9], not \d: \d also matches digits of
# other scripts, such as "٢٠٢٦". RFC 3339 puts no limit on the fraction's digits, so neither
# does the pattern; the whole text is limited instead (MAX_LENGTH).
MAX_LENGTH = 64
RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:([0-9]{2})(?:\.([0-9]+))?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


def parse_rfc3339(value: object) -> datetime:
    """An RFC 3339 timestamp with its offset, as an aware datetime in UTC; anything else
    (no offset, a space instead of "T", a Unix number, a leap second) is a ValueError,
    which FastAPI answers with a 422 problem."""
    if isinstance(value, str) and len(value) > MAX_LENGTH:
        raise ValueError(f"is longer than {MAX_LENGTH} characters: shorten the fraction of a second")
    match = RFC3339.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        hint = "e.g. 2026-12-07T10:00:00+07:00"
        if isinstance(value, str) and re.search(r" [0-9]{2}:[0-9]{2}$", value):
            hint = 'a "+" in a URL arrives as a space: write it as %2B'
        raise ValueError(f"must be an RFC 3339 timestamp with an offset ({hint})")
    seconds, fraction = match.groups()
    if seconds == "60":  # RFC 3339 allows it; datetime cannot hold it
        raise ValueError("is a leap second (second 60), which is not accepted: send :59.999")
    try:  # fromisoformat checks the other ranges (month 13, hour 24, February 30 ...)
        instant = datetime.fromisoformat(value.upper()).astimezone(UTC)
        if fraction and fraction[6:].strip("0"):  # it dropped the digits after the 6th:
            instant += timedelta(microseconds=1)  # round up, so a bound stays after them
    except ValueError:
        raise ValueError("is not a valid date and time") from None
    except OverflowError:  # year 1 at +01:00 is before year 1 in UTC
        raise ValueError("falls outside the years 1 to 9999 in UTC") from None
    return instant


# --8<-- [end:parse_rfc3339]


def format_rfc3339(instant: datetime) -> str:
    """UTC, milliseconds, "Z": 2026-12-07T03:00:00.123Z (the shape the database stores)."""
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _aware(value: datetime) -> datetime:
    if value.utcoffset() is None:  # the service never stores a time without its offset
        raise ValueError("a timestamp without an offset cannot be sent")
    return value


_DOC = {"type": "string", "format": "date-time"}  # RFC 3339 date-time: the offset is required
# A timestamp a client sends (query parameters, body fields): parsed by parse_rfc3339 only.
Instant = Annotated[
    datetime,
    BeforeValidator(parse_rfc3339),
    WithJsonSchema(
        {
            **_DOC,
            "description": (
                "RFC 3339 with an offset (Z or +hh:mm), at most 64 characters; a leap second"
                " (:60) is refused"
            ),
            "examples": ["2026-12-07T00:00:00+08:00"],
        }
    ),
]
# A timestamp the API sends: always UTC with "Z", in the stored shape.
UtcTimestamp = Annotated[
    datetime, AfterValidator(_aware), PlainSerializer(format_rfc3339), WithJsonSchema(_DOC)
]


# --8<-- [start:storage_text]
FIRST = datetime(1, 1, 1, tzinfo=UTC)  # the bounds of what datetime can hold
LAST_MS = datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)


def storage_text(instant: datetime) -> str:
    """The instant as the database stores created_at: UTC text with milliseconds.
    Rounded up to the next millisecond, so that `created_at >= bound` and
    `created_at < bound` mean exactly what they say for the millisecond values stored."""
    instant = instant.astimezone(UTC)
    if instant > LAST_MS:  # no order is placed that late; rounding up would overflow
        instant = LAST_MS
    elif instant.microsecond % 1000:
        instant += timedelta(microseconds=1000 - instant.microsecond % 1000)
    return format_rfc3339(instant)


# --8<-- [end:storage_text]
