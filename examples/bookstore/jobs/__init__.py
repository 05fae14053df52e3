"""Background jobs: the outbox relay, a Redis-stream queue and its worker.

Run a worker next to the web service with `python -m bookstore.jobs worker`
(`python -m bookstore.jobs --help` lists the commands).
"""
