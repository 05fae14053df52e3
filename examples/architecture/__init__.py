"""Architectural patterns on the bookstore: a module of a monolith behind an interface, the same
module extracted into a service, and what the network adds (the Architectural Patterns page)."""
