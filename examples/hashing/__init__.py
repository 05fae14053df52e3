"""Hash functions for what they are good at, and scrypt for passwords (the Hash Functions page)."""
