#!/usr/bin/env bash
# The Kafka commands matching the log model in eventlog.py. NOT run by this book's tests: Kafka
# has no Debian package. Syntax per the Apache Kafka 4.4 documentation; run from the unpacked
# Kafka directory against a cluster of at least three brokers, one of them on localhost:9092
# (for a try on the single-broker quickstart, use --replication-factor 1 and leave out
# min.insync.replicas).
set -euo pipefail
# --8<-- [start:commands]
# A topic of 3 partitions, each copied to 3 brokers, kept 7 days (read or not); a write
# with acks=all succeeds only while at least 2 copies are in sync
bin/kafka-topics.sh --bootstrap-server localhost:9092 --create --topic bookstore.orders \
  --partitions 3 --replication-factor 3 \
  --config retention.ms=604800000 --config min.insync.replicas=2

# Keyed records from standard input, one "key:value" per line (order-7:created): the key
# picks the partition; acks=all (the default since Kafka 3.0) waits for every in-sync copy
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic bookstore.orders \
  --reader-property parse.key=true --reader-property key.separator=: \
  --command-property acks=all

# Where the billing group is: committed offset, log-end offset and lag per partition
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group billing

# Replay: move the (stopped) group back to offset 4 of partition 0; without --execute it
# only prints the plan
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --group billing \
  --topic bookstore.orders:0 --reset-offsets --to-offset 4 --execute
# --8<-- [end:commands]
