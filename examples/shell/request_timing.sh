#!/usr/bin/env bash
# How long each step of one HTTPS request takes: DNS, TCP, TLS, then the server's answer.
# Usage: ./request_timing.sh URL [CURL_OPTION...]
#        ./request_timing.sh https://bookstore.example/api/v1/books
#        ./request_timing.sh https://bookstore.example:8443/api/v1/books \
#            --cacert cert.pem --resolve bookstore.example:8443:127.0.0.1
set -euo pipefail

if [[ $# -lt 1 || ! ${1:-} =~ ^https?:// ]]; then
    echo "request_timing.sh: \"${1:-}\" is not an http(s) URL —" \
        "fix: pass one such as https://bookstore.example/api/v1/books" >&2
    exit 2
fi
url=$1
shift
# --8<-- [start:timing]
# Each time is in seconds since the request started, so each includes the steps before it.
# -sS: quiet but show errors; -o /dev/null: drop the body; --max-time: never hang.
format='dns        %{time_namelookup}
tcp        %{time_connect}
tls        %{time_appconnect}
first byte %{time_starttransfer}
total      %{time_total}
HTTP/%{http_version} %{response_code}
'
# On a failure curl prints its error and the script stops with curl's exit code (set -e),
# so no line of zeros is ever shown as if it were a measurement.
times=$(curl -sS -o /dev/null --max-time 10 "$@" --write-out "$format" -- "$url")
echo "$times"
# --8<-- [end:timing]
