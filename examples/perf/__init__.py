"""Measuring and profiling performance: latency percentiles and throughput of an HTTP endpoint
(latency.py), and a slow endpoint with its profiles and its fix (sales_report.py,
profile_report.py)."""
