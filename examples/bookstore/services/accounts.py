"""Accounts: sign-up, login (with rehash) and opaque session tokens."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3

from argon2 import PasswordHasher

from bookstore.db import users as users_db
from bookstore.db.connection import transaction
from bookstore.security.passwords import hash_password, verify_password
from bookstore.services.errors import EmailTaken, InvalidCredentials

SESSION_SECONDS = 8 * 3600


def register(conn: sqlite3.Connection, hasher: PasswordHasher, email: str, password: str) -> int:
    password_hash = hash_password(hasher, password)  # slow on purpose: before the transaction
    try:
        with transaction(conn):
            return users_db.add_user(conn, email, password_hash)
    except sqlite3.IntegrityError:
        raise EmailTaken("An account with this e-mail address already exists.") from None


# --8<-- [start:login]
def log_in(
    conn: sqlite3.Connection, hasher: PasswordHasher, email: str, password: str, now: float
) -> str:
    """Check the password and return a new session token (shown to the client once)."""
    user = users_db.find_by_email(conn, email)
    # Verify against a dummy hash when there is no such user, so the response
    # time does not tell an attacker which e-mail addresses have accounts.
    stored = user["password_hash"] if user else _dummy_hash(hasher)
    matches, new_hash = verify_password(hasher, stored, password)
    if user is None or not matches:
        raise InvalidCredentials("Wrong e-mail address or password.")  # same text for both
    token = secrets.token_urlsafe(32)  # 256 random bits
    with transaction(conn):
        if new_hash:
            users_db.set_password_hash(conn, user["id"], new_hash)
        users_db.add_session(conn, _digest(token), user["id"], now + SESSION_SECONDS)
    return token


# --8<-- [end:login]


def user_for_token(conn: sqlite3.Connection, token: str, now: float) -> int | None:
    return users_db.user_for_session(conn, _digest(token), now)


def _digest(token: str) -> str:
    # The database stores only a hash of each token: a copy of the table logs nobody in.
    return hashlib.sha256(token.encode()).hexdigest()


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    # One dummy hash per set of hasher parameters, made the first time it is needed.
    key = repr((hasher.time_cost, hasher.memory_cost, hasher.parallelism))
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[key]
