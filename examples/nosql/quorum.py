"""Tunable consistency in miniature: N replicas of one key, writes and reads at ONE, QUORUM or ALL.

A model, not Cassandra: no network, no failure detector, no hinted handoff. It keeps the three
rules the page teaches. A write is acknowledged once W replicas have stored it (the others get it
later, or never); a read asks R replicas and returns the value with the newest write timestamp;
and R + W > N makes every read set share a replica with every acknowledged write set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


class Unavailable(Exception):
    """Fewer replicas answered than the consistency level needs."""


class WriteTimeout(Exception):
    """Fewer replicas acknowledged a write than its level needs; where it landed, it stays."""


# --8<-- [start:levels]
def needed(level: str, n: int) -> int:
    """How many of the n replicas must answer, as Cassandra counts it for one data center."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError("replication factor must be a positive integer")
    counts = {"ONE": 1, "QUORUM": n // 2 + 1, "ALL": n}  # QUORUM: a majority
    if not isinstance(level, str) or level not in counts:
        raise ValueError(f"unknown consistency level {level!r}: use ONE, QUORUM or ALL")
    return counts[level]


# --8<-- [end:levels]


# --8<-- [start:cluster]
@dataclass
class Cluster:
    n: int
    replicas: list[dict[str, tuple[int, str]]] = field(init=False)  # key -> (timestamp, value)
    clock: int = 0  # write timestamps; Cassandra takes them from a clock, last write wins

    def __post_init__(self) -> None:
        needed("ONE", self.n)  # validates n
        self.replicas = [{} for _ in range(self.n)]

    def _ids(self, answering: Iterable[int]) -> set[int]:
        try:
            nodes = set(answering)
        except TypeError:  # None, 3 ...: not a collection of ids
            nodes = {None}
        if not all(type(node) is int and 0 <= node < self.n for node in nodes):  # 0.0, True
            raise ValueError(f"replica ids must be ints 0..{self.n - 1}")
        return nodes

    def _check(self, level: str, answering: Iterable[int]) -> set[int]:
        nodes = self._ids(answering)
        if len(nodes) < needed(level, self.n):
            raise Unavailable(f"{level} needs {needed(level, self.n)} of {self.n}, got {len(nodes)}")
        return nodes

    def write(self, key: str, value: str, level: str, reached: Iterable[int]) -> None:
        """Store on the replicas the write reached; acknowledge only if they are enough."""
        need = needed(level, self.n)  # an unknown level fails before anything is stored
        nodes = self._ids(reached)
        self.clock += 1
        for node in nodes:  # applied where it arrived, even if the write then fails:
            self.replicas[node][key] = (self.clock, value)  # nothing is rolled back
        if len(nodes) < need:
            raise WriteTimeout(f"{level} needs {need} of {self.n} acks, got {len(nodes)}")

    # --8<-- [end:cluster]

    # --8<-- [start:read]
    def read(self, key: str, level: str, asked: Iterable[int]) -> str | None:
        """Ask R replicas; the newest timestamp among their answers wins."""
        nodes = self._check(level, asked)
        answers = [self.replicas[node].get(key, (0, None)) for node in nodes]
        return max(answers)[1]

    def repair(self) -> None:
        """Anti-entropy: every replica gets the newest version of every key (eventually)."""
        keys = {key for replica in self.replicas for key in replica}
        for key in keys:
            newest = max(replica.get(key, (0, None)) for replica in self.replicas)
            for replica in self.replicas:
                replica[key] = newest

    # --8<-- [end:read]
