"""Database administration samples for the database-management page: backups, the
restore drill that proves them, and least-privilege database roles."""
