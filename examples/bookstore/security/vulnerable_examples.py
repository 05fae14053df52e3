"""VULNERABLE ON PURPOSE: code the handbook shows next to its fix. Never routed, never
imported by the service. tests/examples/test_bookstore_security.py proves the vulnerable
function can be exploited and the safe one cannot."""

from __future__ import annotations

import sqlite3


# --8<-- [start:find_user_vulnerable]
def find_user_vulnerable(conn: sqlite3.Connection, email: str) -> list[sqlite3.Row]:
    """VULNERABLE: the input becomes part of the SQL text.

    email = "' OR 1=1 --" turns the query into
    SELECT ... WHERE email = '' OR 1=1 --'   -> every user is returned.
    """
    query = f"SELECT id, email FROM users WHERE email = '{email}'"  # text + input
    return conn.execute(query).fetchall()


# --8<-- [end:find_user_vulnerable]


# --8<-- [start:find_user_safe]
def find_user_safe(conn: sqlite3.Connection, email: str) -> list[sqlite3.Row]:
    """SAFE: the SQL text is fixed; the input is sent separately as a parameter."""
    return conn.execute("SELECT id, email FROM users WHERE email = ?", (email,)).fetchall()


# --8<-- [end:find_user_safe]
