"""Buggy code kept on purpose so the handbook can show a bug next to its fix. Never imported
by the service; tests prove each bug and its regression test."""
