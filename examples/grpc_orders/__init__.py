"""gRPC example: the bookstore's order service as a .proto contract with a Python server."""
