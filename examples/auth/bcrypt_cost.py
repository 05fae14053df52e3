"""How long one bcrypt check takes at each cost factor on this machine.

Run from examples/: `python -m auth.bcrypt_cost` (costs 10 to 13, best of 3 each).
Each step of the cost doubles the work, so the ratio between rows holds on any machine;
the seconds themselves depend on the CPU.
"""

from __future__ import annotations

import time

import bcrypt


# --8<-- [start:bcrypt_cost]
def seconds_per_check(cost: int, repeat: int = 3) -> float:
    hashed = bcrypt.hashpw(b"kata-sandi-panjang-sekali", bcrypt.gensalt(cost))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        bcrypt.checkpw(b"kata-sandi-panjang-sekali", hashed)
        best = min(best, time.perf_counter() - start)
    return best


def main(costs: range = range(10, 14)) -> None:
    for cost in costs:
        print(f"cost {cost:2d}: {seconds_per_check(cost) * 1000:7.1f} ms per check")
# --8<-- [end:bcrypt_cost]


if __name__ == "__main__":
    main()
