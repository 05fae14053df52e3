"""The ORMs and Data Access page: a slice of the bookstore schema mapped with SQLAlchemy."""
