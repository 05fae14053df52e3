"""Scaling samples (examples/scaling/databases.py): each test proves what the Scaling Databases
page says about sharding, replica lag and the CAP trade-off. Keys and hashes are fixed, so the
counts below are the same on every machine."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from scaling.databases import (
    HashRing,
    Primary,
    Replica,
    ReplicatedRegister,
    Router,
    Unavailable,
    shard_by_modulo,
)
from scaling.processes import create_app, round_robin

KEYS = [f"order:{n}" for n in range(10_000)]


# --8<-- [start:sharding_test]
def test_adding_a_fifth_shard_moves_most_keys_with_modulo_and_few_with_a_ring():
    moved_modulo = sum(shard_by_modulo(k, 4) != shard_by_modulo(k, 5) for k in KEYS)
    four = HashRing(["s0", "s1", "s2", "s3"])
    five = HashRing(["s0", "s1", "s2", "s3", "s4"])
    moved_ring = sum(four.shard_for(k) != five.shard_for(k) for k in KEYS)
    # Fixed keys and SHA-256: the same counts on every machine, the ones the page quotes.
    assert moved_modulo == 7_990  # theory: 4/5 of the keys change shard
    assert moved_ring == 2_301  # theory: 1/5, all of them to the new shard
    assert all(five.shard_for(k) == "s4" for k in KEYS if four.shard_for(k) != five.shard_for(k))


def test_both_spread_keys_evenly_enough():
    counts = [0] * 4
    for key in KEYS:
        counts[shard_by_modulo(key, 4)] += 1
    assert max(counts) / min(counts) < 1.1
    ring = HashRing(["s0", "s1", "s2", "s3"])
    per_shard = {s: sum(ring.shard_for(k) == s for k in KEYS) for s in ["s0", "s1", "s2", "s3"]}
    assert max(per_shard.values()) / min(per_shard.values()) < 1.5  # 100 points per shard
# --8<-- [end:sharding_test]


# --8<-- [start:replication_test]
def test_a_lagging_replica_never_hides_a_users_own_write():
    primary, replica = Primary(), Replica()
    router = Router(primary, replica)
    first = primary.write("book:1:stock", "5")
    replica.catch_up(primary, first)
    mine = primary.write("book:1:stock", "4")  # the replica has not replayed this yet
    assert replica.rows["book:1:stock"] == "5"  # stale, as asynchronous replicas are
    assert router.read("book:1:stock", session_lsn=mine) == ("primary", "4")
    assert router.read("book:1:stock", session_lsn=first) == ("replica", "5")  # another user
    replica.catch_up(primary, mine)
    assert router.read("book:1:stock", session_lsn=mine) == ("replica", "4")
# --8<-- [end:replication_test]


# --8<-- [start:partition_test]
def test_a_partition_forces_a_choice_between_refusing_and_losing_a_write():
    cp = ReplicatedRegister("CP")
    cp.write(0, "stock=5", clock=100.0)
    cp.partitioned = True
    with pytest.raises(Unavailable):
        cp.write(1, "stock=4", clock=101.0)  # consistent: both nodes still say stock=5
    assert cp.read(0) == cp.read(1) == "stock=5"

    ap = ReplicatedRegister("AP")
    ap.write(0, "stock=5", clock=100.0)
    ap.partitioned = True
    ap.write(0, "stock=4", clock=101.0)  # available: each side accepts its own write ...
    ap.write(1, "stock=3", clock=102.0)
    assert (ap.read(0), ap.read(1)) == ("stock=4", "stock=3")  # ... and they disagree
    ap.heal()
    assert ap.read(0) == ap.read(1) == "stock=3"  # last writer wins: stock=4 is lost


def test_with_a_skewed_clock_the_earlier_write_wins():
    # Each node stamps with its own wall clock. Node 0's runs 5 s fast, so its write made
    # first (real time 101, stamped 106) beats node 1's later one (real time 102).
    ap = ReplicatedRegister("AP")
    ap.write(0, "stock=5", clock=100.0)
    ap.partitioned = True
    ap.write(0, "stock=4", clock=106.0)
    ap.write(1, "stock=3", clock=102.0)
    ap.heal()
    assert ap.read(0) == ap.read(1) == "stock=4"  # the later write, stock=3, is lost
# --8<-- [end:partition_test]


@pytest.mark.parametrize("shards, points", [([], 100), (["s0"], 0)])
def test_a_ring_without_points_is_refused(shards, points):
    # Regression: HashRing([]) failed later, in shard_for, with ZeroDivisionError.
    with pytest.raises(ValueError, match="at least one"):
        HashRing(shards, points_per_shard=points)


def test_a_replica_cannot_catch_up_to_a_negative_position():
    # Regression: catch_up(p, -1) applied rows (log[0:-1]) without moving `applied`.
    primary, replica = Primary(), Replica()
    primary.write("a", "1")
    primary.write("b", "2")
    with pytest.raises(ValueError, match="log position"):
        replica.catch_up(primary, -1)
    assert (replica.rows, replica.applied) == ({}, 0)


def test_login_refuses_an_empty_or_huge_user_name():
    client = TestClient(create_app({}))
    for user in ("", "x" * 65):
        assert client.post("/login", params={"user": user}).status_code == 422


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="CP or AP"):
        ReplicatedRegister("CA")


# --8<-- [start:horizontal_test]
def test_a_second_process_works_only_when_state_is_shared():
    # Each process with its own memory: the login lands on one, the next request on the other.
    alone = round_robin([create_app({}), create_app({})])
    token = TestClient(next(alone)).post("/login", params={"user": "ani"}).json()["token"]
    assert TestClient(next(alone)).get("/me", headers={"X-Token": token}).status_code == 401

    # The same two processes with one shared store (in the bookstore, the sessions table).
    shared: dict[str, str] = {}
    together = round_robin([create_app(shared), create_app(shared)])
    token = TestClient(next(together)).post("/login", params={"user": "ani"}).json()["token"]
    assert TestClient(next(together)).get("/me", headers={"X-Token": token}).json() == \
        {"user": "ani"}
# --8<-- [end:horizontal_test]
