"""Run the debugging examples and write what they print to debugging/output/.

    python -m debugging.record          # from examples/: refresh the files the page shows

tests/examples/test_debugging.py runs the same functions and compares, so the page never
shows output that the code no longer produces.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from debugging import bisect_demo

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent
OUTPUT = HERE / "output"
LOG = "debugging/data/app.log"
REQUEST_ID = "7c2e91d04a5b4f3e8a6d2c1b0e9f8a7d"


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, *args], cwd=EXAMPLES, env=env, text=True, capture_output=True, check=False
    )


def traceback_output() -> str:
    """The real traceback of the buggy import, with paths shown relative to examples/."""
    args = ("debugging/stock_import.py", "debugging/data/supplier-stock.csv")
    result = _run(*args)
    assert result.returncode == 1, result
    # Python prints absolute paths; the reader's machine has a different prefix anyway.
    stderr = result.stderr.replace(str(EXAMPLES) + os.sep, "")
    return f"$ python {' '.join(args)}\n{stderr}"


def fixed_output() -> str:
    """The fixed import on the supplier's file, then on a file with a line it must refuse."""
    parts = []
    for name in ("supplier-stock.csv", "supplier-stock-bad.csv"):
        args = ("debugging/stock_import.py", "--fixed", f"debugging/data/{name}")
        result = _run(*args)
        assert result.returncode == (0 if name == "supplier-stock.csv" else 1), result
        parts.append(f"$ python {' '.join(args)}\n{result.stdout}{result.stderr}")
    return "".join(parts)


def bisect_output() -> str:
    output = bisect_demo.run_demo()
    # git 2.39 ends "bisect found first bad commit" without a newline before the next message.
    output = output.replace("bisect found first bad commit", "bisect found first bad commit\n")
    return "$ python -m debugging.bisect_demo\n" + output


def logs_output(*args: str) -> str:
    result = _run("-m", "debugging.read_logs", LOG, *args)
    assert result.returncode == 0, result
    return f"$ python -m debugging.read_logs {LOG} {' '.join(args)}\n{result.stdout}"


OUTPUTS = {
    "traceback.txt": traceback_output,
    "fixed.txt": fixed_output,
    "bisect.txt": bisect_output,
    "logs-failures.txt": lambda: logs_output("--failures"),
    "logs-request.txt": lambda: logs_output("--request-id", REQUEST_ID),
    "logs-between.txt": lambda: logs_output("--between", "02:14:00", "02:14:32"),
}


def main() -> int:
    OUTPUT.mkdir(exist_ok=True)
    for name, produce in OUTPUTS.items():
        (OUTPUT / name).write_text(produce(), encoding="utf-8")
        print(f"wrote {(OUTPUT / name).relative_to(EXAMPLES)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
