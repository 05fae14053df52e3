#!/usr/bin/env bash
# Find the commit that broke the discount with `git bisect run`.
# tests/examples/test_git_workflow.py runs this in a temporary directory with a throwaway HOME.
set -euo pipefail
if [[ -e bookstore ]]; then   # a second run in the same folder would fail halfway
  echo "${0##*/}: ./bookstore already exists — fix: run this script in an empty folder" >&2
  exit 1
fi
# Commits need your name and email. Without them git says how to set them, and the script
# stops here, before it creates anything. user.useConfigOnly keeps git from guessing them
# instead (from $EMAIL, or from your user and host names on a machine with a domain name).
git -c user.useConfigOnly=true var GIT_AUTHOR_IDENT > /dev/null
git -c user.useConfigOnly=true var GIT_COMMITTER_IDENT > /dev/null

git init -q -b main bookstore
cd bookstore
commit() { git add -A && git commit -q -m "$1"; }

# Six commits; the fourth one brings the bug (float arithmetic truncates 999.5 to 999).
printf 'def discounted(cents, percent):\n    return (cents * (100 - percent) + 50) // 100\n' > pricing.py
commit "feat(pricing): discount in whole cents, rounded half up"
git tag -a v1.0.0 -m "Release 1.0.0"
printf '# Bookstore\n' > README.md
commit "docs: add a README"
printf 'MAX_COPIES_PER_TITLE = 10\n' > orders.py
commit "feat(orders): limit copies per title"
printf 'def discounted(cents, percent):\n    return int(cents * (1 - percent / 100))\n' > pricing.py
commit "refactor(pricing): compute the discount with a factor"
printf '\nPrices are in cents.\n' >> README.md
commit "docs: mention that prices are in cents"
printf 'MAX_LINES = 20\n' >> orders.py
commit "feat(orders): at most 20 lines per order"

# --8<-- [start:bisect_run]
# A check that exits 0 when the commit is good, 1 when it is bad and 125 when it cannot
# tell. It is not committed, so it stays in place while bisect checks out older commits.
cat > check_discount.py <<'EOF'
try:
    from pricing import discounted
except ImportError:                          # no discounted() in this commit: skip it
    raise SystemExit(125) from None
raise SystemExit(0 if discounted(1999, 50) == 1000 else 1)
EOF

trap 'git bisect reset' EXIT                 # however the script ends: back to your branch
git bisect start HEAD v1.0.0                 # bad: HEAD; good: the last release
git bisect run python3 -B check_discount.py  # -B: no .pyc left behind for the next round
# --8<-- [end:bisect_run]
