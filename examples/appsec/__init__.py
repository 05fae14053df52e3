"""Tested samples for the Application Security page: logging security events, and a
CI workflow that audits dependencies for known vulnerabilities."""
