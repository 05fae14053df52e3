"""Small, tested samples for the Web Protocols and Standards page: a raw HTTP/1.1
exchange over a socket, the PKCE values of OAuth 2.0, and a CORS policy."""
