#!/usr/bin/env bash
# shellcheck disable=SC1091  # .venv/bin/activate exists only after the venv is created
# First steps of the learning path (docs/*/learning-path.md, "Before You Start"): clone your
# fork of the handbook, create a virtual environment and run the example tests once, before
# changing anything.
# Run: bash getting_started.sh https://github.com/<your-account>/panduan-backend.git
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: getting_started.sh FORK_URL (your fork's clone address)" >&2
    exit 2
fi
fork_url="$1"

# --8<-- [start:clone]
git clone "$fork_url" panduan-backend   # the address of YOUR fork
cd panduan-backend
# --8<-- [end:clone]

# --8<-- [start:setup]
python3.11 -m venv .venv                   # 3.11 to 3.13 work: the versions CI tests
. .venv/bin/activate                       # from now on, python is the one in .venv
python -m pip install -r requirements.txt  # exact versions, as CI installs them
python -m pytest tests/examples -q         # every example test passes before you start
# --8<-- [end:setup]
