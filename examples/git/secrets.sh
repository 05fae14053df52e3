#!/usr/bin/env bash
# A secret committed by mistake: untracking it removes it from the next snapshot only.
# tests/examples/test_git_project.py runs this in a temporary directory with a throwaway HOME.
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
printf 'BOOKSTORE_SECRET_KEY=demo-only-0123456789abcdef0123456789\n' > .env
printf 'print("hello")\n' > app.py
git add -A                                # the mistake: .env goes into the snapshot
git commit -q -m "feat: first version"

# --8<-- [start:untrack_secret]
git rm --cached .env                      # stop tracking it; your local file stays
printf '.env\n' >> .gitignore             # and never stage it again
git add .gitignore
git commit -m "chore: stop tracking .env"
git ls-files                              # .env is gone from the newest snapshot ...
git log --oneline -- .env                 # ... but not from history: every clone has it
git show HEAD~1:.env                      # so the key is burnt: revoke it and make a new one
# --8<-- [end:untrack_secret]
