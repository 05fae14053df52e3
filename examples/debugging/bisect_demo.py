"""A ten-commit history of shipping.py with one bad commit, and `git bisect run` finding it.

Run from examples/ (needs git and bash):

    python -m debugging.bisect_demo

It builds the repository in a temporary folder, runs debugging/bisect.sh there and prints
what git printed. Author, committer and dates are fixed, so the commit ids are the same on
every machine. Our own code because the point is a history small enough to read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The rule: Rp9.000 for every started kilogram.
_V1 = """import math


def shipping_cost(weight_grams):
    return math.ceil(weight_grams / 1000) * 9000
"""
_DOC = '''import math


def shipping_cost(weight_grams):
    """Rp9.000 for every started kilogram: 1 g to 1000 g costs Rp9.000."""
    return math.ceil(weight_grams / 1000) * 9000
'''
_RATE = '''import math

RATE_PER_KG = 9000


def shipping_cost(weight_grams):
    """Rp9.000 for every started kilogram: 1 g to 1000 g costs Rp9.000."""
    return math.ceil(weight_grams / 1000) * RATE_PER_KG
'''
_CHECKED = '''import math

RATE_PER_KG = 9000


def shipping_cost(weight_grams):
    """Rp9.000 for every started kilogram: 1 g to 1000 g costs Rp9.000."""
    if weight_grams <= 0:
        raise ValueError("weight must be positive")
    return math.ceil(weight_grams / 1000) * RATE_PER_KG
'''
_TYPED = _CHECKED.replace("(weight_grams):", "(weight_grams: int) -> int:")
# The bad commit: integer division looks like a harmless clean-up, but 1000 g becomes 2 kg.
_BUGGY = '''RATE_PER_KG = 9000


def shipping_cost(weight_grams: int) -> int:
    """Rp9.000 for every started kilogram: 1 g to 1000 g costs Rp9.000."""
    if weight_grams <= 0:
        raise ValueError("weight must be positive")
    kilograms = weight_grams // 1000 + 1
    return kilograms * RATE_PER_KG
'''
_COMMENTED = _BUGGY.replace(
    "    kilograms = ",
    "    # Integer arithmetic only: no float rounding surprises.\n    kilograms = ",
)
_FREE = _COMMENTED.replace(
    "RATE_PER_KG = 9000\n", "RATE_PER_KG = 9000\nFREE_SHIPPING_FROM = 300_000  # rupiah\n"
)
_ALL = '__all__ = ["shipping_cost", "RATE_PER_KG", "FREE_SHIPPING_FROM"]\n\n' + _FREE
_MODULE_DOC = '"""Shipping costs of the bookstore."""\n\n' + _ALL

HISTORY = [
    ("Add shipping cost: Rp9.000 per started kilogram", _V1),
    ("Document the shipping rule", _DOC),
    ("Name the rate per kilogram", _RATE),
    ("Reject weights of zero or less", _CHECKED),
    ("Add type hints", _TYPED),
    ("Avoid float division in the kilogram count", _BUGGY),  # the first bad commit
    ("Explain the integer arithmetic", _COMMENTED),
    ("Add the free shipping threshold", _FREE),
    ("Declare the public names", _ALL),
    ("Add a module docstring", _MODULE_DOC),
]
BAD_COMMIT_MESSAGE = HISTORY[5][0]


def git_env(python_dir: str) -> dict[str, str]:
    """A git that ignores the user's configuration and writes reproducible commits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Dewi Lestari",
        GIT_AUTHOR_EMAIL="dewi@example.com",
        GIT_COMMITTER_NAME="Dewi Lestari",
        GIT_COMMITTER_EMAIL="dewi@example.com",
        LC_ALL="C",
        # `python3` in bisect.sh is this interpreter (the tests' virtual environment).
        PATH=python_dir + os.pathsep + env.get("PATH", ""),
    )
    return env


def build_history(repo: Path, env: dict[str, str]) -> None:
    def git(*args: str, when: int | None = None) -> None:
        extra = {}
        if when is not None:
            stamp = f"{1_767_225_600 + when * 3600} +0700"  # 2026-01-01, one commit an hour
            extra = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        subprocess.run(
            ["git", *args], cwd=repo, env={**env, **extra}, check=True, capture_output=True
        )

    git("init", "--quiet", "--initial-branch=main")
    for number, (message, source) in enumerate(HISTORY):
        (repo / "shipping.py").write_text(source, encoding="utf-8")
        git("add", "shipping.py")
        git("commit", "--quiet", "--no-gpg-sign", "-m", message, when=number)
        if number == 0:
            git("tag", "v1.0")
    # The check stays outside the history: the same test for every commit.
    shutil.copy(HERE / "check_shipping.py", repo / "check_shipping.py")
    with open(repo / ".git" / "info" / "exclude", "a", encoding="utf-8") as exclude:
        exclude.write("check_shipping.py\n__pycache__/\n")


def run_demo(workdir: Path | None = None) -> str:
    """Build the history, run bisect.sh in it and return everything git printed."""
    with tempfile.TemporaryDirectory(prefix="bisect-demo-") as tmp:
        repo = Path(workdir or tmp) / "shipping"
        repo.mkdir(parents=True)
        env = git_env(str(Path(sys.executable).parent))
        build_history(repo, env)
        result = subprocess.run(
            ["bash", str(HERE / "bisect.sh")],
            cwd=repo,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=True,
        )
        return result.stdout


if __name__ == "__main__":
    print(run_demo(), end="")
