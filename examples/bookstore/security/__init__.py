"""Security building blocks: passwords, CSRF, rate limiting, response headers."""
