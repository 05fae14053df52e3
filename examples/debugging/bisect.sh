#!/usr/bin/env bash
# Find the commit that broke shipping_cost(). bisect_demo.py runs this inside its scratch
# repository, where check_shipping.py lies next to shipping.py (untracked).
set -euo pipefail

# --8<-- [start:bisect_run]
# One bad commit and one good one; git then checks out the commits in between.
git bisect start HEAD v1.0                 # bad first, then good
# -B: write no .pyc. Python trusts a cached .pyc while the source has the same size and the
# same modification second, and git can check out two versions within one second.
git bisect run python3 -B check_shipping.py  # exit 0 = good, 1-127 = bad (125 = skip)
git bisect reset                           # back to the branch you started on
# --8<-- [end:bisect_run]
