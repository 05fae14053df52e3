"""Request and response models: pydantic checks every field before a route runs."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from bookstore.api.timestamps import UtcTimestamp
from bookstore.security.emails import normalize_email

# --8<-- [start:bounded_ids]
# The largest value of an SQLite INTEGER (a PostgreSQL bigint). A bigger id cannot exist,
# and Python would pass it on until the driver fails with OverflowError: refuse it here.
MAX_ID = 2**63 - 1


def _digits_only(value: object) -> object:
    # A path segment is text; int() would also take "+1", " 1", "1_000", "١" or "01". Only
    # plain ASCII digits without a leading zero are an id (19 of them at most), so one book
    # has one URL.
    if isinstance(value, str) and not (
        value.isascii() and value.isdigit() and len(value) < 20 and not value.startswith("0")
    ):
        raise ValueError("must be a whole number written with the digits 0-9, no leading zero")
    return value


PathId = Annotated[int, Path(ge=1, le=MAX_ID), BeforeValidator(_digits_only)]
# --8<-- [end:bounded_ids]


# --8<-- [start:order_models]
class OrderLine(BaseModel):
    # forbid: an unknown field is an error, not ignored. strict: "1", true and 1.0 are not
    # the integer 1 (without it pydantic would convert them).
    model_config = ConfigDict(extra="forbid", strict=True)

    book_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Field(ge=1, le=10)  # business limit: at most 10 copies per title


class OrderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    items: list[OrderLine] = Field(
        min_length=1, max_length=20, description="One line per book: raise its quantity instead"
    )

    @field_validator("items")
    @classmethod
    def one_line_per_book(cls, items: list[OrderLine]) -> list[OrderLine]:
        book_ids = [item.book_id for item in items]
        if len(book_ids) != len(set(book_ids)):
            raise ValueError("each book may appear only once; raise its quantity instead")
        return items


# --8<-- [end:order_models]


class OrderItemOut(BaseModel):
    book_id: int
    quantity: int
    unit_price: Decimal


class OrderOut(BaseModel):
    id: int
    status: Literal["pending", "paid", "cancelled"]
    total: Decimal  # serialized as a string ("123.45"), so clients never see a float
    currency: str
    items: list[OrderItemOut]
    created_at: UtcTimestamp  # RFC 3339 in UTC: "2026-12-07T03:00:00.123Z"


# --8<-- [start:book_models]
class BookOut(BaseModel):
    id: int
    title: str
    author: str
    price: Decimal  # JSON: "89000.00" (a string keeps every digit exact)
    currency: str
    stock: int


class BookPage(BaseModel):
    items: list[BookOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end"
    )


# --8<-- [end:book_models]


# --8<-- [start:account_models]
def nfc(value: object) -> object:
    # RFC 8265 (the PRECIS profile for passwords) normalizes to NFC, so "é" typed as one code
    # point or as "e" + U+0301 is one password. Before the length check: 12 characters are
    # counted on what is hashed. Anything but text is left to the strict type check (422).
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    # Checked, then normalized (security/emails.py): one spelling per account.
    email: Annotated[
        str,
        Field(max_length=254, json_schema_extra={"format": "email"}),
        AfterValidator(normalize_email),
    ]
    # Long passphrases are welcome (NIST SP 800-63B-4); the upper bound only stops abuse.
    password: Annotated[str, BeforeValidator(nfc), Field(min_length=12, max_length=128)]


# --8<-- [end:account_models]


class UserOut(BaseModel):
    id: int
    email: str


class SessionOut(BaseModel):
    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


# --8<-- [start:payment_event]
class PaymentEvent(BaseModel):
    """An event the payment provider posts. Parsed with model_validate_json: pydantic's
    parser refuses nesting deeper than 200 levels instead of recursing until it fails."""

    model_config = ConfigDict(strict=True)  # unknown fields are ignored: providers add some

    id: str = Field(min_length=1, max_length=255)
    type: str = Field(min_length=1, max_length=100)
    order_id: int = Field(ge=1, le=MAX_ID)  # 1e30, Infinity and "7" are not order ids


# --8<-- [end:payment_event]


class Cursor(BaseModel):
    """What an opaque page cursor holds (base64url of this JSON)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    after: int = Field(ge=0, le=MAX_ID)
