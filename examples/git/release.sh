#!/usr/bin/env bash
# Tag a release with a semantic version and push the tag.
# tests/examples/test_git_project.py runs this in a temporary directory with a throwaway HOME.
set -euo pipefail
for dir in origin.git bookstore; do   # a second run in the same folder would fail halfway
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

git init -q --bare -b main origin.git
git clone -q origin.git bookstore 2> /dev/null   # "cloned an empty repository" is expected
cd bookstore
commit() { printf '%s\n' "$1" >> CHANGES.txt && git add -A && git commit -q -m "$1"; }
commit "feat(catalog): list books"
git tag -a v1.0.0 -m "Release 1.0.0"
commit "feat(orders): 10% off three or more copies"
commit "fix(pricing): round discounts half up"
git push -q origin main v1.0.0

# --8<-- [start:tag_release]
git switch main && git pull --ff-only
git log --oneline v1.0.0..HEAD            # what changed since the last release
# A new feature, no breaking change: MINOR goes up, PATCH starts again from 0.
git tag -a v1.1.0 -m "Release 1.1.0"      # annotated: tagger, date, message (-s also signs)
git push origin v1.1.0                    # tags are not pushed by a plain `git push`
git describe --dirty                      # v1.1.0: the build knows which release it is
# --8<-- [end:tag_release]

printf 'next\n' >> CHANGES.txt
git commit -q -am "docs: start the next release"
git describe --dirty                      # v1.1.0-1-g<id>: one commit after v1.1.0
printf 'work in progress\n' >> CHANGES.txt
git describe --dirty                      # v1.1.0-1-g<id>-dirty: uncommitted changes too
