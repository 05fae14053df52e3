"""Staying up under load and partial failure: one computation for many concurrent misses, a page
that works without an optional dependency, and a bounded intake that says "later" instead of
drowning (the Resilience Under Load page)."""
