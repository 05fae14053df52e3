"""The test `git bisect run` calls at every step: exit 0 = good commit, 1 = bad commit,
125 = this commit cannot be tested (git then tries a neighbour instead).

bisect_demo.py copies this file into its scratch repository (untracked, so it stays the
same while git checks out older commits) and runs it there, next to shipping.py.
"""

import sys

# --8<-- [start:check]
CASES = {1: 9_000, 1_000: 9_000, 1_001: 18_000, 2_500: 27_000}  # grams -> rupiah
SKIP = 125  # git bisect run: "cannot test this commit", neither good nor bad


def main() -> int:
    try:  # the shipping.py of the commit being tested
        from shipping import shipping_cost
    except Exception as error:  # noqa: BLE001 - any commit that does not even load:
        print(f"cannot test this commit: {error!r}")  # SyntaxError, NameError, ImportError...
        return SKIP
    wrong = {grams: shipping_cost(grams) for grams in CASES}
    wrong = {grams: got for grams, got in wrong.items() if got != CASES[grams]}
    for grams, got in wrong.items():
        print(f"shipping_cost({grams}) = {got}, expected {CASES[grams]}")
    return 1 if wrong else 0


# --8<-- [end:check]

if __name__ == "__main__":
    sys.exit(main())
