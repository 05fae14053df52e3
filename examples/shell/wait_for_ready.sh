#!/usr/bin/env bash
# After a deploy or restart: wait until the service is ready, or fail after a deadline.
# Usage: ./wait_for_ready.sh [URL] [SECONDS]
#        ./wait_for_ready.sh http://127.0.0.1:8001/readyz 30
# --8<-- [start:wait_for_ready]
set -euo pipefail

url="${1:-http://127.0.0.1:8001/readyz}"
seconds="${2:-30}"
if [[ ! $url =~ ^https?:// ]]; then
    echo "wait_for_ready.sh: \"$url\" is not an http(s) URL —" \
        "fix: pass one such as http://127.0.0.1:8001/readyz" >&2
    exit 2
fi
if [[ ! $seconds =~ ^[1-9][0-9]{0,3}$ ]]; then  # checked before bash does arithmetic with it
    echo "wait_for_ready.sh: \"$seconds\" is not a number of seconds — fix: use 1-9999" >&2
    exit 2
fi
deadline=$((SECONDS + seconds))  # SECONDS: bash's own seconds-since-start counter

# --: the URL is never an option. curl's error is kept, not printed every second.
until error=$(curl -fsS --max-time 2 -o /dev/null -- "$url" 2>&1); do
    if ((SECONDS >= deadline)); then
        echo "wait_for_ready.sh: not ready after ${seconds} s: $url (last error: $error) —" \
            "fix: read the service's log (journalctl -u 'bookstore@*' -n 50)" >&2
        exit 1
    fi
    sleep 1
done
echo "ready: $url"
# --8<-- [end:wait_for_ready]
