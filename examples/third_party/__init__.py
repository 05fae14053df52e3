"""Tested samples for the Third-Party Integration page: a circuit breaker, and checking
the notifications of two Indonesian payment gateways the way their documentation says."""
