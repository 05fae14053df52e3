"""SQL for user accounts and login sessions."""

from __future__ import annotations

import sqlite3

from bookstore.security.emails import email_key


def add_user(conn: sqlite3.Connection, email: str, password_hash: str) -> int:
    """`email` as normalize_email returned it: mail goes there. Accounts are told apart by
    email_key (UNIQUE), so "Ana@x.io" after "ana@x.io" is an IntegrityError."""
    return conn.execute(
        "INSERT INTO users (email, email_key, password_hash) VALUES (?, ?, ?)",
        (email, email_key(email), password_hash),
    ).lastrowid


def find_by_email(conn: sqlite3.Connection, email: str) -> sqlite3.Row | None:
    """The account of this address (from normalize_email), in whatever case it was typed."""
    return conn.execute(
        "SELECT id, email, password_hash FROM users WHERE email_key = ?", (email_key(email),)
    ).fetchone()


def set_password_hash(conn: sqlite3.Connection, user_id: int, password_hash: str) -> None:
    conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))


def add_session(conn: sqlite3.Connection, token_hash: str, user_id: int, expires_at: float) -> None:
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
        (token_hash, user_id, expires_at),
    )


def user_for_session(conn: sqlite3.Connection, token_hash: str, now: float) -> int | None:
    row = conn.execute(
        "SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?",
        (token_hash, now),
    ).fetchone()
    return None if row is None else row["user_id"]
