"""Measuring performance: latency percentiles and throughput of an HTTP endpoint."""
