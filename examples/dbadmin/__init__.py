"""Database administration samples for the database-management page: backups and the restore
drills that prove them (SQLite and PostgreSQL), least-privilege PostgreSQL roles, EXPLAIN ANALYZE
without side effects, and four ways to take stock when orders arrive at the same moment."""
