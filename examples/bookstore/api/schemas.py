"""Request and response models: pydantic checks every field before a route runs."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator


# --8<-- [start:order_models]
class OrderLine(BaseModel):
    model_config = ConfigDict(extra="forbid")  # unknown fields are an error, not ignored

    book_id: int = Field(gt=0)
    quantity: int = Field(ge=1, le=10)  # business limit: at most 10 copies per title


class OrderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[OrderLine] = Field(min_length=1, max_length=20)

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
    status: str
    total: Decimal  # serialized as a string ("123.45"), so clients never see a float
    currency: str
    items: list[OrderItemOut]
    created_at: str


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
class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    # Long passphrases are welcome (NIST SP 800-63B); the upper bound only stops abuse.
    password: str = Field(min_length=12, max_length=128)


# --8<-- [end:account_models]


class UserOut(BaseModel):
    id: int
    email: str


class SessionOut(BaseModel):
    token: str
    token_type: str = "Bearer"
    expires_in: int
