"""What a Python web framework stands on (WSGI, ASGI) and how FastAPI runs routes."""
