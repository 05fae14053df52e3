#!/usr/bin/env bash
# Zero-downtime switch for nginx: send new requests to the bookstore instance(s) on the given
# port(s) once they are ready, and wait until nginx has finished every request it was still
# serving through the old configuration. Usage: sudo ./switch_upstream.sh PORT [PORT...]
# Exit status: 0 switched and drained; 1 nothing changed (not ready, runs another release
# than its link, nginx -t or the reload failed, interrupted before the reload took...); 2 bad
# input, nothing changed; 3 switched, but old workers still busy (drain timeout, or the wait
# was interrupted): do not stop the old instance yet.
# --8<-- [start:release_steps]
# Each release lives in a directory of its own, code and .venv, never changed after install:
#   /opt/bookstore/releases/v1.3.0/{examples,.venv}
# and each port has a link to the release it runs: bookstore@.service starts from
# /opt/bookstore/port-8001, port-8002... A running instance keeps the files it started with.
#
# A blue-green release: blue (port 8001) is live, green (8002) gets the new version.
#   sudo systemctl disable --now bookstore@8002  # green is not live: make sure it is stopped
#   sudo ln -sfn /opt/bookstore/releases/v1.3.0 /opt/bookstore/port-8002
#   sudo systemctl enable --now bookstore@8002   # green starts next to blue (and migrates)
#   sudo ./switch_upstream.sh 8002               # ready? -> write -> nginx -t -> reload -> drain
#   sudo systemctl disable --now bookstore@8001  # blue finishes its own requests and exits
# enable/disable, not start/stop: after a reboot, systemd starts the instance nginx points at.
# The next release goes to 8001 the same way. A link moved under a running instance changes
# nothing until it restarts: the script refuses to switch to it (see switch_ready).
# The worker and the sweep follow once the switch is done: bookstore-worker.service says how.
#
# Rollback, while the old code still works with the schema (the new release only added):
#   sudo systemctl enable --now bookstore@8001   # port-8001 still links to the old release
#   sudo ./switch_upstream.sh 8001 && sudo systemctl disable --now bookstore@8002
#
# Rolling, one instance at a time when both 8001 and 8002 are live: take 8001 out, stop it,
# move its link while it is stopped, start it, put both back; then the same for 8002.
#   sudo ./switch_upstream.sh 8002 && sudo systemctl stop bookstore@8001
#   sudo ln -sfn /opt/bookstore/releases/v1.3.0 /opt/bookstore/port-8001
#   sudo systemctl start bookstore@8001 && sudo ./switch_upstream.sh 8001 8002
#   sudo ./switch_upstream.sh 8001 && sudo systemctl stop bookstore@8002
#   sudo ln -sfn /opt/bookstore/releases/v1.3.0 /opt/bookstore/port-8002
#   sudo systemctl start bookstore@8002 && sudo ./switch_upstream.sh 8001 8002
# --8<-- [end:release_steps]
set -euo pipefail

upstream_file="${UPSTREAM_FILE:-/etc/nginx/bookstore-upstream.conf}"
nginx_conf="${NGINX_CONF:-/etc/nginx/nginx.conf}"
pid_file="${NGINX_PID:-/run/nginx.pid}"
releases="${RELEASE_LINKS:-/opt/bookstore}"  # where the port-8001, port-8002... links are
ready_timeout="${READY_TIMEOUT:-30}"  # seconds to wait for /readyz, and for nginx's new workers
drain_timeout="${DRAIN_TIMEOUT:-60}"  # seconds; longer than nginx's proxy_read_timeout

fail() {  # fail EXIT_STATUS WHAT HOW_TO_FIX
    echo "switch_upstream.sh: $2 — fix: $3" >&2
    exit "$1"
}

# --8<-- [start:switch_ready]
(($# > 0)) || fail 2 "no port given" "name the port(s) of the new instance(s), e.g. 8002"
for value in "$ready_timeout" "$drain_timeout"; do
    [[ $value =~ ^[1-9][0-9]{0,3}$ ]] ||
        fail 2 "timeout \"$value\" is not a number of seconds" "use 1-9999"
done
for port in "$@"; do
    if ! [[ $port =~ ^[1-9][0-9]{0,4}$ ]] || ((port > 65535)); then
        fail 2 "\"$port\" is not a TCP port" "use a number from 1 to 65535"
    fi
done
# Health check before switching: nginx never sends a request to an instance that is not
# ready (migrations applied, database reachable).
deadline=$((SECONDS + ready_timeout))
for port in "$@"; do
    until curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:${port}/readyz"; do
        ((SECONDS < deadline)) || fail 1 "127.0.0.1:${port} not ready after ${ready_timeout} s" \
            "read that instance's log (journalctl -u bookstore@${port}); nginx was not changed"
        sleep 1
    done
done
# The instance must run the release its port links to. `ln -sfn` under a running instance
# changes nothing until it restarts, and old code on a newer schema is "ready" by design.
for port in "$@"; do
    link="$releases/port-$port"
    [[ -e $link ]] || continue  # no per-port links on this machine: nothing to compare
    pid=$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d = -f 2 || true)
    [[ -n $pid ]] || fail 1 "cannot see which process listens on port $port" "run with sudo"
    running=$(readlink -f "/proc/$pid/cwd")
    [[ $running/ == "$(readlink -f "$link")"/* ]] || fail 1 "the instance on port $port runs \
$running, but $link links to $(readlink -f "$link")" "it was running when its link moved: \
restart bookstore@$port while nginx does not send to it, then run this again"
done
# --8<-- [end:switch_ready]

# --8<-- [start:switch_reload]
[[ -f $upstream_file ]] ||
    fail 1 "$upstream_file is missing" "install deploy/bookstore-upstream.conf there"
exec 9>>"${upstream_file}.lock"
flock -n 9 || fail 1 "another switch is running" "wait for it to finish, then run this again"
master=$(cat "$pid_file" 2>/dev/null || true)
# A stale pid file can name another live process: signal it only if it is nginx.
if ! [[ $master =~ ^[0-9]+$ ]] || [[ $(ps -o comm= -p "$master" || true) != nginx ]]; then
    fail 1 "nginx is not running (no nginx master process in $pid_file)" "start nginx first"
fi
kill -0 "$master" 2>/dev/null || fail 1 "not allowed to signal nginx ($master)" "run with sudo"
cp -p "$upstream_file" "${upstream_file}.previous"
# Ctrl-C, a closed SSH session or SIGTERM must not leave the new file behind for the next
# reload (certbot's deploy hook, say) to switch to without these checks.
put_back() {
    mv -f "${upstream_file}.previous" "$upstream_file"
    [[ -z ${hup_sent:-} ]] || kill -HUP "$master"  # it may have read the new file: reload
    fail 1 "interrupted before nginx ran the new upstream file" "the old one is back: run again"
}
trap put_back INT TERM HUP
printf 'server 127.0.0.1:%s;\n' "$@" >"${upstream_file}.new"
mv -f "${upstream_file}.new" "$upstream_file"  # a rename: no reader sees half a file
if ! nginx -q -t -c "$nginx_conf"; then
    mv -f "${upstream_file}.previous" "$upstream_file"
    fail 1 "nginx -t rejected the new configuration" "read its message above; nothing changed"
fi
# --8<-- [end:switch_reload]

# --8<-- [start:switch_drain]
# Reload = SIGHUP to the master (what `nginx -s reload` and `systemctl reload nginx` send):
# new workers take every new connection, the old ones finish their requests, then exit.
old_workers=$(pgrep -P "$master" || true)
hup_sent=1
kill -HUP "$master"
# A reload the master rejects (a file changed after nginx -t, say) keeps the old workers and
# starts none: wait for a worker that was not there before, or put the old file back.
deadline=$((SECONDS + ready_timeout))
until pgrep -P "$master" | grep -vxF -e "${old_workers:-none}" >/dev/null; do
    if ((SECONDS >= deadline)); then
        mv -f "${upstream_file}.previous" "$upstream_file"
        fail 1 "nginx started no new workers after the reload: it kept the old configuration" \
            "read nginx's error log (journalctl -u nginx); the old upstream file is back"
    fi
    sleep 0.2
done
# nginx runs the new file now: an interruption from here on only stops the waiting.
old_list=$(echo "$old_workers" | paste -sd ' ')
trap 'fail 3 "interrupted while old nginx workers drain: switched to $*" \
"do not stop the old instance yet: wait until ps -p \"$old_list\" shows none"' INT TERM HUP
# Drain: the switch is done when every old worker has exited.
echo "draining: waiting for old nginx workers $old_list"
deadline=$((SECONDS + drain_timeout))
for pid in $old_workers; do
    while ps -p "$pid" >/dev/null; do
        ((SECONDS < deadline)) || fail 3 "switched to $*, but old nginx worker $pid is still \
busy after ${drain_timeout} s" "do not stop the old instance yet: wait, then check with \
ps -p $pid (a long request or download)"
        sleep 0.2
    done
done
echo "live: $(tr '\n' ' ' <"$upstream_file")"
# --8<-- [end:switch_drain]
