"""Data-model samples for the databases skill page."""
