"""HTTP/1.1 is text over TCP: this sends one request by hand and reads the answer.

Written with the standard library `socket` module on purpose: an HTTP client library
would hide exactly the bytes this sample is meant to show (RFC 9112).
Run: python -m web_protocols.raw_http 127.0.0.1 8001 /api/v1/books/1
"""

from __future__ import annotations

import argparse
import http.client
import io
import re
import socket
import sys
from http.client import HTTPMessage
from time import monotonic

MAX_RESPONSE_BYTES = 1024 * 1024  # a demo reads small answers; a real client streams
# An origin-form request target (RFC 9112, 3.2.1): "/" and visible ASCII, no spaces.
# A CR or LF here would let the caller smuggle extra header lines into the request.
TARGET = re.compile(r"/[!-~]*")
HOST = re.compile(r"[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:.]{2,45}")  # a name, IPv4 or IPv6


class ResponseTooLarge(Exception):
    """The answer is longer than MAX_RESPONSE_BYTES. raw_get raises it rather than return
    the first part, which would look like a complete answer."""


# --8<-- [start:raw_http_get]
def raw_get(host: str, port: int, path: str, timeout: float = 2.0) -> bytes:
    """Send a GET written by hand; return the whole raw answer, or raise ResponseTooLarge."""
    if not (HOST.fullmatch(host) and TARGET.fullmatch(path) and 0 < port < 65536):
        raise ValueError("host, port or path is not valid in a request line")
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # IPv6 in brackets
    request = (
        f"GET {path} HTTP/1.1\r\n"  # request line: method, target, version
        f"Host: {authority}\r\n"  # the one header HTTP/1.1 requires
        "Accept: application/json\r\n"
        "Connection: close\r\n"  # ask the server to close after answering
        "\r\n"  # an empty line ends the header section; GET has no body
    )
    deadline = monotonic() + timeout  # for the whole answer, not for each read
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(request.encode("ascii"))
        answer = bytearray()
        while True:
            left = deadline - monotonic()
            if left <= 0:  # a server sending a byte at a time must not hold us forever
                raise TimeoutError(f"no complete answer within {timeout} s")
            conn.settimeout(left)
            if not (chunk := conn.recv(4096)):  # the server closed: the answer is complete
                break
            answer += chunk
            if len(answer) > MAX_RESPONSE_BYTES:  # cut short, it would look complete
                raise ResponseTooLarge(f"the answer is more than {MAX_RESPONSE_BYTES} bytes")
    return bytes(answer)


def split_response(raw: bytes) -> tuple[str, HTTPMessage, bytes]:
    """Status line, header fields, body. The standard library parses the fields: names are
    case-insensitive; get_all() keeps Set-Cookie lines apart (never join them, RFC 9110, 5.3)."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, _, fields = head.partition(b"\r\n")
    try:
        headers = http.client.parse_headers(io.BytesIO(fields + b"\r\n\r\n"))
    except http.client.HTTPException as exc:  # more than 100 fields, a line too long
        raise ValueError(f"not a header section a client should accept: {exc!r}") from None
    return status_line.decode("iso-8859-1"), headers, body


# --8<-- [end:raw_http_get]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Send one hand-written HTTP/1.1 GET.")
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("path")
    args = parser.parse_args(argv)  # a port that is not a number: usage and exit 2
    try:
        raw = raw_get(args.host, args.port, args.path)
    except ValueError as exc:
        print(f"raw_http: {exc} — fix: e.g. 127.0.0.1 8001 /api/v1/books/1", file=sys.stderr)
        return 2
    except ResponseTooLarge as exc:
        where = f"{args.host}:{args.port}"
        fix = "fetch it with curl, which streams, or ask for a smaller resource"
        print(f"raw_http: {where}: {exc} — fix: {fix}", file=sys.stderr)
        return 1
    except OSError as exc:  # refused, unreachable, timed out (TimeoutError is an OSError)
        where = f"{args.host}:{args.port}"
        print(f"raw_http: {where}: {exc} — fix: start the server there", file=sys.stderr)
        return 1
    print(raw.decode("utf-8", errors="replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
