"""Experiments: why switch_upstream.sh drains, and how long `systemctl restart` leaves nobody
listening. Both run the real stack of test_deploy.py (nginx and bookstore instances on loopback,
a client sending requests without pause) and print what they saw. Experiments, not tests: how
many requests land in the gap depends on the machine, so they report counts and times instead of
asserting them.

  switch  (default) the blue-green switch of test_deploy.py, but blue is stopped right after
          nginx's reload instead of after nginx's old workers have exited;
  restart stop the only instance, then start it again at once, as `systemctl restart` does:
          prints how long the stop took, how long the new process took to answer /readyz,
          and how many requests failed meanwhile.

Run: .venv/bin/python tests/examples/drain_experiment.py [switch|restart] [RUNS]
(needs nginx, like test_deploy.py; RUNS is 1-100, default 6)
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for `support`

import test_deploy  # after the path is set


def switch_without_draining(stack: test_deploy.Stack) -> tuple[int, Counter, str]:
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
    return len(traffic.results), Counter(traffic.failures()), ""


def restart(stack: test_deploy.Stack) -> tuple[int, Counter, str]:
    blue = stack.instance()
    stack.start_nginx(blue)
    with test_deploy.Traffic(stack.url, ca=stack.directory / "cert.pem") as traffic:
        traffic.wait_for(20)
        began = time.monotonic()
        blue.stop()  # SIGTERM, then wait for the process to exit
        stopped = time.monotonic()
        blue.start(wait=False)
        test_deploy.wait_until(blue.ready, "the new process to answer /readyz")
        ready = time.monotonic()
        traffic.wait_for(20)
    times = f"stop {stopped - began:.1f} s, start to ready {ready - stopped:.1f} s"
    return len(traffic.results), Counter(traffic.failures()), times


EXPERIMENTS = {"switch": switch_without_draining, "restart": restart}


def one_run(experiment) -> tuple[int, Counter, str]:
    with tempfile.TemporaryDirectory(prefix="drain-") as directory:
        stack = test_deploy.Stack(Path(directory))
        try:
            return experiment(stack)
        finally:
            stack.close()


def main(argv: list[str]) -> int:
    if test_deploy.NGINX is None:
        print(test_deploy.INSTALL_NGINX, file=sys.stderr)
        return 2
    args = argv[1:]
    name = args.pop(0) if args and args[0] in EXPERIMENTS else "switch"
    try:
        runs = int(args[0]) if args else 6
    except ValueError:
        runs = 0
    if len(args) > 1 or not 1 <= runs <= 100:
        print(f"drain_experiment.py: {' '.join(argv[1:])!r} is not [switch|restart] [RUNS]"
              " — fix: e.g. drain_experiment.py restart 5 (RUNS is 1-100)",
              file=sys.stderr)  # fmt: skip
        return 2
    total_requests, total_failures = 0, Counter()
    for run in range(1, runs + 1):
        requests, failures, times = one_run(EXPERIMENTS[name])
        total_requests += requests
        total_failures += failures
        details = f", {times}" if times else ""
        print(f"run {run}: {requests} requests, failed: {dict(failures) or 'none'}{details}")
    print(f"all runs: {total_requests} requests, failed: {dict(total_failures) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
