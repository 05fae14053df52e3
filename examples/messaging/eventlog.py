"""A Kafka topic in miniature: a partitioned, append-only log read by consumer groups.

Kafka itself cannot run in this book's tests (there is no Debian package), so this model shows
its rules in one process, in memory: a key picks the partition, each partition numbers its
records with offsets, a record stays until retention deletes it (reading does not), each consumer
group keeps its own committed offset per partition, each member its own fetch position (a member
with neither starts where auto_offset_reset says, by default at the end, and only a commit stores
where it got to, as in Kafka), and every partition belongs to one member of a group at a time. It is a teaching model: no replication, no disk, no network.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass


# --8<-- [start:log]
@dataclass(frozen=True)
class Record:
    partition: int
    offset: int
    key: str
    value: str


class OffsetOutOfRange(LookupError):
    """The offset asked for was deleted by retention (or is not written yet)."""


class Topic:
    def __init__(self, partitions: int) -> None:
        if type(partitions) is not int or not 1 <= partitions <= 1000:
            raise ValueError("partitions must be an integer from 1 to 1000")
        self._records: list[list[Record]] = [[] for _ in range(partitions)]
        self._first = [0] * partitions  # the oldest offset retention has kept
        self._committed: dict[tuple[str, int], int] = {}  # (group, partition) -> next offset

    @property
    def partitions(self) -> int:
        return len(self._records)

    def partition_for(self, key: str) -> int:
        # Same key, same partition. Kafka's default partitioner hashes the key bytes with
        # murmur2; CRC-32 is a stand-in that is also stable across processes (hash() is not).
        return zlib.crc32(key.encode()) % self.partitions

    def append(self, key: str, value: str) -> Record:
        if not isinstance(key, str) or not key:
            raise ValueError("key must be a non-empty string")
        partition = self.partition_for(key)
        record = Record(partition, self.end_offset(partition), key, value)
        self._records[partition].append(record)
        return record
    # --8<-- [end:log]

    # --8<-- [start:read]
    def first_offset(self, partition: int) -> int:
        """The oldest offset retention has kept."""
        return self._first[self._check(partition)]

    def end_offset(self, partition: int) -> int:
        """The offset the next record of this partition will get."""
        return self._first[self._check(partition)] + len(self._records[partition])

    def read(self, partition: int, offset: int, max_records: int = 100) -> list[Record]:
        """Records from offset on; reading changes nothing (no ack, no delete)."""
        if type(max_records) is not int or max_records < 1:
            raise ValueError(f"max_records must be a positive integer, not {max_records!r}")
        first = self._first[self._check(partition)]
        if type(offset) is not int or not first <= offset <= self.end_offset(partition):
            raise OffsetOutOfRange(f"partition {partition} holds offsets {first} to "
                                   f"{self.end_offset(partition) - 1}, not {offset!r}")
        start = offset - first
        return self._records[partition][start:start + max_records]

    def delete_before(self, partition: int, offset: int) -> None:
        """Retention: drop the oldest records, whether or not any group has read them."""
        if type(offset) is not int:
            raise ValueError(f"offset must be an integer, not {offset!r}")
        keep = max(0, min(offset, self.end_offset(partition)) - self._first[partition])
        del self._records[partition][:keep]
        self._first[partition] += keep

    def commit(self, group: str, partition: int, next_offset: int) -> None:
        self._committed[(group, self._check(partition))] = next_offset

    def committed(self, group: str, partition: int) -> int | None:
        """The group's next offset, or None if it has never committed one here."""
        return self._committed.get((group, self._check(partition)))

    def _check(self, partition: int) -> int:
        if type(partition) is not int or not 0 <= partition < self.partitions:
            raise ValueError(f"partition must be 0 to {self.partitions - 1}, not {partition!r}")
        return partition
# --8<-- [end:read]


# --8<-- [start:group]
def assign(partitions: int, members: list[str]) -> dict[str, list[int]]:
    """Give each partition to exactly one member (Kafka's range assignor, in short): members
    beyond the number of partitions get none and stay idle."""
    ordered = sorted(set(members))
    share, extra = divmod(partitions, len(ordered)) if ordered else (0, 0)
    plan, start = {}, 0
    for index, member in enumerate(ordered):
        count = share + (1 if index < extra else 0)
        plan[member] = list(range(start, start + count))
        start += count
    return plan


def poll(topic: Topic, group: str, owned: list[int], max_records: int = 100,
         auto_offset_reset: str = "latest", position: dict | None = None) -> list[Record]:
    """The next records of this member's partitions, from its own `position` (keep the dict
    between polls) or else the group's committed offset. Where neither is valid, Kafka's
    auto_offset_reset decides: "latest" (default), "earliest" (oldest kept) or "none" (error)."""
    if auto_offset_reset not in ("latest", "earliest", "none"):
        raise ValueError(f"auto_offset_reset must be latest, earliest or none, "
                         f"not {auto_offset_reset!r}")
    position, batch = {} if position is None else position, []
    for partition in owned:
        first, end = topic.first_offset(partition), topic.end_offset(partition)
        offset = position.get(partition, topic.committed(group, partition))
        if offset is None or not first <= offset <= end:
            if auto_offset_reset == "none":
                raise OffsetOutOfRange(f"group {group!r} has no valid offset for partition "
                                       f"{partition} (committed: {offset})")
            offset = first if auto_offset_reset == "earliest" else end
        records = topic.read(partition, offset, max_records)
        position[partition] = offset + len(records)  # as in Kafka: committed only by a commit
        batch += records
    return batch


def commit_batch(topic: Topic, group: str, batch: list[Record]) -> None:
    """After processing: commit, per partition, the offset after the last record handled."""
    for record in batch:
        topic.commit(group, record.partition, record.offset + 1)
# --8<-- [end:group]
