"""Scaling a database in miniature: sharding by modulo and by a consistent-hash ring, reads from a
lagging replica, and a replicated register under a partition (the Scaling Databases page)."""
