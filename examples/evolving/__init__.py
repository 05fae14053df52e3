"""Evolving a running architecture: a strangler-fig router and a sidecar-style proxy."""
