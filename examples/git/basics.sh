#!/usr/bin/env bash
# The everyday cycle on a fresh repository: commit, look inside, branch, merge.
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

# --8<-- [start:init_commit]
git init -b main bookstore           # a new repository whose first branch is main
cd bookstore
printf '# Bookstore\n' > README.md
printf 'BULK_DISCOUNT_PERCENT = 10\n' > pricing.py
git add README.md pricing.py         # stage: choose what goes into the next snapshot
git commit -m "feat(pricing): add the bulk discount rate"
git status --short                   # nothing left to commit: no output
git log --oneline                    # one line per commit: short id and subject
# --8<-- [end:init_commit]

# --8<-- [start:inside_git]
cat .git/HEAD                        # ref: refs/heads/main (HEAD names the current branch)
git rev-parse main                   # a branch is only a name for one commit id
git cat-file -p HEAD                 # the commit: its tree (snapshot), author, message
git cat-file -p 'HEAD^{tree}'        # the snapshot: every file's blob at that moment
# --8<-- [end:inside_git]

# --8<-- [start:branch_merge]
git switch -c feature/min-copies     # a new branch at the current commit, checked out
printf 'BULK_DISCOUNT_MIN_COPIES = 3\n' >> pricing.py
git commit -am "feat(pricing): start the discount at three copies"

git switch main                      # meanwhile, main moves on
printf '\nRun it with: python -m bookstore\n' >> README.md
git commit -am "docs: explain how to run the service"

git merge --no-edit feature/min-copies   # a merge commit with two parents
git branch -d feature/min-copies         # the name goes; its commits stay in main
git log --oneline --graph
# --8<-- [end:branch_merge]
