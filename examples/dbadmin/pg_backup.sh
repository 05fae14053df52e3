#!/usr/bin/env bash
# Nightly PostgreSQL backup and restore drill for the bookstore.
# Usage: ./pg_backup.sh backup_db DIR  |  ./pg_backup.sh restore_drill DUMP
# The connection comes from libpq's environment variables (PGHOST, PGUSER, PGDATABASE,
# PGPASSFILE ...), never from this file. tests/examples/test_dbadmin.py runs both functions
# against a throw-away PostgreSQL cluster.
set -euo pipefail

# --8<-- [start:pg_backup]
backup_db() {  # backup_db DIR: writes one dump and prints its path
  local file
  file="$1/bookstore-$(date -u +%Y%m%dT%H%M%SZ).dump"
  # A consistent snapshot of the whole database, compressed, restorable table by table.
  pg_dump --format=custom --file="$file.part" "$PGDATABASE"
  mv "$file.part" "$file"  # only a complete dump gets the final name
  echo "$file"
}
# --8<-- [end:pg_backup]

# --8<-- [start:pg_restore_drill]
restore_drill() {  # restore_drill DUMP: restore into a scratch database, then check it
  local dump=$1 scratch="drill_$$" books
  createdb "$scratch"
  # shellcheck disable=SC2064  # expand $scratch now: it is local to this function
  trap "dropdb --if-exists '$scratch'" EXIT  # the scratch copy never outlives the drill
  pg_restore --exit-on-error --no-owner --dbname="$scratch" "$dump"
  books=$(psql -X -At -d "$scratch" -c "SELECT count(*) FROM bookstore.books")
  if [ "$books" -eq 0 ]; then
    echo "drill FAILED: $dump holds no books" >&2
    return 1
  fi
  echo "drill ok: $books books restored from $dump"
}
# --8<-- [end:pg_restore_drill]

"$@"
