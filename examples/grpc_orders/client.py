"""Calling the order service: an insecure channel for loopback tests, TLS for everything else."""

import grpc


# --8<-- [start:channels]
def loopback_channel(port: int) -> grpc.Channel:
    """Plaintext HTTP/2 (h2c): only for a server on this machine, as in the tests."""
    return grpc.insecure_channel(f"127.0.0.1:{port}")


def tls_channel(target: str, ca_pem: bytes | None = None) -> grpc.Channel:
    """TLS with the server's certificate checked against ca_pem.

    ca_pem=None means gRPC's default roots: the file named in GRPC_DEFAULT_SSL_ROOTS_FILE_PATH,
    else the public CAs bundled with grpcio, NOT the operating system's store. For an internal
    CA, pass its certificate. target is "host:port"; the host must be a name in the certificate.
    """
    credentials = grpc.ssl_channel_credentials(root_certificates=ca_pem)
    return grpc.secure_channel(target, credentials)
# --8<-- [end:channels]
