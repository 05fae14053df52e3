"""Design principles on the bookstore's orders: a value object, an aggregate, event sourcing,
a CQRS read model and a strategy (the Design and Development Principles page)."""
