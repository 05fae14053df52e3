"""Errors of the business rules. They know nothing about HTTP: bookstore.api.problems maps
each one to a status code and an RFC 9457 problem details body."""


# --8<-- [start:domain_errors]
class DomainError(Exception):
    """Base class; the message is safe to show to the client."""


class NotFound(DomainError):
    pass


class OutOfStock(DomainError):
    def __init__(self, book_id: int) -> None:
        super().__init__(f"Book {book_id} does not have enough copies in stock.")
        self.book_id = book_id


class EmailTaken(DomainError):
    pass


class InvalidCredentials(DomainError):
    pass


class IdempotencyKeyReused(DomainError):
    pass


class InvalidSignature(DomainError):
    pass


# --8<-- [end:domain_errors]
