"""HTTP authentication schemes: Basic with bcrypt, JWT verification, SAML assertion checks."""
