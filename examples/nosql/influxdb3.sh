#!/bin/sh
# Writing and querying latency.lp with the InfluxDB 3 Core CLI. NOT run by the tests (no
# InfluxDB here); tests/examples/test_nosql_models.py checks that it names the database, file
# and table the other listings use. Options from the influxdb3 CLI reference, read on
# 7 December 2026. Run from the repository root against a local `influxdb3 serve`.
set -eu
# --8<-- [start:cli]
# An admin token once (influxdb3 create token --admin); every command reads it from here.
export INFLUXDB3_AUTH_TOKEN="${INFLUXDB3_AUTH_TOKEN:?set it to your admin token}"

# Points older than 7 days stop being queryable. In Core the period is set at creation
# and cannot be changed later.
influxdb3 create database --retention-period 7d metrics

# The three points of latency.lp, timestamps in nanoseconds.
influxdb3 write --database metrics --precision ns --file examples/nosql/latency.lp

influxdb3 query --database metrics \
  "SELECT date_bin(INTERVAL '1 minute', time) AS minute, count(ms), avg(ms), max(ms)
   FROM latency WHERE route = '/api/v1/books' GROUP BY 1 ORDER BY 1"
# --8<-- [end:cli]
