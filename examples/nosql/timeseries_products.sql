-- The same ideas in the products' own syntax. NOT run by the tests (neither TimescaleDB nor
-- InfluxDB is installed here): tests/examples/test_nosql_models.py only parses each statement
-- with sqlglot's PostgreSQL dialect (after removing TimescaleDB's WITH (...) option lists,
-- which sqlglot does not know). Syntax from the Tiger Data docs for TimescaleDB 2.20 and later
-- and the InfluxDB 3 Core SQL reference, both read on 7 December 2026.
-- --8<-- [start:timescaledb]
-- TimescaleDB 2.20+, a PostgreSQL extension: a hypertable with one chunk per day of ts.
-- (2.13-2.19: CREATE TABLE without WITH, then
--  SELECT create_hypertable('latency', by_range('ts', INTERVAL '1 day'));)
CREATE TABLE latency (ts timestamptz NOT NULL, route text NOT NULL, ms double precision NOT NULL)
WITH (tsdb.hypertable, tsdb.partition_column = 'ts', tsdb.chunk_interval = '1 day');

SELECT time_bucket(INTERVAL '1 minute', ts) AS minute, count(*), avg(ms), max(ms)
FROM latency
WHERE route = '/api/v1/books' AND ts >= now() - INTERVAL '1 hour'
GROUP BY minute ORDER BY minute;

-- The roll-up: a continuous aggregate (sums and counts, as in timeseries.py), refreshed by a
-- background job every minute for the last hour of raw rows.
CREATE MATERIALIZED VIEW latency_1m WITH (timescaledb.continuous) AS
SELECT time_bucket(INTERVAL '1 minute', ts) AS minute, route,
       count(*) AS requests, sum(ms) AS sum_ms, max(ms) AS max_ms
FROM latency GROUP BY minute, route;
SELECT add_continuous_aggregate_policy('latency_1m', start_offset => INTERVAL '1 hour',
       end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');

-- Retention: a background job drops whole raw chunks older than 7 days (no row-by-row
-- DELETE); latency_1m keeps its rows.
SELECT add_retention_policy('latency', drop_after => INTERVAL '7 days');

-- Days in Western Indonesian Time: without timezone, a day bucket starts at 00:00 UTC.
SELECT time_bucket(INTERVAL '1 day', minute, timezone => 'Asia/Jakarta') AS day,
       sum(requests) AS requests, sum(sum_ms) / sum(requests) AS avg_ms
FROM latency_1m GROUP BY day ORDER BY day;
-- --8<-- [end:timescaledb]

-- --8<-- [start:influxdb]
-- InfluxDB 3: the table "latency" is created by the first write; route is a tag, ms a field.
SELECT date_bin(INTERVAL '1 minute', time) AS minute, count(ms), avg(ms), max(ms)
FROM latency
WHERE route = '/api/v1/books' AND time >= now() - INTERVAL '1 hour'
GROUP BY 1 ORDER BY 1;

-- Days in WIB: the origin 1969-12-31T17:00:00Z is midnight in UTC+7.
SELECT date_bin(INTERVAL '1 day', time, '1969-12-31T17:00:00Z') AS day, count(ms), avg(ms)
FROM latency GROUP BY 1 ORDER BY 1;
-- --8<-- [end:influxdb]
