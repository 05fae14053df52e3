-- The same ideas in the products' own syntax. NOT run by the tests (neither TimescaleDB nor
-- InfluxDB is installed here): tests/examples/test_nosql_models.py only parses each statement
-- with sqlglot's PostgreSQL dialect. Syntax from the TimescaleDB 2.x API reference and the
-- InfluxDB 3 Core SQL reference.
-- --8<-- [start:timescaledb]
-- TimescaleDB, a PostgreSQL extension: the table is split into one chunk per day.
CREATE TABLE latency (ts timestamptz NOT NULL, route text NOT NULL, ms double precision NOT NULL);
SELECT create_hypertable('latency', by_range('ts', INTERVAL '1 day'));

SELECT time_bucket(INTERVAL '1 minute', ts) AS minute, count(*), avg(ms), max(ms)
FROM latency
WHERE route = '/api/v1/books' AND ts >= now() - INTERVAL '1 hour'
GROUP BY minute ORDER BY minute;

-- Retention: a background job drops whole chunks older than 7 days (no row-by-row DELETE).
SELECT add_retention_policy('latency', drop_after => INTERVAL '7 days');
-- --8<-- [end:timescaledb]

-- --8<-- [start:influxdb]
-- InfluxDB 3: the table "latency" is created by the first write; route is a tag, ms a field.
SELECT date_bin(INTERVAL '1 minute', time) AS minute, count(ms), avg(ms), max(ms)
FROM latency
WHERE route = '/api/v1/books' AND time >= now() - INTERVAL '1 hour'
GROUP BY 1 ORDER BY 1;
-- --8<-- [end:influxdb]
