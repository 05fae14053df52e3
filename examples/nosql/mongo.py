"""The bookstore's orders in a document store, written against PyMongo's API.

The tests run this module on mongomock (an in-memory stand-in for a MongoDB server that
implements the same collection methods); the code itself is plain PyMongo and runs unchanged on
a `pymongo.MongoClient(...)["bookstore"]["orders"]` collection.
"""

from __future__ import annotations

import re
from datetime import date

# PyMongo names these pymongo.ASCENDING and pymongo.DESCENDING; the values are 1 and -1.
ASCENDING, DESCENDING = 1, -1


# --8<-- [start:indexes]
def create_indexes(db) -> None:
    """The indexes the queries below need: one per access pattern, not one per field."""
    # "Ana's orders, newest first": equality on the email, then the sort key.
    db.orders.create_index([("customer.email", ASCENDING), ("ordered_at", DESCENDING)])
    # "Orders with this book since a date": a multikey index, one entry per item of the array.
    db.orders.create_index([("items.title", ASCENDING), ("ordered_at", DESCENDING)])
    # One book per ISBN: the database refuses a second one (DuplicateKeyError).
    db.books.create_index("isbn", unique=True)


# --8<-- [end:indexes]


# --8<-- [start:checks]
# A filter value must never come from the client as an object: {"$ne": null} as the "email"
# of a JSON body would match every customer's orders (operator injection). Every value that
# goes into a filter or an update passes one of these checks first.
def text(name: str, value: object, low: int, high: int) -> str:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise ValueError(f"{name} must be a string of {low}-{high} characters")
    return value


def isbn13(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{13}", value):
        raise ValueError("isbn must be 13 digits")
    return value


def iso_date(name: str, value: object) -> str:
    """A date as YYYY-MM-DD text, the form ordered_at is stored in (so it sorts by date)."""
    try:
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return date.fromisoformat(value).isoformat()
    except ValueError:  # 2026-02-30
        pass
    raise ValueError(f"{name} must be a date written YYYY-MM-DD")


# --8<-- [end:checks]


# --8<-- [start:queries]
def orders_of(db, email: object) -> list[dict]:
    """A customer's orders, newest first, without the item details."""
    email = text("email", email, 3, 254)
    cursor = db.orders.find(
        {"customer.email": email},  # dot notation reaches into the embedded document
        {"_id": 1, "ordered_at": 1, "items.title": 1},  # projection: only what the list shows
    ).sort("ordered_at", DESCENDING)
    return list(cursor)


def orders_with_book(db, title: object, since: object) -> list[str]:
    """Ids of the orders since a date (ISO 8601 text sorts by date) that contain a book."""
    title, since = text("title", title, 1, 200), iso_date("since", since)
    query = {"items.title": title, "ordered_at": {"$gte": since}}  # an array matches any item
    return [doc["_id"] for doc in db.orders.find(query, {"_id": 1}).sort("_id", ASCENDING)]


# --8<-- [end:queries]


# --8<-- [start:updates]
def reserve(db, isbn: object, quantity: object) -> bool:
    """Take `quantity` copies from stock only if that many are left, in one atomic update."""
    isbn = isbn13(isbn)
    # BSON holds at most 8-byte integers: above 2**63 - 1 PyMongo raises OverflowError.
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity < 2**63:
        raise ValueError("quantity must be a positive integer below 2**63")
    result = db.books.update_one(
        {"isbn": isbn, "stock": {"$gte": quantity}},  # the check ...
        {"$inc": {"stock": -quantity}},  # ... and the change, in one operation
    )
    return result.modified_count == 1  # 0: unknown ISBN or not enough stock; nothing changed


def move_customer(db, email: object, city: object) -> int:
    """The copy problem: every order that embeds the customer must be rewritten."""
    email, city = text("email", email, 3, 254), text("city", city, 1, 100)
    result = db.orders.update_many({"customer.email": email}, {"$set": {"customer.city": city}})
    return result.modified_count


# --8<-- [end:updates]
