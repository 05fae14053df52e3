#!/usr/bin/env bash
# After a deploy or restart: wait until the service is ready, or fail after a deadline.
# Usage: ./wait_for_ready.sh [URL] [SECONDS]
#        ./wait_for_ready.sh http://127.0.0.1:8001/readyz 30
# --8<-- [start:wait_for_ready]
set -euo pipefail

url="${1:-http://127.0.0.1:8001/readyz}"
deadline=$((SECONDS + ${2:-30}))  # SECONDS: bash's own seconds-since-start counter

until curl -fsS --max-time 2 -o /dev/null "$url"; do
    if ((SECONDS >= deadline)); then
        echo "not ready after ${2:-30} s: $url" >&2
        exit 1
    fi
    sleep 1
done
echo "ready: $url"
# --8<-- [end:wait_for_ready]
