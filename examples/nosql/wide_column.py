"""A wide-column table in miniature: rows grouped by partition key, sorted by clustering columns.

A model of what orders_by_customer.cql declares, not Cassandra: one process, no replicas (see
quorum.py for those). It keeps the rule that shapes every Cassandra table: a query names the
partition, and reads rows in the order the clustering columns keep them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class QueryRefused(Exception):
    """The query does not name one partition (Cassandra would demand ALLOW FILTERING)."""


# --8<-- [start:table]
@dataclass
class WideTable:
    partition_key: tuple[str, ...]
    clustering: tuple[tuple[str, str], ...]  # (column, "ASC" or "DESC"), in key order
    partitions: dict[tuple, list[dict]] = field(default_factory=dict)

    def insert(self, row: dict) -> None:
        """An insert is an upsert: the same primary key replaces the row, as in CQL."""
        ident = [column for column, _ in self.clustering]
        missing = [c for c in (*self.partition_key, *ident) if row.get(c) is None]
        if missing:
            raise ValueError(f"primary key columns missing: {', '.join(missing)}")
        rows = self.partitions.setdefault(tuple(row[c] for c in self.partition_key), [])
        rows[:] = [r for r in rows if [r[c] for c in ident] != [row[c] for c in ident]]
        rows.append(dict(row))
        for column, order in reversed(self.clustering):  # stable sorts, last key first
            rows.sort(key=lambda r, c=column: r[c], reverse=order == "DESC")

    def select(self, where: dict, since: object = None, limit: int = 100) -> list[dict]:
        """Rows of one partition in clustering order; `since` bounds the first clustering column."""
        if set(where) != set(self.partition_key):
            raise QueryRefused(f"name the partition: {', '.join(self.partition_key)} = ?")
        if type(limit) is not int or limit < 1:  # as CQL, which rejects LIMIT 0
            raise ValueError("limit must be a positive integer")
        key = tuple(where[c] for c in self.partition_key)
        try:
            rows = self.partitions.get(key, [])
        except TypeError:  # a list or a dict as a key value
            raise ValueError("partition key values must be text, numbers or dates") from None
        first = self.clustering[0][0]
        return [r for r in rows if since is None or r[first] >= since][:limit]


# --8<-- [end:table]
