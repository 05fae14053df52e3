"""Debugging examples for the page skills/problem-solving-and-debugging.

- stock_import.py: a CSV import with a real bug, run as a script to get a real traceback;
- bisect_demo.py + bisect.sh + check_shipping.py: a small git history with one bad commit
  that `git bisect run` finds by itself;
- read_logs.py + read_logs.sh: following one request through JSON log lines.

`python -m debugging.record` (from examples/) runs them and refreshes debugging/output/,
which the page shows; tests/examples/test_debugging.py checks that output is current.
"""
