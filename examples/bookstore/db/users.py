"""SQL for user accounts and login sessions."""

from __future__ import annotations

import sqlite3


def add_user(conn: sqlite3.Connection, email: str, password_hash: str) -> int:
    return conn.execute(
        "INSERT INTO users (email, password_hash) VALUES (?, ?)", (email, password_hash)
    ).lastrowid


def find_by_email(conn: sqlite3.Connection, email: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT id, email, password_hash FROM users WHERE email = ?", (email,)
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
