"""HTTP/1.1 is text over TCP: this sends one request by hand and reads the answer.

Written with the standard library `socket` module on purpose: an HTTP client library
would hide exactly the bytes this sample is meant to show (RFC 9112).
Run: python -m web_protocols.raw_http 127.0.0.1 8001 /api/v1/books/1
"""

from __future__ import annotations

import socket
import sys


# --8<-- [start:raw_http_get]
def raw_get(host: str, port: int, path: str, timeout: float = 2.0) -> bytes:
    """Send a GET request written by hand; return the raw response bytes."""
    request = (
        f"GET {path} HTTP/1.1\r\n"  # request line: method, target, version
        f"Host: {host}:{port}\r\n"  # the one header HTTP/1.1 requires
        "Accept: application/json\r\n"
        "Connection: close\r\n"  # ask the server to close after answering
        "\r\n"  # an empty line ends the header section; GET has no body
    )
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(request.encode("ascii"))
        chunks = []
        while chunk := conn.recv(4096):  # read until the server closes
            chunks.append(chunk)
    return b"".join(chunks)


def split_response(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    """Status line, headers (names lower-cased: they are case-insensitive), body."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status_line, headers, body


# --8<-- [end:raw_http_get]


if __name__ == "__main__":  # pragma: no cover - a manual demo
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print(raw_get(host, port, path).decode("utf-8", errors="replace"))
