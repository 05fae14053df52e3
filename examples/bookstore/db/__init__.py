"""Data access: connections, migrations and the SQL for each table (repositories)."""
