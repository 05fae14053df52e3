"""Bookstore: the small, tested back-end service the handbook teaches with."""

__version__ = "1.0.0"
