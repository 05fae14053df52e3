"""Calls to other services (third-party APIs)."""
