#!/usr/bin/env bash
# The jq versions of debugging/read_logs.py (run from examples/):
#   ./debugging/read_logs.sh follow_request debugging/data/app.log 7c2e91d04a5b4f3e8a6d2c1b0e9f8a7d
#   ./debugging/read_logs.sh failures_by_endpoint debugging/data/app.log
set -euo pipefail

# --8<-- [start:jq_queries]
# LOG REQUEST_ID: every line of one request. `fromjson?` skips lines that are not JSON,
# `objects` skips JSON that is not an object, and lines without a text time are skipped too.
follow_request() {
    jq -cR --arg id "$2" 'fromjson? | objects | select((.time | type) == "string")
        | select(.request_id == $id)
        | {time, level, message, status,
           error: ((.exception // "") | tostring | split("\n") | last)}' "$1"
}

# LOG: 5xx answers per endpoint, most frequent first.
failures_by_endpoint() {
    jq -rR 'fromjson? | objects
        | select(.message == "request finished" and (.status | type) == "number"
                 and .status == (.status | floor) and .status >= 500 and .status < 600)
        | "\(.method) \(.path) \(.status)"' "$1" | sort | uniq -c | sort -rn
}
# --8<-- [end:jq_queries]

case "${1:-}:$#" in
    follow_request:3 | failures_by_endpoint:2) "$@" ;;
    *)
        echo "usage: $0 follow_request LOG REQUEST_ID | failures_by_endpoint LOG" >&2
        exit 2
        ;;
esac
