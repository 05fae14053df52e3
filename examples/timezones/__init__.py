"""Time zones at the edges of an API: Indonesian local time for people, UTC for the service,
and the column types that keep an instant an instant (skills/apis, "Time and Time Zones")."""
