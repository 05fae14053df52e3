#!/usr/bin/env bash
# Two branches change the same line: produce the conflict, then resolve it.
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
printf 'DISCOUNT_PERCENT = 10\n' > pricing.py
git add pricing.py
git commit -q -m "feat(pricing): 10% off orders of three or more copies"

# --8<-- [start:make_conflict]
git config merge.conflictStyle zdiff3        # also show the common ancestor's version

git switch -c refactor/discount-name         # Ayu renames the constant ...
printf 'BULK_DISCOUNT_PERCENT = 10\n' > pricing.py
git commit -am "refactor(pricing): name the bulk discount"

git switch main                              # ... while main raises the rate
printf 'DISCOUNT_PERCENT = 15\n' > pricing.py
git commit -am "feat(pricing): raise the bulk discount to 15%"

git merge refactor/discount-name || true     # exits 1: CONFLICT (content) in pricing.py
git status --short                           # UU = unmerged, changed on both sides
cat pricing.py                               # the markers show both sides and the base
# --8<-- [end:make_conflict]

# --8<-- [start:resolve_conflict]
git diff --name-only --diff-filter=U         # the files still in conflict
# Keep BOTH intents: the new name from the branch, the new rate from main.
# (In real life you edit the file; `git merge --abort` gives up and restores main.)
printf 'BULK_DISCOUNT_PERCENT = 15\n' > pricing.py
git add pricing.py                           # mark it resolved
git commit --no-edit                         # finish the merge with git's message
git log --oneline --graph
# --8<-- [end:resolve_conflict]
