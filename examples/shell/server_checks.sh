#!/usr/bin/env bash
# Everyday server checks for the bookstore service, one function each.
# Run one:   ./server_checks.sh port_owner 8001
# Or source: source server_checks.sh && health http://127.0.0.1:8001/healthz
set -euo pipefail

# --8<-- [start:check_port]
# Which process listens on a TCP port? -l listening, -t TCP, -n numbers, -p process.
# (Without sudo, -p shows only your own processes.)
port_owner() {
    local port="${1:-8001}"
    if [[ ! $port =~ ^[1-9][0-9]{0,4}$ ]] || ((port > 65535)); then
        echo "port_owner: \"$port\" is not a TCP port — fix: pass 1-65535, such as 8001" >&2
        return 2
    fi
    ss -ltnp "sport = :${port}"
}
# --8<-- [end:check_port]

# --8<-- [start:curl_health]
# Ask the health endpoint: -f fails on HTTP errors, -sS is quiet but shows errors,
# --max-time never lets a hung server hang the check too.
health() {
    local url="${1:-http://127.0.0.1:8001/healthz}"
    curl -fsS --max-time 2 -- "$url"  # --: what follows is a URL, never an option
    echo
}

# Status line and headers only (-D - prints them, -o /dev/null drops the body).
headers() {
    local url="${1:-http://127.0.0.1:8001/api/v1/books/1}"
    curl -sS --max-time 2 -D - -o /dev/null -- "$url"
}
# --8<-- [end:curl_health]

# --8<-- [start:journal]
# Logs of the systemd service: follow live (-f), or the last hour's warnings and worse.
# UNIT defaults to 'bookstore@*', every instance of deploy/bookstore@.service (blue and green);
# pass bookstore@8002 for one of them.
follow_logs() {
    journalctl -u "${1:-bookstore@*}" -f -n 50
}

# -p filters by syslog priority. systemd's own messages about the unit (failed start, crash,
# restart) carry one; the app's stdout/stderr lines are all stored as info, so -p warning hides
# them: find the app's errors by the level inside its JSON (next function).
recent_problems() {
    journalctl -u "${1:-bookstore@*}" --since "1 hour ago" -p warning --no-pager
}

# The service logs one JSON object per line: -o cat prints just the message,
# jq keeps the errors and shows the request id of each.
errors_with_request_ids() {
    journalctl -u "${1:-bookstore@*}" --since today -o cat --no-pager |
        jq -c 'select(.level == "ERROR") | {time, request_id, message}'
}
# --8<-- [end:journal]

# --8<-- [start:service_control]
# Status of every instance, which one nginx sends requests to, and a safe reload of the proxy
# (test first). A release never restarts the live instance: see deploy/switch_upstream.sh.
service_status() {
    systemctl status "${1:-bookstore@*}" --no-pager
}

live_instance() {
    cat /etc/nginx/bookstore-upstream.conf  # written by switch_upstream.sh
}

reload_proxy() {
    sudo nginx -t && sudo systemctl reload nginx
}
# --8<-- [end:service_control]

# --8<-- [start:resources]
# Is the machine short of disk, memory or CPU?
resources() {
    df -h /          # disk: a full disk breaks databases and logs
    free -m          # memory in MiB: look at "available", not "free"
    uptime           # load averages for 1, 5 and 15 minutes vs the number of cores
    nproc
}
# --8<-- [end:resources]

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    # Run only the functions defined above, never an arbitrary command given as $1.
    if [[ $# -eq 0 ]] || ! declare -F "$1" >/dev/null; then
        echo "server_checks.sh: \"${1:-}\" is not one of its functions — fix: use one of:" \
            "$(compgen -A function | paste -sd ' ')" >&2
        exit 2
    fi
    "$@"
fi
