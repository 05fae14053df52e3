#!/usr/bin/env bash
# Sign commits and tags with an SSH key (git 2.34 or newer, OpenSSH 8.2p1 or newer) and
# verify the signatures.
# tests/examples/test_git_project.py runs this in a temporary directory with a throwaway HOME.
set -euo pipefail

git init -q -b main bookstore
cd bookstore
mkdir -p "$HOME/.ssh" "$HOME/.config/git"

# --8<-- [start:sign_commits]
# -N "" (no passphrase) only because this is a throwaway demo key; protect a real one.
ssh-keygen -q -t ed25519 -N "" -C "ayu@example.com" -f "$HOME/.ssh/id_ed25519_signing"
git config gpg.format ssh
git config user.signingKey "$HOME/.ssh/id_ed25519_signing.pub"
git config commit.gpgSign true            # sign every commit ...
git config tag.gpgSign true               # ... and every annotated tag

printf '# Bookstore\n' > README.md
git add README.md
git commit -m "docs: add a README"

# To verify, git needs to know whose keys to trust (GitHub uses your uploaded keys).
printf 'ayu@example.com %s\n' "$(cat "$HOME/.ssh/id_ed25519_signing.pub")" \
  > "$HOME/.config/git/allowed_signers"
git config gpg.ssh.allowedSignersFile "$HOME/.config/git/allowed_signers"
git verify-commit HEAD                    # Good "git" signature for ayu@example.com ...

git tag -a v0.1.0 -m "Release 0.1.0"      # signed too (tag.gpgSign)
git verify-tag v0.1.0                     # Good "git" signature for ayu@example.com ...
# --8<-- [end:sign_commits]
