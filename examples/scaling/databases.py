"""Scaling a database past one server, in miniature (the Scaling Databases page): which shard a
key lives on (hash modulo N against a consistent-hash ring), reads from a lagging replica that
still show a user their own writes, and what a network partition forces a replicated register to
give up (CAP).

Everything is in memory and deterministic (SHA-256, not Python's per-process randomized hash()),
so the figures the tests check hold on any machine.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field


def stable_hash(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


# --8<-- [start:modulo_sharding]
def shard_by_modulo(key: str, shards: int) -> int:
    """Simple and even, but changing `shards` moves almost every key."""
    return stable_hash(key) % shards
# --8<-- [end:modulo_sharding]


# --8<-- [start:hash_ring]
class HashRing:
    """Consistent hashing (Karger et al., 1997): each shard owns many points on a ring, and a key
    belongs to the first point after its own hash. A new shard takes keys only from its
    neighbours, about 1/N of them, instead of reshuffling everything."""

    def __init__(self, shards: list[str], points_per_shard: int = 100) -> None:
        if not shards or points_per_shard < 1:
            raise ValueError("a ring needs at least one shard and one point per shard")
        self._ring: list[tuple[int, str]] = sorted(
            (stable_hash(f"{shard}#{i}"), shard)
            for shard in shards for i in range(points_per_shard))
        self._hashes = [point for point, _ in self._ring]

    def shard_for(self, key: str) -> str:
        index = bisect.bisect(self._hashes, stable_hash(key)) % len(self._ring)
        return self._ring[index][1]
# --8<-- [end:hash_ring]


# --8<-- [start:replication]
@dataclass
class Primary:
    rows: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)  # the write-ahead log, in order

    def write(self, key: str, value: str) -> int:
        self.rows[key] = value
        self.log.append((key, value))
        return len(self.log)  # the log position (LSN) of this write


@dataclass
class Replica:
    rows: dict[str, str] = field(default_factory=dict)
    applied: int = 0  # how far into the primary's log this replica has replayed

    def catch_up(self, primary: Primary, up_to: int) -> None:
        if up_to < 0:  # log[0:-1] would apply rows without moving `applied`
            raise ValueError(f"a log position is 0 or more, not {up_to}")
        for key, value in primary.log[self.applied:up_to]:
            self.rows[key] = value
        self.applied = max(self.applied, min(up_to, len(primary.log)))


class Router:
    """Reads go to the replica unless it has not yet replayed this session's last write."""

    def __init__(self, primary: Primary, replica: Replica) -> None:
        self.primary, self.replica = primary, replica

    def read(self, key: str, session_lsn: int) -> tuple[str, str | None]:
        if self.replica.applied >= session_lsn:
            return "replica", self.replica.rows.get(key)
        return "primary", self.primary.rows.get(key)  # read your own writes
# --8<-- [end:replication]


# --8<-- [start:partition]
class Unavailable(RuntimeError):
    """CP: the write is refused rather than risk two different answers."""


@dataclass
class Node:
    value: str | None = None
    stamp: float = 0.0  # last writer wins: the higher stamp survives a heal


class ReplicatedRegister:
    """One value on two nodes. While they are partitioned, a CP register refuses writes; an AP
    register accepts them on both sides, and the heal keeps the one with the later stamp."""

    def __init__(self, mode: str) -> None:
        if mode not in ("CP", "AP"):
            raise ValueError("mode is CP or AP")
        self.mode, self.partitioned = mode, False
        self.nodes = [Node(), Node()]

    def write(self, node: int, value: str, clock: float) -> None:
        """`clock`: the wall-clock time on the node that takes the write. Nodes share no clock,
        so a node whose clock runs fast wins every heal, even with an earlier write."""
        if self.partitioned and self.mode == "CP":
            raise Unavailable("the other node cannot confirm this write")
        targets = [self.nodes[node]] if self.partitioned else self.nodes
        for target in targets:
            target.value, target.stamp = value, clock

    def read(self, node: int) -> str | None:
        return self.nodes[node].value

    def heal(self) -> None:
        self.partitioned = False
        winner = max(self.nodes, key=lambda n: n.stamp)
        for target in self.nodes:
            target.value, target.stamp = winner.value, winner.stamp
# --8<-- [end:partition]
