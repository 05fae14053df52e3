"""Samples for the Maintenance and Improvement page: code as it was before a refactoring,
kept so a test can prove the refactored code behaves the same."""
