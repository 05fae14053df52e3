"""Document, wide-column and graph models and tunable consistency (topics/nosql-databases).

MongoDB, Cassandra and Neo4j do not run here: the PyMongo code runs on mongomock, the quorum and
wide-column rules on small models, and the graph query in SQLite. The CQL and Cypher files are
checked against those models, not executed.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import mongomock
import pytest
import sqlglot
from nosql.document import order_document
from nosql.mongo import create_indexes, move_customer, orders_of, orders_with_book, reserve
from nosql.quorum import Cluster, Unavailable, WriteTimeout, needed
from nosql.timeseries import SCHEMA, per_minute, roll_up
from nosql.wide_column import QueryRefused, WideTable

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def db():
    """The four sample orders of sql/schema.sql as documents, and three books with ISBNs."""
    sql = sqlite3.connect(":memory:")
    sql.executescript((EXAMPLES / "sql" / "schema.sql").read_text(encoding="utf-8"))
    mongo = mongomock.MongoClient()["bookstore"]
    mongo.orders.insert_many([order_document(sql, order_id) for order_id in (1, 2, 3, 4)])
    mongo.books.insert_many([
        {"isbn": "9789799731234", "title": "Bumi Manusia", "stock": 5},
        {"isbn": "9789793062792", "title": "Laskar Pelangi", "stock": 12},
        {"isbn": "9786020332956", "title": "Sang Pemimpi", "stock": 0},
    ])
    create_indexes(mongo)
    sql.close()
    return mongo


# --8<-- [start:mongo_test]
def test_queries_reach_into_embedded_documents_and_arrays(db):
    assert [o["_id"] for o in orders_of(db, "ana@example.com")] == [
        "order:4", "order:2", "order:1"]  # newest first
    assert orders_of(db, "ana@example.com")[-1] == {
        "_id": "order:1", "ordered_at": "2026-03-01",
        "items": [{"title": "Bumi Manusia"}, {"title": "Laskar Pelangi"}]}  # projection
    assert orders_with_book(db, "Bumi Manusia", since="2026-03-10") == ["order:4"]


def test_an_operator_as_the_email_is_refused_not_run(db):
    attack = {"$ne": None}  # what a JSON body {"email": {"$ne": null}} decodes to
    assert len(list(db.orders.find({"customer.email": attack}))) == 4  # every order leaks
    with pytest.raises(ValueError, match="email must be a string"):
        orders_of(db, attack)


def test_reserve_checks_and_changes_stock_in_one_update(db):
    assert reserve(db, "9789799731234", 5) is True
    assert reserve(db, "9789799731234", 1) is False  # none left: nothing changes
    assert db.books.find_one({"isbn": "9789799731234"})["stock"] == 0
    assert reserve(db, "0000000000000", 1) is False  # unknown ISBN


def test_a_unique_index_refuses_a_second_book_with_the_same_isbn(db):
    with pytest.raises(mongomock.DuplicateKeyError):
        db.books.insert_one({"isbn": "9789799731234", "title": "Copy", "stock": 1})


# --8<-- [end:mongo_test]


def test_the_index_matches_the_query_it_serves(db):
    keys = [index["key"] for index in db.orders.index_information().values()]
    assert [("customer.email", 1), ("ordered_at", -1)] in keys
    assert [("items.title", 1), ("ordered_at", -1)] in keys  # orders_with_book (multikey)


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True, "2", None, 2**63, 10**30])
def test_reserve_refuses_a_quantity_that_is_not_a_positive_integer(db, quantity):
    # 2**63 and 10**30: BSON stores at most 8-byte integers; PyMongo would raise OverflowError
    with pytest.raises(ValueError, match="positive integer"):
        reserve(db, "9789793062792", quantity)
    assert db.books.find_one({"isbn": "9789793062792"})["stock"] == 12


@pytest.mark.parametrize("email", ["", "a", "x" * 255, 42, ["ana@example.com"], None])
def test_orders_of_refuses_odd_emails(db, email):
    with pytest.raises(ValueError):
        orders_of(db, email)


ATTACKS = [{"$ne": None}, {"$gt": ""}, {"$regex": "."}]  # what JSON objects decode to


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_operator_in_any_client_value_is_refused_and_changes_nothing(db, attack):
    before = {"orders": list(db.orders.find()), "books": list(db.books.find())}
    for call in (lambda: orders_with_book(db, attack, since="2026-01-01"),
                 lambda: orders_with_book(db, "Bumi Manusia", since=attack),
                 lambda: reserve(db, attack, 1),
                 lambda: move_customer(db, attack, "Jakarta"),
                 lambda: move_customer(db, "ana@example.com", attack)):
        with pytest.raises(ValueError):
            call()
    assert {"orders": list(db.orders.find()), "books": list(db.books.find())} == before


@pytest.mark.parametrize("call", [
    lambda db: orders_with_book(db, "", since="2026-01-01"),
    lambda db: orders_with_book(db, "x" * 201, since="2026-01-01"),
    lambda db: orders_with_book(db, "Bumi Manusia", since="10 March"),
    lambda db: orders_with_book(db, "Bumi Manusia", since="2026-02-30"),
    lambda db: reserve(db, "978979973123", 1),  # 12 digits
    lambda db: reserve(db, "97897997312345", 1),
    lambda db: reserve(db, "978979973123X", 1),
    lambda db: reserve(db, "９７８９７９９７３１２３４", 1),  # full-width digits pass str.isdigit()
    lambda db: move_customer(db, "ana@example.com", ""),
    lambda db: move_customer(db, "ana@example.com", "x" * 101),
    lambda db: move_customer(db, None, "Jakarta"),
])
def test_odd_titles_dates_isbns_and_cities_are_value_errors(db, call):
    with pytest.raises(ValueError):
        call(db)


def test_moving_a_customer_rewrites_every_embedded_copy(db):
    assert move_customer(db, "ana@example.com", "Jakarta") == 3
    cities = {o["customer"]["city"] for o in db.orders.find({"customer.email": "ana@example.com"})}
    assert cities == {"Jakarta"}


# --8<-- [start:quorum_test]
def test_a_quorum_is_a_majority():
    assert [needed("QUORUM", n) for n in (1, 2, 3, 4, 5)] == [1, 2, 2, 3, 3]


def test_a_write_at_one_can_be_read_stale_until_repair():
    cluster = Cluster(3)
    cluster.write("stock:bumi-manusia", "5", "ALL", reached={0, 1, 2})
    cluster.write("stock:bumi-manusia", "4", "ONE", reached={0})  # W = 1
    assert cluster.read("stock:bumi-manusia", "ONE", asked={2}) == "5"  # R = 1: stale
    assert cluster.read("stock:bumi-manusia", "QUORUM", asked={1, 2}) == "5"  # 2 + 1 = 3: stale
    cluster.repair()  # eventual consistency: later, every replica has the newest value
    assert cluster.read("stock:bumi-manusia", "ONE", asked={2}) == "4"


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_r_plus_w_above_n_never_reads_stale_and_at_or_below_n_can(n):
    for w, r in itertools.product(range(1, n + 1), repeat=2):
        stale_seen = False
        for written in itertools.combinations(range(n), w):  # every possible write set ...
            for asked in itertools.combinations(range(n), r):  # ... and read set
                cluster = Cluster(n)
                cluster.write("k", "old", "ALL", reached=range(n))
                cluster.write("k", "new", "ONE", reached=written)
                stale_seen |= cluster.read("k", "ONE", asked=asked) == "old"
        assert stale_seen == (r + w <= n), (n, w, r)


# --8<-- [end:quorum_test]


# --8<-- [start:failed_write_test]
def test_a_failed_write_is_not_rolled_back():
    cluster = Cluster(3)
    cluster.write("k", "old", "ALL", reached={0, 1, 2})
    with pytest.raises(WriteTimeout, match="QUORUM needs 2 of 3 acks, got 1"):
        cluster.write("k", "new", "QUORUM", reached={0})
    assert cluster.read("k", "QUORUM", asked={0, 1}) == "new"  # the "failed" write is visible
    assert cluster.read("k", "QUORUM", asked={1, 2}) == "old"


# --8<-- [end:failed_write_test]


def test_a_read_with_too_few_replicas_is_unavailable():
    with pytest.raises(Unavailable, match="ALL needs 3 of 3, got 2"):
        Cluster(3).read("k", "ALL", asked={0, 1})


@pytest.mark.parametrize("bad", [
    lambda: needed("TWO_THIRDS", 3),
    lambda: needed("ONE", 0),
    lambda: needed("ONE", True),
    lambda: Cluster(3).write("k", "v", "ONE", reached={3}),
    lambda: Cluster(3).read("k", "ONE", asked="0"),
    lambda: Cluster(-1),
    lambda: needed(["ONE"], 3),  # unhashable: was a TypeError
    lambda: Cluster(3).read("k", "ONE", asked=None),
    lambda: Cluster(3).write("k", "v", "ONE", reached=[0.0]),  # 0.0 == 0, but not a replica id
    lambda: Cluster(3).write("k", "v", "ONE", reached=[True]),
])
def test_bad_levels_sizes_and_replica_ids_are_value_errors(bad):
    with pytest.raises(ValueError):
        bad()


def test_an_unknown_level_stores_nothing():
    cluster = Cluster(3)
    with pytest.raises(ValueError, match="unknown consistency level"):
        cluster.write("k", "v", "EVERY", reached={0, 1, 2})
    assert cluster.read("k", "ALL", asked={0, 1, 2}) is None


def orders_table() -> WideTable:
    """The model of orders_by_customer.cql."""
    return WideTable(partition_key=("customer_email",),
                     clustering=(("ordered_at", "DESC"), ("order_id", "ASC")))


# --8<-- [start:wide_test]
def test_one_partition_comes_back_in_clustering_order_and_others_are_refused():
    table = orders_table()
    for order_id, email, ordered_at in [("order:1", "ana@example.com", "2026-03-01"),
                                        ("order:2", "ana@example.com", "2026-03-15"),
                                        ("order:3", "budi@example.com", "2026-03-20"),
                                        ("order:4", "ana@example.com", "2026-04-02")]:
        table.insert({"customer_email": email, "ordered_at": ordered_at, "order_id": order_id})
    ana = table.select({"customer_email": "ana@example.com"}, since="2026-03-10")
    assert [row["order_id"] for row in ana] == ["order:4", "order:2"]  # newest first
    with pytest.raises(QueryRefused, match="name the partition"):
        table.select({"order_id": "order:3"})  # not the partition key: every node would scan


# --8<-- [end:wide_test]


def test_an_insert_with_the_same_primary_key_replaces_the_row():
    table = orders_table()
    row = {"customer_email": "a@example.com", "ordered_at": "2026-03-01", "order_id": "o1"}
    table.insert({**row, "total_cents": 1})
    table.insert({**row, "total_cents": 2})
    assert table.select({"customer_email": "a@example.com"}) == [{**row, "total_cents": 2}]


@pytest.mark.parametrize("limit", [0, -1, 1.5, True, None])
def test_a_limit_that_is_not_a_positive_integer_is_a_value_error(limit):
    table = orders_table()  # CQL rejects LIMIT 0; a slice [:-1] would drop the last row
    with pytest.raises(ValueError, match="limit"):
        table.select({"customer_email": "a@example.com"}, limit=limit)


def test_an_unhashable_partition_value_is_a_value_error():
    with pytest.raises(ValueError, match="partition key"):
        orders_table().select({"customer_email": ["a@example.com"]})


@pytest.mark.parametrize("bad", [
    {"customer_email": "a@example.com", "ordered_at": 5, "order_id": "o9"},  # 5 vs "2026-03-01"
    {"customer_email": ["a@example.com"], "ordered_at": "2026-03-02", "order_id": "o9"},
    {"customer_email": "a@example.com", "ordered_at": "2026-03-02", "order_id": ["o9"]},
    None,
    [("customer_email", "a@example.com")],
])
def test_a_bad_insert_is_a_value_error_and_leaves_the_partition_unchanged(bad):
    table = orders_table()
    row = {"customer_email": "a@example.com", "ordered_at": "2026-03-01", "order_id": "o1"}
    table.insert(row)
    with pytest.raises(ValueError):
        table.insert(bad)
    assert table.partitions == {("a@example.com",): [row]}
    assert table.select({"customer_email": "a@example.com"}, since="2026-01-01") == [row]


def test_a_since_of_another_type_is_a_value_error():
    table = orders_table()
    table.insert({"customer_email": "a@example.com", "ordered_at": "2026-03-01", "order_id": "o1"})
    with pytest.raises(ValueError, match="since"):
        table.select({"customer_email": "a@example.com"}, since=3)


@pytest.mark.parametrize("where", [None, ["customer_email"], "customer_email"])
def test_a_where_that_is_not_a_dict_is_a_value_error(where):
    with pytest.raises(ValueError, match="where"):
        orders_table().select(where)


def test_an_insert_without_its_primary_key_is_a_value_error():
    with pytest.raises(ValueError, match="primary key columns missing: ordered_at"):
        orders_table().insert({"customer_email": "a@example.com", "order_id": "o1"})


def test_the_model_uses_the_keys_the_cql_file_declares():
    cql = (EXAMPLES / "nosql" / "orders_by_customer.cql").read_text(encoding="utf-8")
    key = re.search(r"PRIMARY KEY \(\((\w+)\), (\w+), (\w+)\)", cql).groups()
    order = re.search(r"CLUSTERING ORDER BY \((\w+) (\w+), (\w+) (\w+)\)", cql).groups()
    table = orders_table()
    assert key == (*table.partition_key, *(column for column, _ in table.clustering))
    assert order == tuple(part for pair in table.clustering for part in pair)


REFERRALS = (EXAMPLES / "nosql" / "referrals.sql").read_text(encoding="utf-8")


def reach(email: str) -> list[tuple[str, int]]:
    """Run the file as the page shows it: the schema and rows, then the recursive query."""
    schema, query = REFERRALS.split("WITH RECURSIVE", 1)
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema)
    query = "WITH RECURSIVE" + query.split(";", 1)[0]
    try:
        return conn.execute(query, {"email": email}).fetchall()
    finally:
        conn.close()


# --8<-- [start:graph_test]
def test_the_recursive_query_walks_three_hops_and_survives_the_cycle():
    assert reach("ana@example.com") == [
        ("budi@example.com", 1), ("cita@example.com", 1),
        ("dewi@example.com", 2), ("eko@example.com", 3)]  # fajar is 4 hops away
    assert reach("eko@example.com") == [
        ("ana@example.com", 1), ("fajar@example.com", 1),
        ("budi@example.com", 2), ("cita@example.com", 2), ("dewi@example.com", 3)]


# --8<-- [end:graph_test]


def test_an_unknown_or_hostile_email_reaches_nobody():
    assert reach("nobody@example.com") == []
    assert reach("' OR 1=1 --") == []  # a parameter, never SQL text


def test_the_cypher_file_creates_the_same_edges_as_the_sql_file():
    cypher = (EXAMPLES / "nosql" / "referrals.cypher").read_text(encoding="utf-8")
    names = dict(re.findall(r"\((\w+):Customer \{email: '([^']+)'\}\)", cypher))
    cypher_edges = {(names[a], names[b]) for a, b in re.findall(r"\((\w+)\)-\[:REFERRED\]->\((\w+)\)",
                                                                 cypher)}
    sql_edges = set(re.findall(r"\('([^']+)', '([^']+)'\)", REFERRALS))
    assert cypher_edges == sql_edges and len(sql_edges) == 7


T0 = 1_796_637_600  # 2026-12-07 10:00:00 UTC, a whole minute
BOOKS = "/api/v1/books"


@pytest.fixture
def samples():
    conn = sqlite3.connect(":memory:", isolation_level=None)  # autocommit, like db.connection
    conn.executescript(SCHEMA)
    rows = [(T0 + 0, BOOKS, 12.5), (T0 + 1, BOOKS, 48.0), (T0 + 59, BOOKS, 20.0),  # 2 from latency.lp
            (T0 + 60, BOOKS, 30.0), (T0 + 61, "/api/v1/orders", 95.2), (T0 + 125, BOOKS, 7.0)]
    conn.executemany("INSERT INTO latency VALUES (?, ?, ?)", rows)
    yield conn
    conn.close()


# --8<-- [start:timeseries_test]
def test_rows_fall_into_minute_buckets(samples):
    assert per_minute(samples, BOOKS, T0, T0 + 180) == [
        (T0, 3, 26.8, 48.0), (T0 + 60, 1, 30.0, 30.0), (T0 + 120, 1, 7.0, 7.0)]


def test_the_roll_up_keeps_the_answer_and_drops_the_raw_rows(samples):
    assert roll_up(samples, before=T0 + 120) == 5  # raw rows of the first two minutes deleted
    assert per_minute(samples, BOOKS, T0, T0 + 180) == [(T0 + 120, 1, 7.0, 7.0)]
    kept = samples.execute("SELECT minute, requests, ROUND(sum_ms / requests, 1), max_ms"
                           " FROM latency_1m WHERE route = '/api/v1/books' ORDER BY minute").fetchall()
    assert kept == [(T0, 3, 26.8, 48.0), (T0 + 60, 1, 30.0, 30.0)]  # same numbers as before


def test_a_late_row_merges_into_its_rolled_up_minute(samples):
    roll_up(samples, before=T0 + 120)
    samples.execute("INSERT INTO latency VALUES (?, '/api/v1/books', 100.0)", (T0 + 5,))  # arrives late
    roll_up(samples, before=T0 + 120)
    assert samples.execute("SELECT requests, sum_ms, max_ms FROM latency_1m"
                           " WHERE route = '/api/v1/books' AND minute = ?", (T0,)).fetchone() == (
        4, 180.5, 100.0)  # an average of averages would be wrong; sums and counts merge


# --8<-- [end:timeseries_test]


@pytest.mark.parametrize("bad", [
    lambda c: per_minute(c, BOOKS, T0 + 60, T0),
    lambda c: per_minute(c, BOOKS, -1, T0),
    lambda c: per_minute(c, BOOKS, "0", T0),
    lambda c: per_minute(c, BOOKS, 1.5, T0),
    lambda c: roll_up(c, before=T0 + 30),
    lambda c: roll_up(c, before=True),
    lambda c: per_minute(c, BOOKS, T0, 10**30),  # beyond SQLite's 64-bit integers
    lambda c: per_minute(c, [BOOKS], T0, T0 + 60),
    lambda c: per_minute(c, "", T0, T0 + 60),
])
def test_bad_time_ranges_are_value_errors_and_change_nothing(samples, bad):
    with pytest.raises(ValueError):
        bad(samples)
    assert samples.execute("SELECT COUNT(*) FROM latency").fetchone() == (6,)


# --8<-- [start:rollup_failure_test]
def test_a_roll_up_that_fails_halfway_leaves_both_tables_as_they_were(samples):
    samples.execute("CREATE TRIGGER no_delete BEFORE DELETE ON latency"
                    " BEGIN SELECT RAISE(ABORT, 'disk full'); END")  # the second step fails
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        roll_up(samples, before=T0 + 120)
    assert samples.execute("SELECT COUNT(*) FROM latency_1m").fetchone() == (0,)
    assert samples.execute("SELECT COUNT(*) FROM latency").fetchone() == (6,)
    samples.execute("DROP TRIGGER no_delete")
    assert roll_up(samples, before=T0 + 120) == 5  # the retry counts each row once
    assert samples.execute("SELECT requests, sum_ms FROM latency_1m WHERE route = '/api/v1/books'"
                           " AND minute = ?", (T0,)).fetchone() == (3, 80.5)


# --8<-- [end:rollup_failure_test]


def test_a_roll_up_inside_an_open_transaction_is_refused(samples):
    samples.execute("BEGIN")
    with pytest.raises(ValueError, match="own transaction"):
        roll_up(samples, before=T0 + 120)
    samples.execute("ROLLBACK")


def test_a_negative_timestamp_is_refused_by_the_table(samples):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        samples.execute("INSERT INTO latency VALUES (-1, '/api/v1/books', 1.0)")  # % would put it in minute 0


@pytest.mark.parametrize("ts, ms", [
    (T0 + 1.5, 95.2),  # the third latency.lp point, not a whole second: a bucket x.5 otherwise
    ("abc", 1.0),  # text compares above every number in SQLite, so ts >= 0 alone lets it in
    (T0, float("inf")),
    (T0, -1.0),
    (T0, 86_400_001.0),  # more than a day
])
def test_a_timestamp_or_latency_of_the_wrong_type_or_range_is_refused(samples, ts, ms):
    with pytest.raises(sqlite3.IntegrityError):
        samples.execute("INSERT INTO latency VALUES (?, '/api/v1/orders', ?)", (ts, ms))
    assert samples.execute("SELECT COUNT(*) FROM latency").fetchone() == (6,)
    assert [m for m, *_ in per_minute(samples, "/api/v1/orders", T0, T0 + 180)] == [T0 + 60]


def test_a_hostile_route_is_a_parameter_not_sql(samples):
    assert per_minute(samples, "/api/v1/books' OR '1'='1", T0, T0 + 180) == []


def test_the_product_listings_parse_as_postgresql():
    text = (EXAMPLES / "nosql" / "timeseries_products.sql").read_text(encoding="utf-8")
    options = re.findall(r"WITH \(((?:tsdb|timescaledb)\.[^)]*)\)", text)
    assert options == ["tsdb.hypertable, tsdb.partition_column = 'ts', tsdb.chunk_interval = '1 day'",
                       "timescaledb.continuous"]
    text = re.sub(r"WITH \((?:tsdb|timescaledb)\.[^)]*\)", "", text)  # unknown to sqlglot
    statements = [s for s in sqlglot.parse(text, read="postgres")
                  if s is not None and not isinstance(s, sqlglot.exp.Semicolon)]  # trailing comment
    assert len(statements) == 8  # 2 CREATEs and 4 SELECTs for TimescaleDB, 2 SELECTs for InfluxDB
    parsed = " ".join(statement.sql("postgres") for statement in statements).lower()
    for function in ("time_bucket(", "add_continuous_aggregate_policy(", "add_retention_policy(",
                     "date_bin(", "timezone => 'asia/jakarta'"):
        assert function in parsed


def test_the_influxdb_commands_use_one_database_and_the_sample_file():
    script = (EXAMPLES / "nosql" / "influxdb3.sh").read_text(encoding="utf-8")
    commands = re.findall(r"^influxdb3 (create database|write|query)\b", script, flags=re.MULTILINE)
    assert commands == ["create database", "write", "query"]
    assert "--retention-period 7d metrics" in script
    assert re.findall(r"--database (\w+)", script) == ["metrics", "metrics"]
    sample = re.search(r"--file (\S+)", script).group(1)
    assert sample == "examples/nosql/latency.lp" and (EXAMPLES.parent / sample).is_file()
    assert "FROM latency " in script  # the table latency.lp writes


def test_the_cypher_depth_matches_the_sql_depth_limit():
    cypher = (EXAMPLES / "nosql" / "referrals.cypher").read_text(encoding="utf-8")
    assert re.search(r"-\[:REFERRED\]->\{1,(\d)\}", cypher).group(1) == "3"
    assert "WHERE reach.hops < 3" in REFERRALS  # the walk stops after its third hop
    assert "REQUIRE c.email IS UNIQUE" in cypher


# --8<-- [start:timezone_test]
WIB = timezone(timedelta(hours=7), "WIB")  # Western Indonesian Time: UTC+7, no summer time


def test_a_utc_day_bucket_starts_at_seven_in_the_morning_in_jakarta():
    def utc_day(ts: int) -> int:
        return ts - ts % 86400  # as `ts - ts % 60` does for minutes

    def wib_day(ts: int) -> int:
        return utc_day(ts + 7 * 3600) - 7 * 3600  # shift into WIB, bucket, shift back

    seven = 1_796_601_600  # 2026-12-07 07.00 WIB, midnight UTC
    six_59 = seven - 60
    assert datetime.fromtimestamp(seven, WIB) == datetime(2026, 12, 7, 7, 0, tzinfo=WIB)
    assert utc_day(six_59) != utc_day(seven)  # one Jakarta morning, two UTC days
    assert wib_day(six_59) == wib_day(seven)  # one WIB day ...
    assert datetime.fromtimestamp(wib_day(seven), WIB) == datetime(2026, 12, 7, tzinfo=WIB)


# --8<-- [end:timezone_test]


def test_the_line_protocol_sample_has_a_table_a_tag_a_field_and_nanoseconds():
    for line in (EXAMPLES / "nosql" / "latency.lp").read_text(encoding="utf-8").splitlines():
        table_and_tags, fields, timestamp = line.split(" ")
        assert table_and_tags.startswith("latency,route=/api/v1/")
        assert re.fullmatch(r"ms=\d+\.\d+", fields)
        assert T0 * 10**9 <= int(timestamp) < (T0 + 60) * 10**9
