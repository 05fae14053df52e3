"""A wide-column table in miniature: rows grouped by partition key, sorted by clustering columns.

A model of what orders_by_customer.cql declares, not Cassandra: one process, no replicas (see
quorum.py for those). It keeps the rule that shapes every Cassandra table: a query names the
partition, and reads rows in the order the clustering columns keep them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class QueryRefused(Exception):
    """The query does not name one partition (Cassandra would demand ALLOW FILTERING)."""


def _as_dict(name: str, value: object) -> dict:
    if isinstance(value, dict):
        return value
    raise ValueError(f"{name} must be a dict of column names to values")


def _partition(values: tuple) -> tuple:
    try:
        hash(values)
    except TypeError:  # a list or a dict as a key value
        raise ValueError("partition key values must be text, numbers or dates") from None
    return values


# --8<-- [start:table]
@dataclass
class WideTable:
    partition_key: tuple[str, ...]
    clustering: tuple[tuple[str, str], ...]  # (column, "ASC" or "DESC"), in key order
    partitions: dict[tuple, list[dict]] = field(default_factory=dict)

    def insert(self, row: dict) -> None:
        """An insert is an upsert: the same primary key replaces the row, as in CQL."""
        ident = [column for column, _ in self.clustering]
        missing = [c for c in (*self.partition_key, *ident) if _as_dict("row", row).get(c) is None]
        if missing:
            raise ValueError(f"primary key columns missing: {', '.join(missing)}")
        key = _partition(tuple(row[c] for c in self.partition_key))
        new = [r for r in self.partitions.get(key, []) if [r[c] for c in ident] != [row[c] for c in ident]]
        new.append(dict(row))
        try:  # sort a copy, then swap it in: a failed sort leaves the partition as it was
            for column, order in reversed(self.clustering):  # stable sorts, last key first
                new.sort(key=lambda r, c=column: r[c], reverse=order == "DESC")
        except TypeError:  # "2026-03-01" and 5 (or a list) in one clustering column
            raise ValueError("clustering values must be comparable, one type per column") from None
        self.partitions[key] = new

    def select(self, where: dict, since: object = None, limit: int = 100) -> list[dict]:
        """Rows of one partition in clustering order; `since` bounds the first clustering column."""
        if set(_as_dict("where", where)) != set(self.partition_key):
            raise QueryRefused(f"name the partition: {', '.join(self.partition_key)} = ?")
        if type(limit) is not int or limit < 1:  # as CQL, which rejects LIMIT 0
            raise ValueError("limit must be a positive integer")
        rows = self.partitions.get(_partition(tuple(where[c] for c in self.partition_key)), [])
        first = self.clustering[0][0]
        try:
            return [r for r in rows if since is None or r[first] >= since][:limit]
        except TypeError:  # since=3 against dates kept as text
            raise ValueError(f"since must be of the same type as {first}") from None


# --8<-- [end:table]
