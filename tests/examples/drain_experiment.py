"""Experiment: why switch_upstream.sh drains. The same blue-green switch as in test_deploy.py,
but blue is stopped right after nginx's reload instead of after nginx's old workers have exited.
Prints how many requests failed in each run. An experiment, not a test: how many requests land in
the gap depends on the machine, so it reports counts instead of asserting them.

Run: .venv/bin/python tests/examples/drain_experiment.py [RUNS]   (needs nginx, like test_deploy.py)
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for `support`

import test_deploy  # after the path is set


def one_run() -> tuple[int, Counter]:
    with tempfile.TemporaryDirectory(prefix="drain-") as directory:
        stack = test_deploy.Stack(Path(directory))
        try:
            blue = stack.instance()
            stack.start_nginx(blue)
            with test_deploy.Traffic(stack.url, ca=stack.directory / "cert.pem") as traffic:
                traffic.wait_for(20)
                green = stack.instance()
                stack.upstream.write_text(f"server 127.0.0.1:{green.port};\n", encoding="utf-8")
                master = int((stack.directory / "nginx.pid").read_text(encoding="utf-8"))
                os.kill(master, signal.SIGHUP)  # reload, as switch_upstream.sh does ...
                blue.stop()  # ... but without waiting for the old workers
                traffic.wait_for(20)
            return len(traffic.results), Counter(traffic.failures())
        finally:
            stack.close()


def main(argv: list[str]) -> int:
    if test_deploy.NGINX is None:
        print(test_deploy.INSTALL_NGINX, file=sys.stderr)
        return 2
    try:
        runs = int(argv[1]) if len(argv) > 1 else 6
    except ValueError:
        runs = 0
    if not 1 <= runs <= 100:
        print(f"drain_experiment.py: {argv[1]!r} is not a number of runs — fix: use 1-100",
              file=sys.stderr)  # fmt: skip
        return 2
    total_requests, total_failures = 0, Counter()
    for run in range(1, runs + 1):
        requests, failures = one_run()
        total_requests += requests
        total_failures += failures
        print(f"run {run}: {requests} requests, failed: {dict(failures) or 'none'}")
    print(f"all runs: {total_requests} requests, failed: {dict(total_failures) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
