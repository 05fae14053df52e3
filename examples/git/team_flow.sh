#!/usr/bin/env bash
# Trunk-based work with a short-lived branch and a pull request, between two clones of one
# remote: Ayu (you) and Budi (a teammate). origin.git stands in for GitHub; the steps that
# happen on GitHub (review, the merge button) are done here by Budi's clone.
# tests/examples/test_git_workflow.py runs this in a temporary directory with a throwaway HOME.
set -euo pipefail
for dir in origin.git budi ayu; do   # a second run in the same folder would fail halfway
  if [[ -e $dir ]]; then
    echo "${0##*/}: ./$dir already exists — fix: run this script in an empty folder" >&2
    exit 1
  fi
done
# Commits need your name and email. Without them git says how to set them, and the script
# stops here, before it creates anything. user.useConfigOnly keeps git from guessing them
# instead (from $EMAIL, or from your user and host names on a machine with a domain name).
git -c user.useConfigOnly=true var GIT_AUTHOR_IDENT > /dev/null
git -c user.useConfigOnly=true var GIT_COMMITTER_IDENT > /dev/null

as_budi() {
  GIT_AUTHOR_NAME=Budi GIT_AUTHOR_EMAIL=budi@example.com \
    GIT_COMMITTER_NAME=Budi GIT_COMMITTER_EMAIL=budi@example.com "$@"
}

git init -q --bare -b main origin.git
git init -q -b main budi
(
  cd budi
  printf 'DISCOUNT_PERCENT = 10\n' > pricing.py
  printf 'MAX_LINES = 20\n' > orders.py
  git add pricing.py orders.py
  as_budi git commit -q -m "feat: first version of the bookstore"
  git remote add origin ../origin.git
  git push -q -u origin main
)
git clone -q origin.git ayu

# --8<-- [start:start_branch]
cd ayu
git switch main
git pull --ff-only                        # start from the newest main
git switch -c feat/order-limit            # short-lived: merged within a day or two
printf 'MAX_COPIES_PER_TITLE = 10\n' >> orders.py
git commit -am "feat(orders): limit an order to 10 copies per title"
git push -u origin feat/order-limit       # then open a pull request on GitHub
# --8<-- [end:start_branch]

# Meanwhile Budi's pull request is merged: main moves on.
(
  cd ../budi
  printf 'DISCOUNT_PERCENT = 10  # rounded half up to the cent\n' > pricing.py
  as_budi git commit -q -am "fix(pricing): round discounts half up"
  git push -q origin main
)

# --8<-- [start:update_branch]
git fetch origin                          # main has moved since the branch started
git rebase origin/main                    # replay my commit on top: new id, straight history
# Replace my branch, unless someone else pushed to it (lease) or I never saw their work (includes).
git push --force-with-lease --force-if-includes
git log --oneline --graph -3
# --8<-- [end:update_branch]

# The pull request is approved, CI is green, and the merge button is pressed.
(
  cd ../budi
  git pull -q --ff-only
  git fetch -q origin
  as_budi git merge -q --no-ff origin/feat/order-limit \
    -m "Merge pull request #7 from ayu/feat/order-limit"
  git push -q origin main
)

# --8<-- [start:after_merge]
git switch main
git pull --ff-only                        # main now contains the merged pull request
git branch -d feat/order-limit            # safe delete: refuses if the work is not merged
git push origin --delete feat/order-limit # GitHub can also delete it after the merge
git log --oneline --graph -4
# --8<-- [end:after_merge]
