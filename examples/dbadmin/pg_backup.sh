#!/usr/bin/env bash
# Nightly PostgreSQL backup, restore drill and restore for the bookstore.
# Usage: pg_backup.sh backup_db DIR | restore_drill DUMP | restore DUMP
# The connection comes from libpq's environment variables (PGHOST, PGUSER, PGDATABASE,
# PGPASSFILE ...), never from this file. tests/examples/test_dbadmin.py runs every function
# against throw-away PostgreSQL clusters, one of them without the bookstore's roles.
set -euo pipefail

fail() {  # fail WHAT FIX: one line on stderr, then stop
  echo "pg_backup.sh: $1 — fix: $2" >&2
  exit 2
}

# --8<-- [start:pg_backup]
backup_db() {  # backup_db DIR: writes one dump and prints its path
  [ -d "${1:-}" ] || fail "backup_db: '${1:-}' is not a directory" "create it, or pass another"
  local file part
  file="$1/bookstore-$(date -u +%Y%m%dT%H%M%SZ).dump"
  part="$file.$$.part"
  umask 077  # the dump holds personal data: readable by its owner only
  # shellcheck disable=SC2064  # expand $part now: it is local to this function
  trap "rm -f $(printf %q "$part")" EXIT  # a failed dump leaves nothing behind
  # A consistent snapshot of one database, compressed, restorable table by table.
  pg_dump --format=custom --file="$part" "${PGDATABASE:?set PGDATABASE to the database}"
  mv "$part" "$file"  # only a complete dump gets the final name
  echo "$file"
}
# --8<-- [end:pg_backup]

# --8<-- [start:pg_restore_drill]
restore_drill() {  # restore_drill DUMP: restore into a scratch database, then check it
  [ -f "${1:-}" ] || fail "restore_drill: no dump at '${1:-}'" "pass the path backup_db printed"
  local dump=$1 scratch="drill_$$" books
  createdb "$scratch"
  # shellcheck disable=SC2064  # expand $scratch now: it is local to this function
  trap "dropdb --if-exists '$scratch'" EXIT  # the scratch copy never outlives the drill
  # The drill checks the data, on any server: owners and grants name roles that a
  # drill server may not have, so they are left out (restore keeps them).
  pg_restore --exit-on-error --no-owner --no-privileges --dbname="$scratch" "$dump"
  books=$(psql -X -At -d "$scratch" -c "SELECT count(*) FROM bookstore.books")
  if [ "$books" -eq 0 ]; then
    echo "drill FAILED: $dump holds no books" >&2
    return 1
  fi
  echo "drill ok: $books books restored from $dump"
}
# --8<-- [end:pg_restore_drill]

# --8<-- [start:pg_restore]
restore() {  # restore DUMP: into the empty database $PGDATABASE that roles.sql created
  [ -f "${1:-}" ] || fail "restore: no dump at '${1:-}'" "pass the path backup_db printed"
  # One transaction: the restore is complete, or the database stays empty.
  pg_restore --exit-on-error --single-transaction \
    --dbname="${PGDATABASE:?set PGDATABASE to the empty target database}" "$1" ||
    fail "restore of $1 failed (see above)" \
      "if a role does not exist, run roles.sql on this server first, then restore again"
  echo "restored $1 into $PGDATABASE, with its owners and grants"
}
# --8<-- [end:pg_restore]

case "${1:-}" in
  backup_db | restore_drill | restore) "$@" ;;
  *) fail "unknown command '${1:-}'" "use backup_db DIR, restore_drill DUMP or restore DUMP" ;;
esac
