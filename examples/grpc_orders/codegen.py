"""Generate the Python messages and stubs from protos/*.proto with grpcio-tools.

Usage: python -m grpc_orders.codegen OUT_DIR   (then put OUT_DIR on PYTHONPATH)

The generated modules are build output, not source: they are not committed, so they can never
drift from the .proto, and they always match the protobuf runtime that is installed.
"""

import sys
from pathlib import Path

PROTO_DIR = Path(__file__).with_name("protos")


class CodegenError(Exception):
    """protoc rejected a .proto file; its own message went to stderr."""


# --8<-- [start:generate]
def generate(out_dir: Path, proto_dir: Path = PROTO_DIR) -> list[Path]:
    """Run protoc (bundled in grpcio-tools) on every .proto file of proto_dir."""
    from grpc_tools import protoc  # only needed to build, not to run the service

    out_dir.mkdir(parents=True, exist_ok=True)
    protos = sorted(p.name for p in proto_dir.glob("*.proto"))
    if not protos:
        raise CodegenError(f"{proto_dir}: no .proto files — fix: pass the folder that holds them")
    code = protoc.main([
        "grpc_tools.protoc",
        f"--proto_path={proto_dir}",
        f"--python_out={out_dir}",  # messages: orders_pb2.py
        f"--pyi_out={out_dir}",  # type hints for editors: orders_pb2.pyi
        f"--grpc_python_out={out_dir}",  # stub and servicer: orders_pb2_grpc.py
        *protos,
    ])
    if code != 0:
        raise CodegenError(f"{proto_dir}: protoc exited with {code} — fix: see its message above")
    return sorted(out_dir.glob("*_pb2*.py"))
# --8<-- [end:generate]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m grpc_orders.codegen OUT_DIR")
    try:
        for path in generate(Path(sys.argv[1])):
            print(path)
    except CodegenError as exc:
        sys.exit(str(exc))
    except OSError as exc:  # an output path that is a file, or under one
        sys.exit(f"{sys.argv[1]}: cannot write there ({exc.strerror}) — fix: give a directory"
                 " path you can write to")
