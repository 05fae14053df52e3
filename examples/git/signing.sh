#!/usr/bin/env bash
# Sign commits and tags with an SSH key (git 2.34 or newer; OpenSSH 8.2p1 or newer, but not
# 8.7, whose `ssh-keygen -Y sign` git's 2.34 release notes call broken) and verify them.
# tests/examples/test_git_project.py runs this in a temporary directory with a throwaway HOME.
set -euo pipefail
for dir in bookstore keys; do   # a second run in the same folder would fail halfway
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

mkdir keys                                # the demo's key stays in this folder
git init -q -b main bookstore
cd bookstore

# --8<-- [start:sign_commits]
# Your own key lives in ~/.ssh; this demo keeps a throwaway one (no passphrase: -N "")
# in ../keys, and sets everything with `git config` for this repository only.
ssh-keygen -q -t ed25519 -N "" -C "ayu@example.com" -f ../keys/id_ed25519_signing
git config gpg.format ssh
git config user.signingKey "$PWD/../keys/id_ed25519_signing.pub"
git config commit.gpgSign true            # sign every commit ...
git config tag.gpgSign true               # ... and every annotated tag

printf '# Bookstore\n' > README.md
git add README.md
git commit -m "docs: add a README"

# To verify, git needs to know whose keys to trust (GitHub uses your uploaded keys).
printf 'ayu@example.com %s\n' "$(cat ../keys/id_ed25519_signing.pub)" > ../keys/allowed_signers
git config gpg.ssh.allowedSignersFile "$PWD/../keys/allowed_signers"
git verify-commit HEAD                    # Good "git" signature for ayu@example.com ...

git tag -a v0.1.0 -m "Release 0.1.0"      # signed too (tag.gpgSign)
git verify-tag v0.1.0                     # Good "git" signature for ayu@example.com ...
# --8<-- [end:sign_commits]
