"""Samples for the testing-and-debugging page: a fake payment provider for tests, and a
small program that shows why float money goes wrong. Tests: tests/examples/test_testing_*.py."""
